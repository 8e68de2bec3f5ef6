package org.critmin.scenarios;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.critmin.config.ScenarioSettings;
import org.critmin.reference.BlocMembership;

/**
 * Price dynamics per mineral, stage and period (docs/methods.md, "Scenarios", price_dynamics): how
 * much of the trade went below the floor in force, how China-origin unit values compare with the
 * rest of the world's and the bloc's, and how volatile the median unit value is.
 *
 * <p>Observations are the flows {@link BenchmarkPrices#observations} keeps (positive value and net
 * weight, not outliers), so the medians here are those of {@code benchmark_prices}. A flow is
 * below the floor when its unit value is under the floor in force on the period's last day
 * ({@link FloorSchedule}); the shares weigh flows by net weight and by value. China-origin flows
 * are exported by {@code concentration.china_linked}, the rest of the world is every other
 * exporter, the bloc's members are those in force on the period's last day; the spreads are
 * ratios of medians (below 1: China-origin goods are cheaper). Volatility of the median series of
 * each mineral, stage and frequency, by window functions: the coefficient of variation
 * {@code sd / mean} (sample standard deviation) of the medians of the month and the
 * {@code window - 1} months before it (a calendar window: missing months are not replaced by older
 * ones), or, for annual series, of every year up to the row's; the fall from the running peak
 * {@code 1 - median / max(medians so far)} and its largest value so far, the maximum drawdown.
 */
public final class PriceDynamics {

  private PriceDynamics() {}

  /**
   * Dynamics from {@link BenchmarkPrices#observations} rows; {@code chinaLinked} are the ISO3 codes
   * of China-origin supply, {@code bloc} the bloc of the bloc median, {@code windowMonths} the
   * rolling window of the monthly CV.
   */
  public static Dataset<Row> compute(Dataset<Row> observations,
      List<ScenarioSettings.FloorPrice> floors, List<String> chinaLinked, BlocMembership bloc,
      int windowMonths) {
    Dataset<Row> kept = FloorSchedule.inForce(
        observations.filter(col("outlier").equalTo(false)), floors);
    Column uv = col("unit_value");
    Column kg = col("net_kg");
    Column value = col("value_usd");
    Column china = col("exporter_iso3").isin(chinaLinked.toArray());
    Column inBloc = bloc.contains(col("exporter_iso3"),
        BlocMembership.periodEnd(col("year"), col("month")), col("mineral"));
    Column below = uv.lt(col("floor_usd_per_kg"));
    Column floored = max("floor_usd_per_kg").isNotNull();
    Dataset<Row> periods = kept.groupBy(col("mineral"), col("stage"), col("period"), col("year"),
            col("month"))
        .agg(count(lit(1)).as("n_flows"),
            sum(kg).as("traded_net_kg"),
            sum(value).as("traded_value_usd"),
            max("floor_usd_per_kg").as("floor_usd_per_kg"),
            max("floor_valid_from").as("floor_valid_from"),
            when(floored, sum(when(below, kg).otherwise(0.0)).divide(sum(kg)))
                .as("below_floor_kg_share"),
            when(floored, sum(when(below, value).otherwise(0.0)).divide(sum(value)))
                .as("below_floor_value_share"),
            percentile(uv, lit(0.5)).as("median_usd_per_kg"),
            percentile(when(china, uv), lit(0.5)).as("china_median_usd_per_kg"),
            percentile(when(china.equalTo(false), uv), lit(0.5))
                .as("rest_of_world_median_usd_per_kg"),
            percentile(when(inBloc, uv), lit(0.5)).as("bloc_median_usd_per_kg"),
            count(when(china, lit(1))).as("n_china_flows"),
            count(when(china.equalTo(false), lit(1))).as("n_rest_of_world_flows"),
            count(when(inBloc, lit(1))).as("n_bloc_flows"));

    Column monthly = col("month").isNotNull();
    // Months counted from year 0, so that a range of months crosses years; years for annual rows.
    Column index = when(monthly, col("year").multiply(12).plus(col("month")).minus(1))
        .otherwise(col("year"));
    WindowSpec series = Window.partitionBy(col("mineral"), col("stage"), monthly).orderBy(index);
    WindowSpec rolling = series.rangeBetween(-(windowMonths - 1L), 0);
    WindowSpec soFar = series.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Column median = col("median_usd_per_kg");
    Column cv = when(monthly, stddev_samp(median).over(rolling).divide(avg(median).over(rolling)))
        .otherwise(stddev_samp(median).over(soFar).divide(avg(median).over(soFar)));
    Column peak = max(median).over(soFar);
    Column chinaMedian = col("china_median_usd_per_kg");
    Dataset<Row> withPeaks = periods.select(col("*"),
        chinaMedian.divide(col("rest_of_world_median_usd_per_kg"))
            .as("china_to_rest_of_world_ratio"),
        chinaMedian.divide(col("bloc_median_usd_per_kg")).as("china_to_bloc_ratio"),
        when(monthly, lit(windowMonths)).as("cv_window_months"),
        cv.as("unit_value_cv"),
        when(monthly, count(median).over(rolling)).otherwise(count(median).over(soFar))
            .as("cv_periods"),
        peak.as("running_peak_usd_per_kg"),
        lit(1.0).minus(median.divide(peak)).as("drawdown_from_peak"),
        lit(bloc.name()).as("bloc"));
    // A window over a window's result: a second select, over the same series.
    return withPeaks.withColumn("max_drawdown", max("drawdown_from_peak").over(soFar));
  }
}
