package org.critmin.scenarios;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.ScenarioSettings;

/**
 * The yearly country-to-country flows the scenarios work on, from {@code silver.bilateral_flows}
 * (one reconciled value per exporter, importer, HS6 and period, so no flow counts twice).
 *
 * <p>Rules: only exporting countries count (flows from unallocated areas have no known origin to cut
 * or replace). A year is taken from annual rows where the mineral has any in that year, else as the
 * sum of its months, and {@code months_covered} says how many months that is (12 for annual data),
 * so that rates per day can be scaled. Each flow appears once under its stage and once under stage
 * {@code all}, the mineral as a whole, as in the concentration tables. Net weights count where they
 * are positive.
 */
public final class AnnualFlows {

  /** The columns every scenario calculation reads. */
  public static final StructType SCHEMA = new StructType()
      .add("exporter_iso3", DataTypes.StringType, false, "Exporting country")
      .add("importer_iso3", DataTypes.StringType, false, "Importer (country or area)")
      .add("importer_is_country", DataTypes.BooleanType, false, "Importer is a country")
      .add("mineral", DataTypes.StringType, false, "Mineral id")
      .add("stage", DataTypes.StringType, false, "Stage, or all")
      .add("year", DataTypes.IntegerType, false, "Year")
      .add("months_covered", DataTypes.IntegerType, false, "12, or the months with data")
      .add("value_usd", DataTypes.DoubleType, false, "Value in USD")
      .add("net_kg", DataTypes.DoubleType, true, "Net weight in kg where known");

  private AnnualFlows() {}

  /**
   * Yearly flows per exporter, importer, mineral, stage (and all) and year, in {@link #SCHEMA};
   * {@code countryIso3} (one column {@code iso3}) lists the codes that are countries.
   */
  public static Dataset<Row> of(Dataset<Row> bilateral, Dataset<Row> countryIso3) {
    Dataset<Row> countryFlows = bilateral
        .filter(col("exporter_kind").equalTo("country").and(col("value_usd").gt(0)))
        .withColumn("annual_in_year", max(col("month").isNull())
            .over(Window.partitionBy("mineral", "year")));
    Dataset<Row> chosen = countryFlows
        .filter(col("month").isNull().or(col("annual_in_year").equalTo(false)));
    Dataset<Row> months = chosen.groupBy("mineral", "year")
        .agg(when(max(col("month").isNull()), lit(12)).otherwise(count_distinct(col("month")))
            .as("months_covered"));
    Dataset<Row> perStage = chosen
        .select(col("exporter_iso3"), col("importer_iso3"), col("mineral"), col("stage"),
            col("year"), col("value_usd"), when(col("net_kg").gt(0), col("net_kg")).as("net_kg"));
    Dataset<Row> countries = countryIso3.select(col("iso3").as("importer_iso3")).distinct()
        .withColumn("importer_is_country", lit(true));
    return perStage.unionByName(perStage.withColumn("stage", lit(ScenarioSettings.ALL_STAGES)))
        .groupBy("exporter_iso3", "importer_iso3", "mineral", "stage", "year")
        .agg(sum("value_usd").as("value_usd"), sum("net_kg").as("net_kg"))
        .join(months, new String[] {"mineral", "year"}, "inner")
        .join(broadcast(countries), new String[] {"importer_iso3"}, "left")
        .select(col("exporter_iso3"), col("importer_iso3"),
            col("importer_is_country").isNotNull().as("importer_is_country"), col("mineral"),
            col("stage"), col("year"), col("months_covered").cast("int").as("months_covered"),
            col("value_usd"), col("net_kg"));
  }
}
