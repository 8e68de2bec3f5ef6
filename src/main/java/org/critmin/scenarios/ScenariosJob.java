package org.critmin.scenarios;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.critmin.config.CritminConfig;
import org.critmin.config.ScenarioSettings;
import org.critmin.config.UserInputException;
import org.critmin.delta.Tables;
import org.critmin.reference.BlocMembership;
import org.critmin.reference.ReferenceData;
import org.critmin.run.Job;
import org.critmin.run.RunContext;

/**
 * The what-if tables of {@code conf/scenarios.conf}, from {@code silver.bilateral_flows}:
 * {@code gold.disruption_exposure} ({@link Disruption}), {@code gold.stockpile_cover}
 * ({@link StockpileCover}), {@code gold.stockpile_economics} ({@link StockpileEconomics}),
 * {@code gold.bloc_sourcing} ({@link BlocSourcing}), {@code gold.benchmark_prices}
 * ({@link BenchmarkPrices}) and {@code gold.price_dynamics} ({@link PriceDynamics}). Each table is
 * replaced as a whole, since the configured scenarios, not the input periods, decide what it
 * holds.
 */
public final class ScenariosJob implements Job {

  @Override
  public String name() {
    return "scenarios";
  }

  @Override
  public void run(RunContext context) {
    CritminConfig config = context.config();
    ScenarioSettings settings = config.scenarios();
    checkAgainstHsMap(settings, context.reference().minerals(), context.reference().stages());

    Dataset<Row> bilateral = ReferenceData.mineralTrade(context.table(Tables.BILATERAL_FLOWS));
    Dataset<Row> countries = context.reference().countries()
        .filter(col("kind").equalTo("country")).select("iso3");
    Dataset<Row> flows = AnnualFlows.of(bilateral, countries)
        .persist(StorageLevel.MEMORY_AND_DISK());
    String runId = context.runId();
    Map<String, BlocMembership> blocs = context.reference().blocs(config.blocs());
    BlocMembership bloc = blocs.get(config.bloc());
    // The flows the benchmarks keep, flagged once for benchmark_prices and price_dynamics.
    Dataset<Row> observations = BenchmarkPrices.observations(bilateral,
        settings.priceOutlierMads()).persist(StorageLevel.MEMORY_AND_DISK());
    // Rows out from the commits (Warehouse logs each table's), not from a second scan.
    long rows = 0;
    try {
      Dataset<Row> exposure = Disruption.exposure(flows, settings.disruptions())
          .persist(StorageLevel.MEMORY_AND_DISK());
      rows += context.write(Tables.DISRUPTION_EXPOSURE,
          exposure.withColumn("run_id", lit(runId)), lit(true));
      rows += context.write(Tables.STOCKPILE_COVER,
          StockpileCover.cover(flows, exposure, settings.stockpiles())
              .withColumn("run_id", lit(runId)), lit(true));
      rows += context.write(Tables.BLOC_SOURCING,
          BlocSourcing.compute(flows, settings.blocs().stream().map(blocs::get).toList())
              .withColumn("run_id", lit(runId)), lit(true));

      Dataset<Row> prices = BenchmarkPrices.fromObservations(observations, bloc,
          settings.floorPrices()).persist(StorageLevel.MEMORY_AND_DISK());
      rows += context.write(Tables.BENCHMARK_PRICES, prices.withColumn("run_id", lit(runId)),
          lit(true));
      rows += context.write(Tables.STOCKPILE_ECONOMICS,
          StockpileEconomics.compute(flows, exposure, prices, settings.stockpiles(),
              settings.stockpileTargets()).withColumn("run_id", lit(runId)), lit(true));
      exposure.unpersist();
      prices.unpersist();
      rows += context.write(Tables.PRICE_DYNAMICS,
          PriceDynamics.compute(observations, settings.floorPrices(), config.chinaLinked(),
              bloc, settings.priceCvWindowMonths()).withColumn("run_id", lit(runId)),
          lit(true));
    } finally {
      flows.unpersist();
      observations.unpersist();
    }
    context.count(0, rows, 0);
  }

  /** Every mineral and stage the configuration names must exist in the HS map. */
  static void checkAgainstHsMap(ScenarioSettings settings, Set<String> minerals,
      Set<String> stages) {
    for (ScenarioSettings.Disruption d : settings.disruptions()) {
      d.minerals().forEach(m -> requireKnown(minerals, m, d.key() + ".minerals", "mineral"));
      if (!d.everyStage()) {
        requireKnown(stages, d.stage(), d.key() + ".stage", "stage");
      }
    }
    for (ScenarioSettings.Stockpile s : settings.stockpiles()) {
      requireKnown(minerals, s.mineral(), s.key() + ".mineral", "mineral");
      if (!ScenarioSettings.ALL_STAGES.equals(s.stage())) {
        requireKnown(stages, s.stage(), s.key() + ".stage", "stage");
      }
    }
    for (ScenarioSettings.FloorPrice f : settings.floorPrices()) {
      requireKnown(minerals, f.mineral(), f.key() + ".mineral", "mineral");
      requireKnown(stages, f.stage(), f.key() + ".stage", "stage");
    }
  }

  private static void requireKnown(Set<String> known, String value, String key, String what) {
    if (!known.contains(value)) {
      throw new UserInputException("configuration key '" + key + "': '" + value + "' is not a "
          + what + " of the HS map (" + String.join(", ", known) + ")");
    }
  }
}
