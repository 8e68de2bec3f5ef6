package org.critmin.concentration;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.critmin.delta.Tables;
import org.critmin.reference.BlocMembership;

/**
 * {@code gold.group_resource_shares}: the share of a country group (a bloc, a partnership, a
 * region of {@code concentration.blocs}) in world production, capacity and reserves, per
 * mineral, stage, measure, year, source and unit (docs/methods.md, "Reserves, capacity and
 * country groups").
 *
 * <ul>
 *   <li>The group's total is the sum of its members' country figures; a dated bloc counts the
 *       members in force on 31 December of the year ({@link BlocMembership#periodEnd}), for the
 *       minerals their agreements cover where the bloc says so.
 *   <li>The world total is the source's world row where it publishes one (USGS "World total
 *       (rounded)"), else the sum of the country rows plus the source's "Other countries" row
 *       (BGS has neither: the sum of countries). {@code world_total_basis} names which.
 *   <li>"Other countries" rows belong to no group (their countries are not named), so a
 *       group's share can only miss members hidden there: it is a lower bound of the group's
 *       true share wherever the source lumps some of its members; {@code share_of_listed}
 *       divides by the listed countries only.
 * </ul>
 *
 * <p>One pass: each holding row is repeated once per group with its membership flag, and one
 * aggregation gives the group's, the listed countries' and the world's totals.
 */
public final class GroupResourceShares {

  /** A country group and who belongs to it when. */
  public record Group(String name, BlocMembership membership) {}

  private GroupResourceShares() {}

  /**
   * The table's rows from {@link ResourceConcentration#holdings} rows, for each of
   * {@code groups}, in the column order of {@link Tables#GROUP_RESOURCE_SHARES}. Groups of keys
   * without a positive country figure have no row.
   */
  public static Dataset<Row> compute(Dataset<Row> holdings, List<Group> groups, String runId) {
    if (groups.isEmpty()) {
      return holdings.sparkSession().createDataFrame(List.of(),
          Tables.GROUP_RESOURCE_SHARES.schema());
    }
    Column periodEnd = BlocMembership.periodEnd(col("year"), lit(null).cast("int"));
    Column[] flags = groups.stream()
        .map(g -> struct(lit(g.name()).as("group_name"),
            g.membership().contains(col("iso3"), periodEnd, col("mineral")).as("in_group")))
        .toArray(Column[]::new);
    List<Column> perGroup = new ArrayList<>();
    perGroup.add(col("g.group_name").as("group_name"));
    ResourceConcentration.KEYS.forEach(k -> perGroup.add(col(k)));

    Column country = col("kind").equalTo("country").and(col("quantity").gt(0));
    Column member = country.and(col("g.in_group"));
    Dataset<Row> totals = holdings.withColumn("g", explode(array(flags)))
        .groupBy(perGroup.toArray(Column[]::new))
        .agg(coalesce(sum(when(member, col("quantity"))), lit(0.0)).as("group_total"),
            count(when(member, lit(1))).cast("int").as("n_group_countries"),
            sum(when(country, col("quantity"))).as("countries_total"),
            sum(when(col("kind").equalTo("other"), col("quantity"))).as("other_quantity"),
            sum(when(col("kind").equalTo("world"), col("quantity"))).as("world_total_reported"),
            coalesce(max(when(col("kind").equalTo("world"), col("lower_bound"))), lit(false))
                .as("world_total_lower_bound"))
        .filter(col("countries_total").gt(0));

    Column worldRow = col("world_total_reported");
    Column world = coalesce(worldRow,
        col("countries_total").plus(coalesce(col("other_quantity"), lit(0.0))));
    return totals
        .withColumn("world_total", world)
        .withColumn("world_total_basis", when(worldRow.isNotNull(), lit("source_world_row"))
            .when(col("other_quantity").isNotNull(), lit("countries_plus_other"))
            .otherwise(lit("sum_of_countries")))
        .withColumn("share", when(world.gt(0), col("group_total").divide(world)))
        .withColumn("share_of_listed", col("group_total").divide(col("countries_total")))
        .withColumn("run_id", lit(runId))
        .select(Arrays.stream(Tables.GROUP_RESOURCE_SHARES.schema().fieldNames())
            .map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }
}
