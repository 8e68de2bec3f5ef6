package org.critmin.scenarios;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.reference.BlocMembership;

/**
 * Sourcing from a partner bloc, per importing country, bloc, mineral, stage and year.
 *
 * <p>With {@code v_m} the importer's imports from supplier m and {@code E_m} m's exports to the
 * world in the year: {@code bloc_value = sum over members of v_m}; the bloc's share of world supply
 * is {@code sum over members of E_m / sum over all countries of E}. Buying only inside the bloc
 * (this importer alone; the others keep buying as before): the imports from outside,
 * {@code N = V - B}, move to the members other than the importer in proportion to their spare
 * exports {@code S_m = E_m - v_m} (world exports minus what they already ship to this importer).
 * The bloc covers {@code C = min(N, sum S_m)}; each member adds {@code c * S_m} with
 * {@code c = C / sum S_m}; {@code N - C} stays uncovered. {@code hhi_inside_bloc} is the sourcing
 * HHI of {@code v_m + c * S_m = (1 - c) v_m + c E_m} over the members, computed as
 * {@code (1-c)^2 sum v^2 + 2c(1-c) sum v E + c^2 sum E^2} over the covered total {@code B + C}.
 */
public final class BlocSourcing {

  private static final List<String> KEYS = List.of("bloc", "mineral", "stage", "year");

  private BlocSourcing() {}

  /**
   * Bloc sourcing of every importing country, from {@link AnnualFlows} rows; an exporter counts
   * for a bloc in a year when it is a member on 31 December of that year.
   */
  public static Dataset<Row> compute(Dataset<Row> flows, List<BlocMembership> blocs) {
    StructType schema = new StructType().add("bloc", DataTypes.StringType, false);
    List<Row> names = blocs.stream().map(b -> RowFactory.create(b.name())).toList();
    Dataset<Row> blocNames = flows.sparkSession().createDataFrame(names, schema);
    Column yearEnd = BlocMembership.periodEnd(col("year"), lit(null).cast("int"));
    Column member = lit(false);
    for (BlocMembership b : blocs) {
      member = when(col("bloc").equalTo(b.name()),
          b.contains(col("exporter_iso3"), yearEnd, col("mineral"))).otherwise(member);
    }
    Dataset<Row> inBloc = flows.crossJoin(broadcast(blocNames)).withColumn("member", member);
    List<String> supplierKeys = new ArrayList<>(KEYS);
    supplierKeys.add("exporter_iso3");
    Dataset<Row> exports = inBloc.groupBy(Keys.columns(supplierKeys, "member"))
        .agg(sum("value_usd").as("world_exports"));
    Column e = col("world_exports");
    Dataset<Row> world = exports.groupBy(Keys.columns(KEYS))
        .agg(sum(e).as("world_total"),
            sum(when(col("member"), e).otherwise(0.0)).as("bloc_exports"),
            sum(when(col("member"), e.multiply(e)).otherwise(0.0)).as("bloc_exports_sq"));
    Dataset<Row> own = exports.filter(col("member"))
        .select(col("bloc"), col("mineral"), col("stage"), col("year"),
            col("exporter_iso3").as("importer_iso3"), e.as("own_exports"));

    Column v = col("value_usd");
    member = col("member");
    List<String> importerKeys = new ArrayList<>(KEYS);
    importerKeys.add("importer_iso3");
    Dataset<Row> perImporter = inBloc.filter(col("importer_is_country"))
        .join(exports.drop("member"), Keys.names(supplierKeys), "inner")
        .groupBy(Keys.columns(importerKeys))
        .agg(sum(v).as("import_value_usd"),
            sum(v.multiply(v)).as("sum_v2"),
            sum(when(member, v).otherwise(0.0)).as("bloc_value_usd"),
            sum(when(member, v.multiply(v)).otherwise(0.0)).as("sum_b2"),
            sum(when(member, v.multiply(e)).otherwise(0.0)).as("sum_be"));

    Column own0 = coalesce(col("own_exports"), lit(0.0));
    Column spare = greatest(lit(0.0), col("bloc_exports").minus(own0)
        .minus(col("bloc_value_usd")));
    Column outside = col("import_value_usd").minus(col("bloc_value_usd"));
    Column covered = least(outside, col("bloc_spare_value_usd"));
    Column c = when(col("bloc_spare_value_usd").gt(0),
        col("covered").divide(col("bloc_spare_value_usd"))).otherwise(0.0);
    Column oneMinusC = lit(1.0).minus(c);
    Column insideSq = oneMinusC.multiply(oneMinusC).multiply(col("sum_b2"))
        .plus(c.multiply(oneMinusC).multiply(2).multiply(col("sum_be")))
        .plus(c.multiply(c).multiply(col("bloc_exports_sq").minus(own0.multiply(own0))));
    Column insideTotal = col("bloc_value_usd").plus(col("covered"));
    Column importValue = col("import_value_usd");
    return perImporter
        .join(world, Keys.names(KEYS), "inner")
        .join(own, Keys.names(importerKeys), "left")
        .withColumn("bloc_spare_value_usd", spare)
        .withColumn("covered", covered)
        .select(col("importer_iso3"), col("bloc"), col("mineral"), col("stage"), col("year"),
            importValue, col("bloc_value_usd"),
            when(importValue.gt(0), col("bloc_value_usd").divide(importValue))
                .as("bloc_share_of_imports"),
            when(col("world_total").gt(0), col("bloc_exports").divide(col("world_total")))
                .as("bloc_share_of_world_supply"),
            when(importValue.gt(0), col("sum_v2").multiply(10000.0)
                .divide(importValue.multiply(importValue))).as("hhi_current"),
            when(insideTotal.gt(0), insideSq.multiply(10000.0)
                .divide(insideTotal.multiply(insideTotal))).as("hhi_inside_bloc"),
            col("bloc_spare_value_usd"),
            outside.minus(col("covered")).as("uncovered_inside_bloc_value_usd"));
  }
}
