package org.critmin.concentration;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
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
import org.critmin.reference.Production;

/**
 * {@code gold.supply_risk}: the EU supply risk of each configured importer or bloc, per mineral,
 * trade stage and year (European Commission, JRC, "Methodology for establishing the EU list of
 * critical raw materials: Guidelines", 2017; docs/methods.md, "Governance-weighted HHI and EU supply risk"):
 *
 * <pre>
 *   SR = [HHI_WGI,t(global) * IR/2 + HHI_WGI,t(sourcing) * (1 - IR/2)] * (1 - EoL_RIR) * SI_SR
 *   IR = (M - X) / (P + M - X), clamped to 0..1
 * </pre>
 *
 * <p>How each input is made, documented because each choice moves the number:
 * <ul>
 *   <li>{@code HHI_WGI,t} is {@link GovernanceWeighting#byGroup} (WGI PV.EST only, scaled 0..10,
 *       trade-restriction factors from configuration; suppliers without WGI are left out and
 *       their share reported).
 *   <li>Global supply: producer shares from USGS/BGS production of the stage's production series
 *       (the first configured source that has the mineral, stage and year), falling back on world
 *       export shares from reconciled bilateral flows; or export shares only
 *       ({@code global_basis = trade}). Every row names its basis.
 *   <li>Sourcing: shares of the importer's own reported imports by value from partner countries
 *       (unallocated areas left out). For a bloc, imports of its members from outside the bloc.
 *       Unlike the EU method, domestic production is not part of the sourcing mix: trade values
 *       and production tonnages cannot be added.
 *   <li>M and X: the importer's reported import and export net weights in kg (for a bloc,
 *       extra-bloc trade of its members); P: the importer's production (members' sum) in kg from
 *       the same production series. Production is in metal or oxide content for most series
 *       while trade weights are gross, so IR leans towards 1 for ores; the unit is reported.
 *       A country the source does not list is taken as producing nothing. IR is null, with the
 *       reason, where the stage has no production series, the source has no data for the year,
 *       the unit cannot be read as a mass, or imports carry no net weight.
 *   <li>Years: a series (reporter, flow, HS6) uses its annual rows where it has any for the year,
 *       else the sum of its monthly rows.
 *   <li>{@code stage = all}: the stage with the highest supply risk (the EU method takes the
 *       higher of extraction and processing), its inputs copied and named in {@code sr_stage}.
 * </ul>
 */
public final class SupplyRisk {

  /** The governance measure every row uses. */
  static final String GOVERNANCE_MEASURE = "WGI PV.EST only, scaled 5 - 2x and clamped to 0..10";

  private static final List<String> KEYS = List.of("importer", "mineral", "stage", "year");

  private static final StructType IMPORTERS = new StructType()
      .add("importer", DataTypes.StringType, false)
      .add("importer_kind", DataTypes.StringType, false)
      .add("member_iso3", DataTypes.StringType, false);
  private static final StructType STAGES = new StructType()
      .add("stage", DataTypes.StringType, false)
      .add("production_stage", DataTypes.StringType, false);
  private static final StructType SOURCES = new StructType()
      .add("source", DataTypes.StringType, false)
      .add("source_rank", DataTypes.IntegerType, false);
  private static final StructType MINERAL_INPUTS = new StructType()
      .add("mineral", DataTypes.StringType, false)
      .add("configured_eol_rir", DataTypes.DoubleType, true)
      .add("configured_substitution_index", DataTypes.DoubleType, true);

  /** Columns set to null on an {@code all} row when no stage has a supply risk. */
  private static final List<String> STAGE_VALUES = List.of("hhi_wgi_global", "hhi_wgi_sourcing",
      "import_reliance", "supply_risk", "hhi_wgi_global_basis", "hhi_wgi_global_trade",
      "hhi_wgi_global_production", "global_wgi_missing_share", "sourcing_wgi_missing_share",
      "import_value_usd", "import_net_kg", "export_net_kg", "trade_kg_coverage",
      "domestic_production_kg", "production_source", "production_stage", "production_unit",
      "import_reliance_missing");

