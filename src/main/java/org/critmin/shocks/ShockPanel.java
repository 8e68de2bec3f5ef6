package org.critmin.shocks;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Builds the panels the shock models are fitted on, as functions Dataset to Dataset: country flows
 * of one frequency with a period index, zeros filled where a pair did not trade, and the treatment
 * columns of one event.
 *
 * <p>Zero rule: a pair (exporter, importer, HS6) that traded in the window gets a row for each
 * period of the window in which the importer imported that HS6 from anyone or the exporter exported
 * it to anyone; where the pair itself has no flow in such a period its value is 0. Periods in which
 * neither side traded the product at all are left out, so a country missing from the data (not
 * reporting) is not read as a stop of trade. Flows reported with an unknown value stay unknown
 * (null) and are left out of the models.
 */
public final class ShockPanel {

  /** Data frequency of a panel. */
  public enum Frequency {
    ANNUAL, MONTHLY;

    public String label() {
      return this == ANNUAL ? "annual" : "monthly";
    }

    /**
     * Index of the event period: the period holding {@code date} if the date falls in its first
     * half (January to June of a year, day 1 to 15 of a month), else the next period.
     */
    public int eventIndex(LocalDate date) {
      return this == ANNUAL
          ? date.getYear() + (date.getMonthValue() <= 6 ? 0 : 1)
          : date.getYear() * 12 + date.getMonthValue() - 1 + (date.getDayOfMonth() <= 15 ? 0 : 1);
    }

    /** The period label ({@code YYYY} or {@code YYYY-MM}) of a period index. */
    public String period(int index) {
      return this == ANNUAL ? String.valueOf(index)
          : String.format("%04d-%02d", Math.floorDiv(index, 12), Math.floorMod(index, 12) + 1);
    }
  }

  /** Country flows of {@link #countryFlows}, the input of {@link #withZeros}. */
  public static final StructType FLOW_SCHEMA = new StructType()
      .add("exporter", DataTypes.StringType, false, "Exporter ISO3")
      .add("importer", DataTypes.StringType, false, "Importer ISO3")
      .add("hs6", DataTypes.StringType, false, "HS6 code")
      .add("period", DataTypes.StringType, false, "YYYY or YYYY-MM")
      .add("frequency", DataTypes.StringType, false, "annual or monthly")
      .add("period_index", DataTypes.IntegerType, false, "year for annual data, year * 12 + "
          + "month - 1 for monthly data: consecutive periods differ by 1")
      .add("value_usd", DataTypes.DoubleType, true, "Value in USD; null if unknown")
      .add("net_kg", DataTypes.DoubleType, true, "Net weight in kg; null if unknown");

  /** The panel of one event that the model formulas of {@code conf/shocks.conf} refer to. */
  public static final StructType PANEL_SCHEMA = new StructType()
      .add("exporter", DataTypes.StringType, false, "Exporter ISO3")
      .add("importer", DataTypes.StringType, false, "Importer ISO3")
      .add("hs6", DataTypes.StringType, false, "HS6 code")
      .add("period", DataTypes.StringType, false, "YYYY or YYYY-MM")
      .add("period_index", DataTypes.IntegerType, false, "Consecutive period number")
      .add("pair", DataTypes.StringType, false, "exporter-importer, the cluster variable")
      .add("value_usd", DataTypes.DoubleType, true, "Value in USD, 0 where filled by the zero rule")
      .add("net_kg", DataTypes.DoubleType, true, "Net weight in kg")
      .add("unit_value", DataTypes.DoubleType, true, "value_usd / net_kg where both are positive")
      .add("post", DataTypes.DoubleType, false, "1 in and after the event period")
      .add("treated_unit", DataTypes.DoubleType, false, "1 for flows from the restricting country "
          + "(to the targeted importers when the event names targets)")
      .add("treated", DataTypes.DoubleType, false, "treated_unit * post")
      .add("targeted", DataTypes.DoubleType, false, "1 for flows into targeted importers")
      .add("targeted_post", DataTypes.DoubleType, false, "targeted * post")
      .add("rel_period", DataTypes.IntegerType, false, "Periods since the event period for "
          + "treated_unit flows, binned at -leads and +lags; -1 (the reference) otherwise");

  private ShockPanel() {}

