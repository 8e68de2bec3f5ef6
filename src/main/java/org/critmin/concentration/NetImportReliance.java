package org.critmin.concentration;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.SupplyRiskSettings;
import org.critmin.delta.Tables;
import org.critmin.reference.ContentFactors;
import org.critmin.reference.Production;
import org.critmin.reference.PublishedNetImportReliance;

/**
 * {@code gold.net_import_reliance}: apparent consumption and net import reliance per country,
 * mineral, trade stage and year where the stage has a production series for the year
 * (docs/methods.md, "Apparent consumption and net import reliance"):
 *
 * <pre>
 *   consumption = production + imports - exports
 *   NIR         = (imports - exports) / consumption
 *                 (null, with the reason, unless consumption &gt; 0 and imports &gt;= exports)
 * </pre>
 *
 * <ul>
 *   <li>Production: the stage's production series ({@code production_stages} of
 *       {@code concentration.supply_risk}: ore to mine, refined to refined), from the first
 *       source of {@code production_sources} with the mineral, stage and year, in kg. A country
 *       the series does not list produces nothing ({@code production_status = not_listed}); one
 *       it lists without a figure (withheld, "W") has no production, so no NIR.
 *   <li>Imports and exports: the country's own reports (silver trade flows, M and X, all
 *       partners), annual rows where a series has them, else its months. Lumped codes (one code
 *       for several minerals) are left out: their weight is not the mineral's.
 *   <li>Basis: {@code content} where every kilogram traded has a content factor of
 *       {@code conf/reference/content_factors.csv} for its HS6 code and mineral, trade then in
 *       the production series' measure; otherwise {@code gross_weight}, trade in net weight,
 *       which overstates trade against production in metal content.
 *   <li>A net exporter has no NIR ({@code nir_missing} says so), as USGS publishes "E" rather
 *       than a negative share, which a small consumption would make any size.
 *   <li>For the United States, the net import reliance USGS publishes for the mineral (or for
 *       the stage, where USGS gives one figure per product) and year, and the difference.
 * </ul>
 */
public final class NetImportReliance {

  private static final List<String> KEYS = List.of("country_iso3", "mineral", "stage", "year");

  private static final StructType STAGES = new StructType()
      .add("stage", DataTypes.StringType, false)
      .add("production_stage", DataTypes.StringType, false);
  private static final StructType SOURCES = new StructType()
      .add("production_source", DataTypes.StringType, false)
      .add("source_rank", DataTypes.IntegerType, false);

  private NetImportReliance() {}

