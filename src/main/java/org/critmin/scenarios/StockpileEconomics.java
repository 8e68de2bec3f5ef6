package org.critmin.scenarios;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.ScenarioSettings;

/**
 * What stockpiles take in tonnes and money (docs/methods.md, "Scenarios", stockpile_economics).
 *
 * <p>The need: an importer's imports by net weight from all supplying countries in a year, scaled
 * to twelve months ({@code annual_kg_to_cover = kg * 12 / months_covered}, as in stockpile_cover),
 * or, under a disruption that puts some of its imports at risk, the part left uncovered
 * ({@code uncovered_net_kg} of disruption_exposure, scaled the same way); {@code daily = annual /
 * 365}. Targets: a configured stockpile ({@code days = stockpile_kg / daily}), N days of the need
 * ({@code kg = daily * N}) and a budget B spent on the mineral and stage alone ({@code kg = B /
 * median}, {@code days = kg / daily}; at the floor {@code B / floor / daily}). Costs are
 * {@code kg * median} and {@code kg * floor} with the median of the latest period of the mineral
 * and stage in benchmark_prices and the floor in force in that period. Stage {@code all} has no
 * price: benchmarks are per stage, and the goods of a mineral's stages are not one good.
 */
public final class StockpileEconomics {

  /** The target of a configured stockpile. */
  public static final String STOCKPILE = "stockpile";
  /** The target of N days of imports. */
  public static final String DAYS = "days";
  /** The target of a budget. */
  public static final String BUDGET = "budget";
  private static final double DAYS_PER_YEAR = 365.0;
  private static final StructType TARGETS = new StructType()
      .add("target_importer", DataTypes.StringType, false)
      .add("target_mineral", DataTypes.StringType, true)
      .add("target_stage", DataTypes.StringType, true)
      .add("target", DataTypes.StringType, false)
      .add("target_days", DataTypes.IntegerType, true)
      .add("budget_usd", DataTypes.DoubleType, true)
      .add("stockpile_kg", DataTypes.DoubleType, true);

  private StockpileEconomics() {}

  /**
   * One row per importer, mineral, stage, year, scenario ({@link StockpileCover#NO_SCENARIO} for
   * all imports) and target, from {@link AnnualFlows} rows, {@link Disruption#exposure} rows and
   * benchmark_prices rows.
   */
  public static Dataset<Row> compute(Dataset<Row> flows, Dataset<Row> exposure,
      Dataset<Row> benchmarks, List<ScenarioSettings.Stockpile> stockpiles,
      ScenarioSettings.StockpileTargets targets) {
    List<Row> targetRows = targetRows(stockpiles, targets);
    Set<String> importers = new LinkedHashSet<>();
    targetRows.forEach(r -> importers.add(r.getString(0)));
    Column targeted = col("importer_iso3").isin(importers.toArray());
    Column toYear = lit(12.0).divide(col("months_covered"));
    Dataset<Row> imports = flows.filter(targeted)
        .groupBy("importer_iso3", "mineral", "stage", "year", "months_covered")
        .agg(sum("net_kg").as("import_kg"))
        .filter(col("import_kg").gt(0))
        .select(lit(StockpileCover.NO_SCENARIO).as("scenario"), col("importer_iso3"),
            col("mineral"), col("stage"), col("year"), col("months_covered"),
            col("import_kg").multiply(toYear).as("annual_kg_to_cover"));
    Dataset<Row> uncovered = exposure.filter(targeted.and(col("at_risk_value_usd").gt(0))
            .and(col("uncovered_net_kg").isNotNull()))
        .select(col("scenario"), col("importer_iso3"), col("mineral"), col("stage"), col("year"),
            col("months_covered"), col("uncovered_net_kg").multiply(toYear)
                .as("annual_kg_to_cover"));

    Dataset<Row> targetTable = flows.sparkSession().createDataFrame(targetRows, TARGETS);
    Column matches = col("importer_iso3").equalTo(col("target_importer"))
        .and(col("target_mineral").isNull().or(col("target_mineral").equalTo(col("mineral"))))
        .and(col("target_stage").isNull().or(col("target_stage").equalTo(col("stage"))));

    Dataset<Row> latest = benchmarks
        .withColumn("recency", row_number().over(Window.partitionBy("mineral", "stage")
            .orderBy(col("year").desc(), col("month").desc_nulls_first())))
        .filter(col("recency").equalTo(1))
        .select(col("mineral"), col("stage"), col("period").as("price_period"),
            col("median_usd_per_kg"), col("floor_usd_per_kg"));

    Column daily = col("annual_kg_to_cover").divide(DAYS_PER_YEAR);
    Column median = col("median_usd_per_kg");
    Column floor = col("floor_usd_per_kg");
    Column target = col("target");
    Column budget = col("budget_usd");
    Column kg = when(target.equalTo(STOCKPILE), col("stockpile_kg"))
        .when(target.equalTo(DAYS), daily.multiply(col("target_days")))
        .otherwise(budget.divide(median));
    Column perDay = when(daily.gt(0), daily);
    Column days = when(target.equalTo(DAYS), col("target_days").cast("double"))
        .otherwise(kg.divide(perDay));
    Column reason = when(col("stage").equalTo(ScenarioSettings.ALL_STAGES),
            lit("no price for stage all: benchmark prices are per stage"))
        .when(median.isNull(), lit("no benchmark price for the mineral and stage (no flow with "
            + "a positive value and net weight)"))
        .when(floor.isNull(), concat(lit("no floor in force in "), col("price_period"),
            lit(" (scenarios.floor_prices)")));
    return imports.unionByName(uncovered)
        .join(broadcast(targetTable), matches, "inner")
        .join(latest, new String[] {"mineral", "stage"}, "left")
        .select(col("importer_iso3"), col("mineral"), col("stage"), col("year"),
            col("scenario"), target, col("target_days"), budget, col("annual_kg_to_cover"),
            kg.divide(1000.0).as("tonnes"), days.as("days_of_imports"), col("price_period"),
            median, floor, kg.multiply(median).as("cost_at_median_usd"),
            kg.multiply(floor).as("cost_at_floor_usd"),
            when(target.equalTo(BUDGET), budget.divide(floor).divide(perDay))
                .as("budget_days_at_floor"),
            reason.as("cost_missing_reason"), col("months_covered"));
  }

  /**
   * The targets in {@link #TARGETS}: each configured stockpile for its mineral and stage, and for
   * each target importer every number of days and every budget, for every mineral and stage.
   */
  static List<Row> targetRows(List<ScenarioSettings.Stockpile> stockpiles,
      ScenarioSettings.StockpileTargets targets) {
    List<Row> rows = new ArrayList<>();
    for (ScenarioSettings.Stockpile s : stockpiles) {
      rows.add(RowFactory.create(s.importer(), s.mineral(), s.stage(), STOCKPILE, null, null,
          s.tonnes() * 1000.0));
    }
    for (String importer : targets.importers()) {
      for (int days : targets.days()) {
        rows.add(RowFactory.create(importer, null, null, DAYS, days, null, null));
      }
      for (double budget : targets.budgetsUsd()) {
        rows.add(RowFactory.create(importer, null, null, BUDGET, null, budget, null));
      }
    }
    return rows;
  }
}