  /**
   * One row per exporter, importer, HS6 and period from {@code critmin_silver.bilateral_flows}
   * (which repeats a lumped HS6 code once per mineral), country to country only: exporters of kind
   * country and importers in {@code countryIso3} (areas and unallocated partners left out).
   */
  public static Dataset<Row> countryFlows(Dataset<Row> bilateral, Dataset<Row> countryIso3) {
    Column monthly = col("month").isNotNull();
    return bilateral.filter(col("exporter_kind").equalTo("country"))
        .join(countryIso3.select(col("iso3").as("importer_iso3")), "importer_iso3")
        .select(col("exporter_iso3").as("exporter"), col("importer_iso3").as("importer"),
            col("hs6"), col("period"),
            when(monthly, lit("monthly")).otherwise(lit("annual")).as("frequency"),
            when(monthly, col("year").multiply(12).plus(col("month")).minus(1))
                .otherwise(col("year")).cast("int").as("period_index"),
            col("value_usd"), col("net_kg"))
        .dropDuplicates("exporter", "importer", "hs6", "period");
  }

  /**
   * The flows of one window with zeros filled by the zero rule (class comment); adds
   * {@code unit_value} and {@code pair}. Input in {@link #FLOW_SCHEMA}, one frequency.
   */
  public static Dataset<Row> withZeros(Dataset<Row> flows) {
    Dataset<Row> traded = flows.filter(col("value_usd").gt(0));
    Dataset<Row> importing = traded.select("importer", "hs6", "period_index").distinct()
        .withColumn("importer_active", lit(true));
    Dataset<Row> exporting = traded.select("exporter", "hs6", "period_index").distinct()
        .withColumn("exporter_active", lit(true));
    Dataset<Row> grid = traded.select("exporter", "importer", "hs6").distinct()
        .crossJoin(flows.select("period", "period_index").distinct())
        .join(importing, new String[] {"importer", "hs6", "period_index"}, "left")
        .join(exporting, new String[] {"exporter", "hs6", "period_index"}, "left")
        .filter(coalesce(col("importer_active"), lit(false))
            .or(coalesce(col("exporter_active"), lit(false))))
        .drop("importer_active", "exporter_active");
    Dataset<Row> reported = flows.select(col("exporter"), col("importer"), col("hs6"),
        col("period_index"), col("value_usd"), col("net_kg"), lit(true).as("reported"));
    Column value = when(col("reported").isNull(), lit(0.0)).otherwise(col("value_usd"));
    return grid.join(reported, new String[] {"exporter", "importer", "hs6", "period_index"}, "left")
        .withColumn("value_usd", value)
        .withColumn("unit_value", when(col("value_usd").gt(0).and(col("net_kg").gt(0)),
            col("value_usd").divide(col("net_kg"))))
        .withColumn("pair", concat_ws("-", col("exporter"), col("importer")))
        .drop("reported");
  }

  /**
   * Adds the treatment columns of {@link #PANEL_SCHEMA} for an event of {@code imposer} on
   * {@code targets} (empty: all importers) whose event period has index {@code eventIndex};
   * {@code targetedImporters} are the importers the re-routing model treats as targeted.
   */
  public static Dataset<Row> withTreatment(Dataset<Row> panel, String imposer,
      List<String> targets, List<String> targetedImporters, int eventIndex, int leads,
      int lags) {
    Column post = col("period_index").geq(eventIndex);
    Column unit = col("exporter").equalTo(imposer);
    if (!targets.isEmpty()) {
      unit = unit.and(col("importer").isin(targets.toArray()));
    }
    Column targeted = targetedImporters.isEmpty() ? lit(false)
        : col("importer").isin(targetedImporters.toArray());
    Column binned = greatest(lit(-leads), least(lit(lags),
        col("period_index").minus(eventIndex)));
    return panel
        .withColumn("post", dummy(post))
        .withColumn("treated_unit", dummy(unit))
        .withColumn("treated", dummy(unit.and(post)))
        .withColumn("targeted", dummy(targeted))
        .withColumn("targeted_post", dummy(targeted.and(post)))
        .withColumn("rel_period", when(unit, binned).otherwise(lit(-1)).cast("int"));
  }

  private static Column dummy(Column condition) {
    return when(condition, lit(1.0)).otherwise(lit(0.0));
  }
}