  private SupplyRisk() {}

  /**
   * The table's rows in the column order of {@link Tables#SUPPLY_RISK}, from silver trade flows
   * and bilateral flows, production in the {@link Production#SCHEMA} layout and WGI in the
   * {@link org.critmin.reference.Governance#WGI_SCHEMA} layout.
   */
  public static Dataset<Row> compute(Dataset<Row> tradeFlows, Dataset<Row> bilateral,
      Dataset<Row> production, Dataset<Row> wgi, SupplyRiskSettings settings,
      Map<String, List<String>> blocs, String runId) {
    SparkSession spark = tradeFlows.sparkSession();
    GovernanceWeighting.Options weighting = GovernanceWeighting.Options.defaults()
        .withRestrictions(settings.tradeRestrictions().stream()
            .map(t -> new GovernanceWeighting.TradeRestriction(t.mineral(), t.iso3(), t.factor()))
            .toList());
    Dataset<Row> importers = importers(spark, settings, blocs);

    Dataset<Row> trade = importerTrade(tradeFlows, importers);
    Dataset<Row> totals = trade.groupBy(columns(KEYS)).agg(
        first("importer_kind").as("importer_kind"),
        sum(when(col("flow").equalTo("M"), col("value_usd"))).as("import_value_usd"),
        sum(when(col("flow").equalTo("M").and(col("net_kg").gt(0)), col("net_kg")))
            .as("import_net_kg"),
        sum(when(col("flow").equalTo("X").and(col("net_kg").gt(0)), col("net_kg")))
            .as("export_net_kg"),
        sum(col("value_usd")).as("trade_value"),
        sum(when(col("net_kg").gt(0), col("value_usd"))).as("trade_value_with_kg"));

    Dataset<Row> sourcing = GovernanceWeighting.byGroup(GovernanceWeighting.sharesOf(
            trade.filter(col("flow").equalTo("M").and(col("partner_kind").equalTo("country"))),
            KEYS, "partner_iso3", "value_usd"), KEYS, wgi, weighting)
        .withColumnRenamed("hhi_wgi", "hhi_wgi_sourcing")
        .withColumnRenamed("wgi_missing_share", "sourcing_wgi_missing_share");

    List<String> worldKeys = List.of("mineral", "stage", "year");
    Dataset<Row> worldTrade = GovernanceWeighting.byGroup(GovernanceWeighting.sharesOf(
            annual(bilateral, List.of("exporter_iso3", "importer_iso3", "hs6"))
                .filter(col("exporter_kind").equalTo("country")),
            worldKeys, "exporter_iso3", "value_usd"), worldKeys, wgi, weighting)
        .withColumnRenamed("hhi_wgi", "hhi_wgi_global_trade")
        .withColumnRenamed("wgi_missing_share", "global_trade_wgi_missing_share");

    Dataset<Row> rows = totals
        .join(sourcing, KEYS.toArray(String[]::new), "left")
        .join(worldTrade, worldKeys.toArray(String[]::new), "left")
        .join(broadcast(stageMap(spark, settings)), new String[] {"stage"}, "left");
    rows = withProduction(rows, production, importers, wgi, weighting, settings);
    rows = withInputs(rows, spark, settings);
    return withHighestStage(supplyRisk(rows, settings))
        .withColumn("governance_measure", lit(GOVERNANCE_MEASURE))
        .withColumn("run_id", lit(runId))
        .select(Arrays.stream(Tables.SUPPLY_RISK.schema().fieldNames())
            .map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }

  /** One row per importer and member: a country is its own member, a bloc has its list. */
  static Dataset<Row> importers(SparkSession spark, SupplyRiskSettings settings,
      Map<String, List<String>> blocs) {
    List<Row> rows = new ArrayList<>();
    for (String importer : settings.importers()) {
      String bloc = SupplyRiskSettings.blocOf(importer, blocs);
      if (bloc == null) {
        rows.add(RowFactory.create(importer, "country", importer));
      } else {
        blocs.get(bloc).forEach(m -> rows.add(RowFactory.create(importer, "bloc", m)));
      }
    }
    return spark.createDataFrame(rows, IMPORTERS);
  }

  /**
   * The importers' reported flows (M and X) with their partner: for a bloc, its members' reports
   * of trade with partners outside the bloc.
   */
  static Dataset<Row> importerTrade(Dataset<Row> tradeFlows, Dataset<Row> importers) {
    Dataset<Row> sameImporter = importers.select(col("importer").as("p_importer"),
        col("member_iso3").as("p_member"));
    Dataset<Row> flows = annual(tradeFlows, List.of("reporter_iso3", "flow", "hs6"));
    return flows.join(broadcast(importers), flows.col("reporter_iso3")
            .equalTo(importers.col("member_iso3")))
        .join(broadcast(sameImporter), col("importer").equalTo(col("p_importer"))
            .and(col("partner_iso3").equalTo(col("p_member"))), "left")
        .filter(col("p_member").isNull())
        .drop("p_importer", "p_member");
  }

  /**
   * Annual figures of each series: its annual rows where it has any for the year, else its monthly
   * rows (to be summed), so a year reported both ways is not counted twice.
   */
  static Dataset<Row> annual(Dataset<Row> rows, List<String> seriesKeys) {
    List<String> partition = new ArrayList<>(seriesKeys);
    partition.add("year");
    return rows.withColumn("series_has_annual", max(col("month").isNull())
            .over(Window.partitionBy(columns(partition))))
        .filter(col("month").isNull().or(not(col("series_has_annual"))))
        .drop("series_has_annual");
  }

  /**
   * Adds the chosen production series of the stage (the first configured source with the
   * mineral, stage and year), its governance-weighted HHI and the importer's production in kg.
   */
  private static Dataset<Row> withProduction(Dataset<Row> rows, Dataset<Row> production,
      Dataset<Row> importers, Dataset<Row> wgi, GovernanceWeighting.Options weighting,
      SupplyRiskSettings settings) {
    List<String> seriesKeys = List.of("source", "mineral", "stage", "unit", "year");
    Dataset<Row> producers = production.filter(col("kind").equalTo(Production.COUNTRY)
        .and(col("quantity").isNotNull()));
    Dataset<Row> series = GovernanceWeighting.byGroup(GovernanceWeighting.sharesOf(producers,
            seriesKeys, "iso3", "quantity"), seriesKeys, wgi, weighting)
        .join(broadcast(sources(rows.sparkSession(), settings)), "source")
        .withColumn("series_rank", row_number().over(Window
            .partitionBy(col("mineral"), col("stage"), col("year")).orderBy(col("source_rank"))))
        .filter(col("series_rank").equalTo(1))
        .select(col("mineral"), col("stage").as("production_stage"), col("year"),
            col("source").as("production_source"), col("unit").as("production_unit"),
            col("hhi_wgi").as("hhi_wgi_global_production"),
            col("wgi_missing_share").as("global_production_wgi_missing_share"));
    Dataset<Row> ownProduction = producers
        .join(broadcast(importers), col("iso3").equalTo(col("member_iso3")))
        .groupBy(col("importer"), col("source").as("production_source"), col("mineral"),
            col("stage").as("production_stage"), col("year"))
        .agg(sum("quantity").as("own_quantity"));
    return rows
        .join(series, new String[] {"mineral", "production_stage", "year"}, "left")
        .join(ownProduction, new String[] {"importer", "production_source", "mineral",
            "production_stage", "year"}, "left")
        .withColumn("domestic_production_kg", when(col("production_source").isNotNull(),
            coalesce(col("own_quantity"), lit(0.0))
                .multiply(kilogramsPerUnit(col("production_unit")))))
        .drop("own_quantity");
  }

  /**
   * Kilograms in one unit of a production series ("metric tons", "tonnes (metal content)",
   * "thousand metric tons", "kilograms"...); null for a unit that is not a mass.
   */
  static Column kilogramsPerUnit(Column unit) {
    // Case-insensitive by regular expression rather than lower(): Spark 4.0 maps case with ICU,
    // whose first use in a process builds tables for all of Unicode (5 s of one task at 10M).
    return when(unit.rlike("(?i)^thousand metric"), lit(1e6))
        .when(unit.rlike("(?i)^(metric ton|tonnes)"), lit(1e3))
        .when(unit.rlike("(?i)^kilogram"), lit(1.0));
  }

  /** Adds eol_rir and substitution_index from configuration, with their defaults 0 and 1. */
  private static Dataset<Row> withInputs(Dataset<Row> rows, SparkSession spark,
      SupplyRiskSettings settings) {
    List<Row> configured = new ArrayList<>();
    java.util.Set<String> minerals = new java.util.TreeSet<>(settings.eolRir().keySet());
    minerals.addAll(settings.substitutionIndex().keySet());
    for (String m : minerals) {
      configured.add(RowFactory.create(m, settings.eolRir().get(m),
          settings.substitutionIndex().get(m)));
    }
    return rows.join(broadcast(spark.createDataFrame(configured, MINERAL_INPUTS)),
            new String[] {"mineral"}, "left")
        .withColumn("eol_rir", coalesce(col("configured_eol_rir"), lit(0.0)))
        .withColumn("substitution_index",
            coalesce(col("configured_substitution_index"), lit(1.0)))
        .withColumn("eu_inputs_default", col("configured_eol_rir").isNull()
            .or(col("configured_substitution_index").isNull()))
        .drop("configured_eol_rir", "configured_substitution_index");
  }

  /** Import reliance, the global HHI_WGI,t on the configured basis, and the supply risk. */
  static Dataset<Row> supplyRisk(Dataset<Row> rows, SupplyRiskSettings settings) {
    Column importsWithoutWeight = col("import_value_usd").gt(0)
        .and(col("import_net_kg").isNull());
    Column irMissing = when(col("production_stage").isNull(),
            concat(lit("no production series for stage "), col("stage")))
        .when(col("production_source").isNull(),
            lit("no production data for this mineral, stage and year"))
        .when(col("domestic_production_kg").isNull(),
            concat(lit("production unit is not a mass: "), col("production_unit")))
        .when(importsWithoutWeight, lit("imports carry no net weight"));
    Column netImports = coalesce(col("import_net_kg"), lit(0.0))
        .minus(coalesce(col("export_net_kg"), lit(0.0)));
    // IR = (M - X) / (P + M - X) clamped to 0..1: a net exporter relies on no imports.
    Column reliance = when(irMissing.isNull(), when(netImports.leq(0), lit(0.0))
        .otherwise(least(greatest(netImports.divide(col("domestic_production_kg")
            .plus(netImports)), lit(0.0)), lit(1.0))));

    boolean production = "production".equals(settings.globalBasis());
    Column global = production
        ? coalesce(col("hhi_wgi_global_production"), col("hhi_wgi_global_trade"))
        : col("hhi_wgi_global_trade");
    Column globalBasis = production
        ? when(col("hhi_wgi_global_production").isNotNull(),
            concat(lit("production_"), col("production_source")))
            .when(col("hhi_wgi_global_trade").isNotNull(), lit("trade"))
        : when(col("hhi_wgi_global_trade").isNotNull(), lit("trade"));
    Column globalMissing = production
        ? when(col("hhi_wgi_global_production").isNotNull(),
            col("global_production_wgi_missing_share"))
            .otherwise(col("global_trade_wgi_missing_share"))
        : col("global_trade_wgi_missing_share");

    Column ir = col("import_reliance");
    Column g = col("hhi_wgi_global");
    Column s = col("hhi_wgi_sourcing");
    // With IR = 0 the global term is 0 whatever the global HHI_WGI,t.
    Column globalTerm = when(ir.equalTo(0), lit(0.0)).otherwise(g.multiply(ir).divide(2));
    Column risk = globalTerm.plus(s.multiply(lit(1.0).minus(ir.divide(2))))
        .multiply(lit(1.0).minus(col("eol_rir"))).multiply(col("substitution_index"));
    Column missing = concat_ws("; ",
        col("import_reliance_missing"),
        when(s.isNull(), lit("no imports from partner countries, so no sourcing HHI_WGI")),
        when(g.isNull(), lit("no global HHI_WGI (no production or export shares with WGI)")),
        when(col("eu_inputs_default"), lit("EoL-RIR or substitution index at default 0 / 1")));
    return rows
        .withColumn("import_reliance_missing", irMissing)
        .withColumn("import_reliance", reliance)
        .withColumn("hhi_wgi_global", global)
        .withColumn("hhi_wgi_global_basis", globalBasis)
        .withColumn("global_wgi_missing_share", globalMissing)
        .withColumn("trade_kg_coverage", when(col("trade_value").gt(0),
            coalesce(col("trade_value_with_kg"), lit(0.0)).divide(col("trade_value"))))
        .withColumn("supply_risk", risk)
        .withColumn("missing_inputs", when(missing.notEqual(""), missing));
  }

  /**
   * The rows per stage, each with {@code sr_stage} = its stage, plus the {@code all} row of each
   * importer, mineral and year: a copy of the stage with the highest supply risk (ties by stage
   * name). Where no stage has one, the {@code all} row says so and carries no inputs. The copy is
   * made by exploding the top row, so the plan above is computed once, not once per union side.
   */
  static Dataset<Row> withHighestStage(Dataset<Row> byStage) {
    Column isAll = col("is_all_row");
    Dataset<Row> rows = byStage
        .withColumn("risk_rank", row_number().over(Window
            .partitionBy(col("importer"), col("mineral"), col("year"))
            .orderBy(col("supply_risk").desc_nulls_last(), col("stage"))))
        .withColumn("is_all_row", explode(when(col("risk_rank").equalTo(1),
            array(lit(false), lit(true))).otherwise(array(lit(false)))))
        .withColumn("keeps_inputs", not(isAll).or(col("supply_risk").isNotNull()));
    Column keeps = col("keeps_inputs");
    for (String c : STAGE_VALUES) {
      rows = rows.withColumn(c, when(keeps, col(c)));
    }
    return rows
        .withColumn("sr_stage", when(keeps, col("stage")))
        .withColumn("missing_inputs", when(keeps, col("missing_inputs"))
            .otherwise(lit("no stage has every input of the supply risk")))
        .withColumn("stage", when(isAll, lit(ConcentrationJob.ALL_STAGES))
            .otherwise(col("stage")))
        .drop("risk_rank", "is_all_row", "keeps_inputs");
  }

  private static Dataset<Row> stageMap(SparkSession spark, SupplyRiskSettings settings) {
    List<Row> rows = settings.productionStages().entrySet().stream()
        .map(e -> RowFactory.create(e.getKey(), e.getValue())).toList();
    return spark.createDataFrame(rows, STAGES);
  }

  private static Dataset<Row> sources(SparkSession spark, SupplyRiskSettings settings) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < settings.productionSources().size(); i++) {
      rows.add(RowFactory.create(settings.productionSources().get(i), i));
    }
    return spark.createDataFrame(rows, SOURCES);
  }

  private static Column[] columns(List<String> names) {
    return names.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }
}
