package org.critmin.scenarios;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
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
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.ScenarioSettings;

/**
 * Supplier disruption: the suppliers of a scenario cut {@code cut_share} of their exports of a
 * mineral (at one stage or all), and every importing country's exposure is worked out per year.
 *
 * <p>Within one scenario, mineral, stage and year, with {@code v_ir} the imports of importer i from
 * supplier r ({@link AnnualFlows}):
 * <ul>
 *   <li>At risk: {@code L_i = cut_share * sum over disrupted r of v_ir} for the importers the
 *       scenario targets (all, or those it names: a ban on exports to one country); others keep
 *       their imports. Flows between two disrupted suppliers (China to Hong Kong) are inside the
 *       group and not cut. Importers with {@code L_i > 0} are exposed.
 *   <li>Re-routing: {@code R_i = reroute_share * L_i} still reaches a targeted importer through
 *       third countries, its remaining suppliers, each at its share {@code v_ir / F_i} of the
 *       importer's imports from them ({@code F_i}, zero: nothing can be re-routed). The goods are
 *       the disrupted supplier's, so they use no third country's spare; the net loss
 *       {@code N_i = L_i - R_i} is what the pool below must replace.
 *   <li>Spare supply of a remaining supplier r (any exporting country not disrupted):
 *       {@code P_r = E_r - sum over exposed j of v_rj}, its actual world exports {@code E_r} in the
 *       year minus what it already ships to exposed importers, i.e. its exports to importers that
 *       are not exposed, which it could divert. For a single exposed importer this is "world
 *       exports minus what it already ships to this importer". Output is never raised above what
 *       was exported.
 *   <li>Allocation: the pool {@code P = sum P_r} is shared pro rata to the net losses. The covered
 *       fraction is {@code f = min(1, P / N)} with {@code N = sum N_i}; importer i replaces
 *       {@code f * N_i}, drawn from each remaining supplier in proportion to {@code P_r}, so no
 *       supplier gives more than its spare. The rest, {@code (1 - f) * N_i}, is uncovered:
 *       {@code L_i = R_i + replaceable + uncovered}.
 *       Importers not exposed give up {@code min(1, L / P)} of their imports from the remaining
 *       suppliers ({@code diverted_value_usd}), so the world's trade adds up. An exposed importer that
 *       exports the mineral itself may keep part of its exports at home (it appears as its own
 *       supplier in {@code hhi_after}).
 *   <li>Sourcing HHI {@code 10000 * sum(x_r^2) / (sum x_r)^2} before over {@code v_ir}, after over
 *       {@code a_ir + g_i * P_r + h_i * v_ir} (the last for remaining suppliers only), with
 *       {@code a_ir = v_ir} less the cut, {@code g_i = f * N_i / P} and {@code h_i = R_i / F_i};
 *       expanded as {@code sum a^2 + 2 g sum(a P_r) + g^2 sum P_r^2 + (h^2 + 2 h) sum' v^2
 *       + 2 g h sum(a P_r)} ({@code sum'} over remaining suppliers, where {@code a = v}) so that
 *       no importer-by-supplier product is built. The uncovered part is not bought, so it is
 *       outside the after shares; re-routed goods count under the third country that passes them
 *       on, as customs records them.
 *   <li>Weights: {@code at_risk_net_kg} cuts the known weights like the values (null when none
 *       of the lost flows has a known weight); {@code uncovered_net_kg} assumes the replacement
 *       has the lost flows' unit value.
 * </ul>
 */
public final class Disruption {

  private static final List<String> KEYS = List.of("scenario", "mineral", "stage", "year");
  private static final List<String> IMPORTER_KEYS =
      List.of("scenario", "mineral", "stage", "year", "importer_iso3");

  private Disruption() {}