  /**
   * The table's rows in the column order of {@link Tables#NET_IMPORT_RELIANCE}, from silver trade
   * flows, production ({@link Production#SCHEMA}), content factors
   * ({@link ContentFactors#SCHEMA}) and the USGS figures ({@link PublishedNetImportReliance}).
   */
  public static Dataset<Row> compute(Dataset<Row> tradeFlows, Dataset<Row> production,
      Dataset<Row> contentFactors, Dataset<Row> published, SupplyRiskSettings settings,
      String runId) {
    SparkSession spark = tradeFlows.sparkSession();
    Dataset<Row> trade = tradeTotals(tradeFlows, contentFactors, stageMap(spark,
        settings.productionStages()));
    Dataset<Row> withProduction = withProduction(trade, production,
        sourceRanks(spark, settings.productionSources()));
    return withPublished(reliance(withProduction), published)
        .withColumn("run_id", lit(runId))
        .select(Arrays.stream(Tables.NET_IMPORT_RELIANCE.schema().fieldNames())
            .map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }

  /**
   * Per country, mineral, stage (with a production stage) and year: gross and content weights
   * of imports and exports, the import value, the months covered and the share of traded
   * kilograms with a content factor.
   */
  static Dataset<Row> tradeTotals(Dataset<Row> tradeFlows, Dataset<Row> contentFactors,
      Dataset<Row> stageMap) {
    Dataset<Row> flows = SupplyRisk.annual(tradeFlows
            .filter(col("flow").isin("M", "X").and(not(col("lumped")))),
        List.of("reporter_iso3", "flow", "hs6"));
    Dataset<Row> factors = contentFactors.select(col("hs6").as("cf_hs6"),
        col("mineral").as("cf_mineral"), col("content_share"));
    Column weighed = col("net_kg").gt(0);
    Column imports = col("flow").equalTo("M").and(weighed);
    Column exports = col("flow").equalTo("X").and(weighed);
    Column content = col("net_kg").multiply(col("content_share"));
    return flows
        .join(broadcast(factors), col("hs6").equalTo(col("cf_hs6"))
            .and(col("mineral").equalTo(col("cf_mineral"))), "left")
        .join(broadcast(stageMap), "stage")
        .groupBy(col("reporter_iso3").as("country_iso3"), col("mineral"), col("stage"),
            col("production_stage"), col("year"))
        .agg(sum(when(imports, col("net_kg"))).as("import_gross_kg"),
            sum(when(exports, col("net_kg"))).as("export_gross_kg"),
            sum(when(imports, content)).as("import_content_kg"),
            sum(when(exports, content)).as("export_content_kg"),
            sum(when(weighed, col("net_kg"))).as("traded_kg"),
            sum(when(weighed.and(col("content_share").isNotNull()), col("net_kg")))
                .as("traded_kg_with_factor"),
            sum(when(col("flow").equalTo("M"), col("value_usd"))).as("import_value_usd"),
            max(col("month").isNull()).as("has_annual"),
            count_distinct(col("month")).as("months"));
  }

  /**
   * Keeps the rows whose production stage has a series of the preferred source for the year,
   * and adds the country's production in kg with its status.
   */
  static Dataset<Row> withProduction(Dataset<Row> trade, Dataset<Row> production,
      Dataset<Row> sourceRanks) {
    Dataset<Row> countries = production.filter(col("kind").equalTo(Production.COUNTRY));
    Dataset<Row> series = countries
        .groupBy(col("source").as("production_source"), col("mineral"),
            col("stage").as("production_stage"), col("unit").as("production_unit"), col("year"))
        .agg(count(lit(1)).as("series_rows"))
        .join(broadcast(sourceRanks), "production_source")
        .withColumn("series_rank", row_number().over(Window
            .partitionBy(col("mineral"), col("production_stage"), col("year"))
            .orderBy(col("source_rank"), col("production_unit"))))
        .filter(col("series_rank").equalTo(1))
        .drop("series_rows", "source_rank", "series_rank");
    Dataset<Row> own = countries
        .groupBy(col("source").as("own_source"), col("mineral").as("own_mineral"),
            col("stage").as("own_stage"), col("unit").as("own_unit"),
            col("year").as("own_year"), col("iso3").as("own_iso3"))
        .agg(sum(col("quantity")).as("own_quantity"), count(col("quantity")).as("own_figures"));
    Column ownMatch = col("production_source").equalTo(col("own_source"))
        .and(col("mineral").equalTo(col("own_mineral")))
        .and(col("production_stage").equalTo(col("own_stage")))
        .and(col("production_unit").equalTo(col("own_unit")))
        .and(col("year").equalTo(col("own_year")))
        .and(col("country_iso3").equalTo(col("own_iso3")));
    Column kgPerUnit = SupplyRisk.kilogramsPerUnit(col("production_unit"));
    Column status = when(col("own_iso3").isNull(), lit("not_listed"))
        .when(col("own_figures").equalTo(0), lit("withheld"))
        .otherwise(lit("listed"));
    return trade.join(broadcast(series), new String[] {"mineral", "production_stage", "year"})
        .join(own, ownMatch, "left")
        .withColumn("production_status", status)
        .withColumn("production_kg", when(col("own_iso3").isNull(), lit(0.0).multiply(kgPerUnit))
            .when(col("own_figures").gt(0), col("own_quantity").multiply(kgPerUnit)))
        .drop("own_source", "own_mineral", "own_stage", "own_unit", "own_year", "own_iso3",
            "own_quantity", "own_figures");
  }

  /** Basis, imports and exports on it, apparent consumption, NIR and why it may be missing. */
  static Dataset<Row> reliance(Dataset<Row> rows) {
    Column covered = col("traded_kg").gt(0)
        .and(col("traded_kg_with_factor").equalTo(col("traded_kg")));
    Column imports = when(covered, coalesce(col("import_content_kg"), lit(0.0)))
        .otherwise(coalesce(col("import_gross_kg"), lit(0.0)));
    Column exports = when(covered, coalesce(col("export_content_kg"), lit(0.0)))
        .otherwise(coalesce(col("export_gross_kg"), lit(0.0)));
    Column consumption = col("production_kg").plus(col("import_kg")).minus(col("export_kg"));
    Column missing = when(SupplyRisk.kilogramsPerUnit(col("production_unit")).isNull(),
            lit("production unit is not a mass"))
        .when(col("production_status").equalTo("withheld"),
            lit("production withheld by the source"))
        .when(col("traded_kg").isNull(), lit("no net weight in the trade reports"))
        .when(not(col("apparent_consumption_kg").gt(0)),
            lit("apparent consumption is not positive"))
        .when(col("export_kg").gt(col("import_kg")),
            lit("net exporter (USGS publishes E)"));
    return rows
        .withColumn("basis", when(covered, lit("content")).otherwise(lit("gross_weight")))
        .withColumn("content_factor_share", when(col("traded_kg").gt(0),
            coalesce(col("traded_kg_with_factor"), lit(0.0)).divide(col("traded_kg"))))
        .withColumn("import_kg", imports)
        .withColumn("export_kg", exports)
        .withColumn("apparent_consumption_kg", consumption)
        .withColumn("nir_missing", missing)
        .withColumn("net_import_reliance", when(col("nir_missing").isNull(),
            col("import_kg").minus(col("export_kg")).divide(col("apparent_consumption_kg"))))
        .withColumn("trade_months", when(col("has_annual"), lit(12))
            .otherwise(col("months").cast("int")));
  }

  /**
   * Adds the USGS figure for the United States: the one for the row's stage where USGS gives
   * one per product, else the one for the mineral as a whole; and {@code nir_difference}.
   */
  static Dataset<Row> withPublished(Dataset<Row> rows, Dataset<Row> published) {
    Dataset<Row> figures = published.select(col("mineral").as("p_mineral"),
        col("stage").as("p_stage"), col("year").as("p_year"),
        col("nir_share").as("usgs_published_nir"),
        col("published_value").as("usgs_published_value"),
        col("statistics_detail").as("usgs_nir_detail"));
    Column match = col("country_iso3").equalTo(lit(PublishedNetImportReliance.COUNTRY))
        .and(col("mineral").equalTo(col("p_mineral")))
        .and(col("year").equalTo(col("p_year")))
        .and(col("p_stage").isNull().or(col("p_stage").equalTo(col("stage"))));
    List<Column> key = new ArrayList<>();
    KEYS.forEach(k -> key.add(col(k)));
    return rows.join(broadcast(figures), match, "left")
        .withColumn("figure_rank", row_number().over(Window.partitionBy(key.toArray(
            Column[]::new)).orderBy(col("p_stage").isNull())))
        .filter(col("figure_rank").equalTo(1))
        .withColumn("nir_difference",
            col("net_import_reliance").minus(col("usgs_published_nir")))
        .drop("p_mineral", "p_stage", "p_year", "figure_rank");
  }

  static Dataset<Row> stageMap(SparkSession spark, Map<String, String> stages) {
    List<Row> rows = new ArrayList<>();
    stages.forEach((trade, produced) -> rows.add(RowFactory.create(trade, produced)));
    return spark.createDataFrame(rows, STAGES);
  }

  static Dataset<Row> sourceRanks(SparkSession spark, List<String> sources) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      rows.add(RowFactory.create(sources.get(i), i));
    }
    return spark.createDataFrame(rows, SOURCES);
  }
}
