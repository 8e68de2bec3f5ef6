package org.critmin.scenarios;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.ScenarioSettings;

/**
 * Days of imports a stockpile covers. With the year's imports by net weight scaled to twelve months
 * ({@code annual_import_kg = kg * 12 / months_covered}), {@code days_of_cover = stockpile_kg /
 * (annual_import_kg / 365)}; under a disruption the stockpile only has to fill the uncovered part,
 * {@code days_of_cover_under_disruption = stockpile_kg / (uncovered kg a year / 365)}, null when
 * nothing is uncovered. Years without a known import weight have no row.
 */
public final class StockpileCover {

  /** The scenario value of rows no disruption scenario touches. */
  public static final String NO_SCENARIO = "none";
  private static final double DAYS_PER_YEAR = 365.0;

  private StockpileCover() {}

  /**
   * One row per stockpile, year with imports, and disruption scenario touching its mineral and
   * stage (or {@code none}), from {@link AnnualFlows} rows and the rows of
   * {@link Disruption#exposure}.
   */
  public static Dataset<Row> cover(Dataset<Row> flows, Dataset<Row> exposure,
      List<ScenarioSettings.Stockpile> stockpiles) {
    StructType schema = new StructType()
        .add("importer_iso3", DataTypes.StringType, false)
        .add("mineral", DataTypes.StringType, false)
        .add("stage", DataTypes.StringType, false)
        .add("stockpile_kg", DataTypes.DoubleType, false);
    List<Row> rows = stockpiles.stream()
        .map(s -> RowFactory.create(s.importer(), s.mineral(), s.stage(), s.tonnes() * 1000.0))
        .toList();
    String[] keys = {"importer_iso3", "mineral", "stage"};
    String[] yearKeys = {"importer_iso3", "mineral", "stage", "year"};
    Dataset<Row> imports = flows.groupBy("importer_iso3", "mineral", "stage", "year",
            "months_covered")
        .agg(sum("net_kg").as("import_kg"))
        .join(broadcast(flows.sparkSession().createDataFrame(rows, schema)), keys, "inner")
        .filter(col("import_kg").gt(0));
    Column toYear = lit(12.0).divide(col("months_covered"));
    Column uncoveredYear = col("uncovered_net_kg").multiply(toYear);
    return imports
        .join(exposure.select("scenario", "importer_iso3", "mineral", "stage", "year",
            "uncovered_net_kg"), yearKeys, "left")
        .withColumn("annual_import_kg", col("import_kg").multiply(toYear))
        .select(coalesce(col("scenario"), lit(NO_SCENARIO)).as("scenario"),
            col("importer_iso3"), col("mineral"), col("stage"), col("year"), col("stockpile_kg"),
            col("annual_import_kg"),
            col("stockpile_kg").divide(col("annual_import_kg").divide(DAYS_PER_YEAR))
                .as("days_of_cover"),
            when(uncoveredYear.gt(0), col("stockpile_kg").divide(uncoveredYear
                .divide(DAYS_PER_YEAR))).as("days_of_cover_under_disruption"),
            uncoveredYear.as("uncovered_annual_kg"));
  }
}