  /**
   * Exposure of every importing country to each scenario, from {@link AnnualFlows} rows; one row
   * per scenario, importer, mineral, stage and year in scope (the table's columns but run_id).
   */
  public static Dataset<Row> exposure(Dataset<Row> flows,
      List<ScenarioSettings.Disruption> scenarios) {
    SparkSession spark = flows.sparkSession();
    Dataset<Row> scoped = inScope(flows, scenarios, spark);

    Dataset<Row> exposed = scoped.filter(col("importer_is_country"))
        .groupBy(Keys.columns(IMPORTER_KEYS)).agg(sum("lost").gt(0).as("exposed"));
    // Checkpointed (small: the scoped flows): each later aggregate starts from these rows instead
    // of re-planning and re-running the scope joins and the exposure aggregate (43 stages
    // otherwise). A local checkpoint lives on the executors: losing one fails the stage, and the
    // run (which replaces whole tables) is simply run again.
    Dataset<Row> flagged = scoped.join(exposed, Keys.names(IMPORTER_KEYS), "left")
        .withColumn("exposed", coalesce(col("exposed"), lit(false)))
        .localCheckpoint();

    List<String> supplierKeys = new ArrayList<>(KEYS);
    supplierKeys.add("exporter_iso3");
    Dataset<Row> spare = flagged.filter(col("disrupted_supplier").equalTo(false))
        .groupBy(Keys.columns(supplierKeys))
        .agg(sum(when(col("exposed").equalTo(false), col("value_usd")).otherwise(0.0))
            .as("spare"))
        .localCheckpoint();
    Dataset<Row> pool = spare.groupBy(Keys.columns(KEYS))
        .agg(sum("spare").as("pool"), sum(col("spare").multiply(col("spare"))).as("pool_sq"));

    Column remaining = col("value_usd").minus(col("lost"));
    Column fromRemaining = when(col("disrupted_supplier").equalTo(false), col("value_usd"));
    Dataset<Row> perImporter = flagged.filter(col("importer_is_country"))
        .join(spare, Keys.names(supplierKeys), "left")
        .groupBy(Keys.columns(IMPORTER_KEYS, "months_covered", "disrupted_suppliers", "cut_share",
            "targeted_importers", "reroute_share", "exposed"))
        .agg(sum("value_usd").as("import_value_usd"),
            sum("net_kg").as("import_net_kg"),
            sum("lost").as("at_risk_value_usd"),
            when(sum("lost").gt(0), sum("lost_kg")).otherwise(0.0).as("at_risk_net_kg"),
            sum(fromRemaining).as("from_remaining"),
            sum(fromRemaining.multiply(fromRemaining)).as("sum_remaining_v2"),
            sum(col("value_usd").multiply(col("value_usd"))).as("sum_v2"),
            sum(remaining.multiply(remaining)).as("sum_a2"),
            sum(remaining.multiply(coalesce(col("spare"), lit(0.0)))).as("sum_a_spare"))
        .withColumn("rerouted_value_usd", when(coalesce(col("from_remaining"), lit(0.0)).gt(0),
            col("at_risk_value_usd").multiply(col("reroute_share"))).otherwise(0.0))
        .withColumn("net_loss", col("at_risk_value_usd").minus(col("rerouted_value_usd")))
        .localCheckpoint();
    Dataset<Row> losses = perImporter.groupBy(Keys.columns(KEYS))
        .agg(sum("net_loss").as("loss"));

    Column loss = col("loss");
    Column poolTotal = coalesce(col("pool"), lit(0.0));
    Column covered = when(loss.gt(0), least(lit(1.0), poolTotal.divide(loss))).otherwise(0.0);
    Column used = when(poolTotal.gt(0), least(lit(1.0), loss.divide(poolTotal))).otherwise(0.0);
    Column atRisk = col("at_risk_value_usd");
    Column importValue = col("import_value_usd");
    Column draw = when(poolTotal.gt(0), col("replaceable_value_usd").divide(poolTotal))
        .otherwise(0.0);
    Column rerouted = col("rerouted_value_usd");
    Column passOn = when(rerouted.gt(0), rerouted.divide(col("from_remaining"))).otherwise(0.0);
    Column sumASpare = col("sum_a_spare");
    Column sumAfterSq = col("sum_a2").plus(draw.multiply(2).multiply(sumASpare))
        .plus(draw.multiply(draw).multiply(coalesce(col("pool_sq"), lit(0.0))))
        .plus(passOn.multiply(passOn).plus(passOn.multiply(2))
            .multiply(coalesce(col("sum_remaining_v2"), lit(0.0))))
        .plus(draw.multiply(passOn).multiply(2).multiply(sumASpare));
    Column totalAfter = importValue.minus(atRisk).plus(col("replaceable_value_usd"))
        .plus(rerouted);
    return perImporter
        .join(losses, Keys.names(KEYS), "inner")
        .join(pool, Keys.names(KEYS), "left")
        .withColumn("replaceable_value_usd", col("net_loss").multiply(covered))
        .withColumn("uncovered_value_usd", col("net_loss").minus(col("replaceable_value_usd")))
        .withColumn("at_risk_share", when(importValue.gt(0), atRisk.divide(importValue)))
        .withColumn("hhi_before", when(importValue.gt(0),
            col("sum_v2").multiply(10000.0).divide(importValue.multiply(importValue))))
        .withColumn("hhi_after", when(totalAfter.gt(0),
            sumAfterSq.multiply(10000.0).divide(totalAfter.multiply(totalAfter))))
        .withColumn("uncovered_net_kg", when(atRisk.gt(0), col("at_risk_net_kg")
            .multiply(col("uncovered_value_usd")).divide(atRisk)).otherwise(lit(0.0)))
        .withColumn("diverted_value_usd", when(col("exposed"), lit(0.0))
            .otherwise(coalesce(col("from_remaining"), lit(0.0)).multiply(used)))
        .select("scenario", "importer_iso3", "mineral", "stage", "year", "import_value_usd",
            "at_risk_value_usd", "at_risk_share", "hhi_before", "hhi_after",
            "replaceable_value_usd", "uncovered_value_usd", "disrupted_suppliers", "cut_share",
            "import_net_kg", "at_risk_net_kg", "uncovered_net_kg", "diverted_value_usd",
            "months_covered", "targeted_importers", "rerouted_value_usd");
  }

