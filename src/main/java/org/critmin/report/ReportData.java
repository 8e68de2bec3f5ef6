package org.critmin.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The aggregations behind the report, as functions Dataset to Dataset; the report collects only
 * their small results. A year of monthly rows is summarised by value-weighted means of the monthly
 * figures (weights: each month's {@code total_value_usd}); an annual row, where there is one, is
 * taken as it is and preferred to the months of the same year.
 */
public final class ReportData {

  /** The frequency of a row: {@code A} annual ({@code month} null) or {@code M} monthly. */
  static final Column FREQUENCY = when(col("month").isNull(), lit("A")).otherwise(lit("M"));

  private ReportData() {}

  /**
   * One row per {@code keys} and year: {@code total_value_usd} and value-weighted means of
   * {@code metrics}, from the annual row where it exists, else from the months of that year.
   */
  public static Dataset<Row> yearly(Dataset<Row> rows, List<String> keys, List<String> metrics) {
    List<Column> groupBy = new ArrayList<>();
    keys.forEach(k -> groupBy.add(col(k)));
    groupBy.add(col("year"));
    groupBy.add(FREQUENCY.as("frequency"));
    List<Column> aggregates = new ArrayList<>();
    for (String metric : metrics) {
      // Weighted over the rows where the metric is known, so a month without it does not pull to 0.
      Column weight = when(col(metric).isNotNull(), col("total_value_usd"));
      aggregates.add(sum(col(metric).multiply(weight)).divide(sum(weight)).as(metric));
    }
    Dataset<Row> byFrequency = rows.groupBy(groupBy.toArray(Column[]::new))
        .agg(sum("total_value_usd").as("total_value_usd"), aggregates.toArray(Column[]::new));
    List<Column> partition = new ArrayList<>();
    keys.forEach(k -> partition.add(col(k)));
    partition.add(col("year"));
    return byFrequency
        .withColumn("pick", row_number().over(Window.partitionBy(partition.toArray(Column[]::new))
            .orderBy(col("frequency"))))
        .filter(col("pick").equalTo(1))
        .drop("pick");
  }

  /** The rows of the latest year found for each value of {@code seriesKey}. */
  public static Dataset<Row> latestYear(Dataset<Row> rows, String seriesKey) {
    return rows.withColumn("latest_year", max("year").over(Window.partitionBy(seriesKey)))
        .filter(col("year").equalTo(col("latest_year")))
        .drop("latest_year");
  }

  /**
   * The {@code n} largest exporters of each mineral in its latest year, from bilateral flows (all
   * stages together, countries only): mineral, year, rank, exporter_iso3, value_usd, share.
   */
  public static Dataset<Row> topSuppliers(Dataset<Row> bilateralFlows, int n) {
    Dataset<Row> byExporter = latestYear(bilateralFlows.filter(col("exporter_kind")
            .equalTo("country").and(col("value_usd").gt(0))), "mineral")
        .groupBy("mineral", "year", "exporter_iso3")
        .agg(sum("value_usd").as("value_usd"));
    return byExporter
        .withColumn("share", col("value_usd").divide(sum("value_usd")
            .over(Window.partitionBy("mineral", "year"))))
        .withColumn("rank", row_number().over(Window.partitionBy("mineral", "year")
            .orderBy(col("value_usd").desc(), col("exporter_iso3"))))
        .filter(col("rank").leq(n))
        .select("mineral", "year", "rank", "exporter_iso3", "value_usd", "share");
  }

  /**
   * Minerals by traded value over all periods of {@code stage = all}, largest first:
   * mineral, total_value_usd.
   */
  public static Dataset<Row> mineralsByValue(Dataset<Row> supplyConcentration) {
    return supplyConcentration.filter(col("stage").equalTo("all"))
        .groupBy("mineral").agg(sum("total_value_usd").as("total_value_usd"))
        .orderBy(col("total_value_usd").desc(), col("mineral"));
  }

  /**
   * The trend series of one mineral: per stage and period, hhi and top3_share, of the mineral's
   * preferred frequency (annual where it has annual rows, else monthly).
   */
  public static Dataset<Row> trend(Dataset<Row> supplyConcentration) {
    return supplyConcentration.withColumn("frequency", FREQUENCY)
        .withColumn("preferred", min("frequency").over(Window.partitionBy("mineral")))
        .filter(col("frequency").equalTo(col("preferred")))
        .select("mineral", "stage", "period", "hhi", "top3_share");
  }
}
