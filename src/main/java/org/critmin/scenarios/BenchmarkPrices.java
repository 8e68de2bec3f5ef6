package org.critmin.scenarios;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.critmin.config.ScenarioSettings;
import org.critmin.reference.BlocMembership;

/**
 * Benchmark unit values (USD per kg) per mineral, stage and period.
 *
 * <p>Each reconciled bilateral flow with a positive value and net weight is one observation of
 * {@code value_usd / net_kg}, unweighted (a transaction benchmark; the value-weighted mean is
 * reported beside it). Outliers: a flow is dropped when its log unit value lies farther than
 * {@code k * 1.4826 * MAD} from the median log unit value of its mineral, stage and period (MAD the
 * median absolute deviation of the logs; 1.4826 makes it a standard-deviation estimate for normal
 * data; k = {@code scenarios.price_outlier_mads}, 3 by default). Logs, because unit values are
 * skewed and a mis-keyed weight errs by factors. Where MAD is 0 (half the flows or more share one
 * value) nothing is dropped. Percentiles are Spark's exact {@code percentile} (linear interpolation
 * between order statistics, as R's default quantile), not {@code percentile_approx}: groups are
 * small, and exact values are reproducible and checkable by hand.
 */
public final class BenchmarkPrices {

  /** Scale of the median absolute deviation to a normal standard deviation. */
  static final double MAD_TO_SD = 1.4826;
  private static final String[] KEYS = {"mineral", "stage", "period"};

  private BenchmarkPrices() {}

  /**
   * Benchmarks from {@code silver.bilateral_flows} rows; the exporters in {@code bloc} at the
   * period's end mark the flows of {@code bloc_median_usd_per_kg}; floors come from the
   * configuration, each in force from its {@code valid_from} ({@link FloorSchedule}).
   */
  public static Dataset<Row> compute(Dataset<Row> bilateral, BlocMembership bloc,
      List<ScenarioSettings.FloorPrice> floors, double outlierMads) {
    return fromObservations(observations(bilateral, outlierMads), bloc, floors);
  }

  /**
   * One observation per bilateral flow with a positive value and net weight: its mineral, stage,
   * period, year, month, exporter, {@code lumped}, {@code value_usd}, {@code net_kg},
   * {@code unit_value} and {@code outlier} (the MAD rule above), for the benchmarks and for
   * {@link PriceDynamics}, which read the same kept flows.
   */
  public static Dataset<Row> observations(Dataset<Row> bilateral, double outlierMads) {
    Dataset<Row> observations = bilateral
        .filter(col("value_usd").gt(0).and(col("net_kg").gt(0)))
        .select(col("mineral"), col("stage"), col("period"), col("year"), col("month"),
            col("exporter_iso3"), col("lumped"), col("value_usd"), col("net_kg"),
            col("value_usd").divide(col("net_kg")).as("unit_value"))
        .withColumn("log_uv", log(col("unit_value")));
    Dataset<Row> centre = observations.groupBy("mineral", "stage", "period")
        .agg(percentile(col("log_uv"), lit(0.5)).as("median_log"));
    Dataset<Row> deviations = observations.join(centre, KEYS, "inner")
        .withColumn("deviation", abs(col("log_uv").minus(col("median_log"))));
    Dataset<Row> spread = deviations.groupBy("mineral", "stage", "period")
        .agg(percentile(col("deviation"), lit(0.5)).as("mad"));
    Column mad = col("mad");
    return deviations.join(spread, KEYS, "inner")
        .select(col("mineral"), col("stage"), col("period"), col("year"), col("month"),
            col("exporter_iso3"), col("lumped"), col("value_usd"), col("net_kg"),
            col("unit_value"), mad.gt(0)
                .and(col("deviation").gt(mad.multiply(MAD_TO_SD * outlierMads))).as("outlier"));
  }

  /** Benchmarks from {@link #observations}. */
  static Dataset<Row> fromObservations(Dataset<Row> flagged, BlocMembership bloc,
      List<ScenarioSettings.FloorPrice> floors) {
    Column kept = col("outlier").equalTo(false);
    Column uv = when(kept, col("unit_value"));
    Column inBloc = bloc.contains(col("exporter_iso3"),
        BlocMembership.periodEnd(col("year"), col("month")), col("mineral"));
    Dataset<Row> prices = flagged.groupBy(col("mineral"), col("stage"), col("period"),
            col("year"), col("month"))
        .agg(count(uv).as("n_flows"),
            count(when(col("outlier"), lit(1))).as("n_outliers"),
            percentile(uv, lit(0.5)).as("median_usd_per_kg"),
            percentile(uv, lit(0.25)).as("p25_usd_per_kg"),
            percentile(uv, lit(0.75)).as("p75_usd_per_kg"),
            percentile(when(inBloc, uv), lit(0.5)).as("bloc_median_usd_per_kg"),
            count(when(inBloc, uv)).as("n_bloc_flows"),
            sum(when(kept, col("value_usd"))).divide(sum(when(kept, col("net_kg"))))
                .as("value_weighted_usd_per_kg"),
            count(when(kept.and(col("lumped")), lit(1))).divide(count(uv))
                .as("lumped_flow_share"));

    return FloorSchedule.inForce(prices, floors)
        .withColumn("floor_gap", col("median_usd_per_kg").divide(col("floor_usd_per_kg"))
            .minus(1.0))
        .withColumn("bloc", lit(bloc.name()));
  }
}