  /**
   * The flows each scenario touches, with the scenario's columns, {@code disrupted_supplier} (the
   * exporter is cut), and {@code lost} and {@code lost_kg} (the part of the flow that stops).
   */
  private static Dataset<Row> inScope(Dataset<Row> flows,
      List<ScenarioSettings.Disruption> scenarios, SparkSession spark) {
    StructType scopeSchema = new StructType()
        .add("scenario", DataTypes.StringType, false)
        .add("scope_mineral", DataTypes.StringType, true)
        .add("scope_stage", DataTypes.StringType, true)
        .add("cut_share", DataTypes.DoubleType, false)
        .add("disrupted_suppliers", DataTypes.StringType, false)
        .add("targeted_importers", DataTypes.StringType, true)
        .add("reroute_share", DataTypes.DoubleType, false);
    StructType supplierSchema = new StructType()
        .add("scenario", DataTypes.StringType, false)
        .add("iso3", DataTypes.StringType, false);
    List<Row> scopes = new ArrayList<>();
    List<Row> suppliers = new ArrayList<>();
    List<Row> targets = new ArrayList<>();
    for (ScenarioSettings.Disruption d : scenarios) {
      String stage = d.everyStage() ? null : d.stage();
      String list = String.join(",", d.suppliers());
      String targeted = d.everyImporter() ? null : String.join(",", d.importers());
      if (d.everyMineral()) {
        scopes.add(RowFactory.create(d.name(), null, stage, d.cutShare(), list, targeted,
            d.rerouteShare()));
      }
      for (String mineral : d.minerals()) {
        scopes.add(RowFactory.create(d.name(), mineral, stage, d.cutShare(), list, targeted,
            d.rerouteShare()));
      }
      for (String iso3 : d.suppliers()) {
        suppliers.add(RowFactory.create(d.name(), iso3));
      }
      for (String iso3 : d.importers()) {
        targets.add(RowFactory.create(d.name(), iso3));
      }
    }
    Dataset<Row> scope = spark.createDataFrame(scopes, scopeSchema);
    Dataset<Row> cut = spark.createDataFrame(suppliers, supplierSchema);
    Dataset<Row> hit = spark.createDataFrame(targets, supplierSchema);
    Column matches = col("scope_mineral").isNull().or(col("scope_mineral").equalTo(col("mineral")))
        .and(col("scope_stage").isNull().or(col("scope_stage").equalTo(col("stage"))));
    Column disrupted = col("exporter_cut").and(col("importer_cut").equalTo(false))
        .and(col("targeted_importers").isNull().or(col("importer_hit")));
    return flows.join(broadcast(scope), matches, "inner")
        .drop("scope_mineral", "scope_stage")
        .join(broadcast(cut.withColumnRenamed("iso3", "exporter_iso3")
            .withColumn("exporter_cut", lit(true))), Keys.names("scenario", "exporter_iso3"), "left")
        .join(broadcast(cut.withColumnRenamed("iso3", "importer_iso3")
            .withColumn("importer_cut", lit(true))), Keys.names("scenario", "importer_iso3"), "left")
        .join(broadcast(hit.withColumnRenamed("iso3", "importer_iso3")
            .withColumn("importer_hit", lit(true))), Keys.names("scenario", "importer_iso3"), "left")
        .withColumn("exporter_cut", coalesce(col("exporter_cut"), lit(false)))
        .withColumn("importer_cut", coalesce(col("importer_cut"), lit(false)))
        .withColumn("importer_hit", coalesce(col("importer_hit"), lit(false)))
        .withColumn("disrupted_supplier", col("exporter_cut"))
        .withColumn("lost", when(disrupted, col("value_usd").multiply(col("cut_share")))
            .otherwise(0.0))
        .withColumn("lost_kg", when(disrupted, col("net_kg").multiply(col("cut_share"))))
        .drop("exporter_cut", "importer_cut", "importer_hit");
  }
}
