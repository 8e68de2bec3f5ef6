package org.critmin.delta;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The table contract (docs/tables.md): every table critmin writes, with its schema and comments.
 * Columns analysts rely on keep their names and meaning across versions; new columns are appended.
 * The last list of a large table names the columns analysts filter by, in order of selectivity:
 * {@code maintain} Z-orders the table's files on them so such queries skip most files.
 */
public final class Tables {

  private Tables() {}

  private static final DataType STRING = DataTypes.StringType;
  private static final DataType INT = DataTypes.IntegerType;
  private static final DataType LONG = DataTypes.LongType;
  private static final DataType DOUBLE = DataTypes.DoubleType;
  private static final DataType BOOLEAN = DataTypes.BooleanType;
  private static final DataType TIMESTAMP = DataTypes.TimestampType;

  /** Typed Comtrade records of the mapped HS6 codes, as read, one per data line kept. */
  public static final TableSpec TRADE_RECORDS = new TableSpec("bronze", "trade_records",
      "Comtrade records of mapped HS6 codes as read from the input files (all flows, partner World and "
          + "breakdown rows included), typed; one row per data line kept",
      new StructType()
          .add("period", STRING, false, "YYYY for annual, YYYY-MM for monthly data")
          .add("year", INT, false, "Reference year")
          .add("month", INT, true, "Reference month; null for annual data")
          .add("freq", STRING, false, "A annual or M monthly")
          .add("reporter_code", INT, false, "Comtrade reporter code")
          .add("reporter_iso_raw", STRING, true, "reporterISO as in the file")
          .add("partner_code", INT, false, "Comtrade partner code; 0 is World")
          .add("partner_iso_raw", STRING, true, "partnerISO as in the file")
          .add("partner2_code", INT, true, "Second partner; 0 or null is the total")
          .add("flow_code", STRING, false, "M, X, RM, RX, DX, FM...")
          .add("classification", STRING, true, "Comtrade classification code (H4, H5, H6...)")
          .add("cmd_code", STRING, false, "HS6 commodity code")
          .add("aggr_level", INT, true, "Comtrade aggregation level; 6 for HS6")
          .add("is_aggregate", BOOLEAN, true, "Comtrade isAggregate flag")
          .add("customs_code", STRING, true, "Customs procedure; C00 or null is the total")
          .add("mot_code", INT, true, "Mode of transport; 0 or null is the total")
          .add("mos_code", STRING, true, "Mode of supply")
          .add("qty_unit_code", INT, true, "Quantity unit code; 8 is kilograms")
          .add("qty_unit", STRING, true, "Quantity unit abbreviation")
          .add("qty", DOUBLE, true, "Quantity in qty_unit")
          .add("net_wgt", DOUBLE, true, "Net weight in kg")
          .add("is_net_wgt_estimated", BOOLEAN, true, "Net weight estimated by Comtrade")
          .add("gross_wgt", DOUBLE, true, "Gross weight in kg")
          .add("cif_value", DOUBLE, true, "CIF value in USD")
          .add("fob_value", DOUBLE, true, "FOB value in USD")
          .add("primary_value", DOUBLE, true, "Primary trade value in USD")
          .add("source_format", STRING, false, "Input format, e.g. comtrade_plus")
          .add("source_file", STRING, false, "Input file URI")
          .add("source_modified", TIMESTAMP, true, "Modification time of the input file")
          .add("line_number", LONG, false, "Physical line number in the input file (header is 1)")
          .add("run_id", STRING, false, "Run that loaded the row"),
      List.of(),
      List.of("period", "reporter_code", "cmd_code"));

  /** Data lines that could not be read, with the reason. */
  public static final TableSpec REJECTED_RECORDS = new TableSpec("bronze", "rejected_records",
      "Input lines that could not be read, quarantined with a reason code",
      new StructType()
          .add("source_file", STRING, false, "Input file URI")
          .add("line_number", LONG, true, "Physical line number in the input file (header is 1); "
              + "null for problems of the whole file")
          .add("reason", STRING, false, "Reason code: field_count, broken_quoting, bad_number, "
              + "negative_value, bad_period, unknown_flow, unknown_country, missing_required_field, "
              + "bad_encoding, unreadable_file")
          .add("detail", STRING, true, "What was wrong, naming the column")
          .add("period", STRING, true, "Period of the line where it could be read")
          .add("raw_record", STRING, true, "The line as read, cut at ingest.max_raw_chars")
          .add("run_id", STRING, false, "Run that read the line"),
      List.of(),
      List.of("source_file", "reason"));

  /** Per input file and period: what ingest read, kept, rejected and filtered. */
  public static final TableSpec INGEST_FILES = new TableSpec("bronze", "ingest_files",
      "Per input file and period, the counts of one ingest: lines read, kept, rejected, filtered",
      new StructType()
          .add("source_file", STRING, false, "Input file URI")
          .add("period", STRING, true, "Period; null for lines whose period could not be read")
          .add("source_format", STRING, true, "Detected format")
          .add("source_modified", TIMESTAMP, true, "Modification time of the input file")
          .add("rows_read", LONG, false, "Data lines read (the header is not a row)")
          .add("rows_kept", LONG, false, "Lines loaded into trade_records")
          .add("rows_rejected", LONG, false, "Lines quarantined in rejected_records")
          .add("rows_out_of_scope", LONG, false, "Lines of HS6 codes the map does not cover")
          .add("rows_aggregate", LONG, false, "Lines of commodity codes that are not HS6 leaves")
          .add("run_id", STRING, false, "Run that read the file")
          .add("rows_rejected_in_scope", LONG, true, "Rejected lines that may be a mineral's "
              + "(commodity code in the map or unreadable); the file's in-scope reject ratio is "
              + "this over rows_kept + this")
          .add("rows_repeated_header", LONG, true, "Lines repeating the header, skipped (files "
              + "joined with cat); not in rows_read")
          .add("skipped_reason", STRING, true, "Why a file found in an input folder was not read "
              + "(hidden, not a data file suffix, an undecodable name, a link loop); null when "
              + "read"),
      List.of());

  /** Typed, mapped and deduplicated flows. */
  public static final TableSpec TRADE_FLOWS = new TableSpec("silver", "trade_flows",
      "Reported trade flows of critical minerals: typed, HS6 mapped to mineral and stage, partner World, "
          + "aggregates and breakdowns removed, duplicates resolved (newest file wins); one row per "
          + "reported flow and mineral (a lumped HS6 code appears once per mineral it holds)",
      new StructType()
          .add("period", STRING, false, "YYYY for annual, YYYY-MM for monthly data")
          .add("year", INT, false, "Reference year")
          .add("month", INT, true, "Reference month; null for annual data")
          .add("reporter_code", INT, false, "Comtrade reporter code")
          .add("reporter_iso3", STRING, false, "Reporter ISO3")
          .add("partner_code", INT, false, "Comtrade partner code")
          .add("partner_iso3", STRING, false, "Partner ISO3, or the Comtrade area code")
          .add("partner_kind", STRING, false, "country or unallocated (areas nes, special categories)")
          .add("flow", STRING, false, "M imports or X exports")
          .add("hs6", STRING, false, "HS6 code")
          .add("hs_version", STRING, false, "HS edition used for the mapping: HS2017 or HS2022")
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "Supply-chain stage")
          .add("lumped", BOOLEAN, false, "The HS6 code also holds other materials")
          .add("value_usd", DOUBLE, true, "Trade value in USD (Comtrade primaryValue)")
          .add("cif_usd", DOUBLE, true, "CIF value in USD")
          .add("fob_usd", DOUBLE, true, "FOB value in USD")
          .add("net_kg", DOUBLE, true, "Net weight in kg; null where unknown or zero")
          .add("net_kg_estimated", BOOLEAN, true, "Net weight estimated by Comtrade")
          .add("qty", DOUBLE, true, "Quantity in qty_unit")
          .add("qty_unit", STRING, true, "Quantity unit")
          .add("unit_value_usd_per_kg", DOUBLE, true, "value_usd / net_kg where net_kg > 0")
          .add("source_format", STRING, false, "Input format")
          .add("source_file", STRING, false, "Input file URI")
          .add("run_id", STRING, false, "Run that wrote the row"),
      List.of("year"),
      List.of("mineral", "reporter_iso3", "partner_iso3"));

  /** One value per exporter, importer, HS6 and period, reconciled from both sides' reports. */
  public static final TableSpec BILATERAL_FLOWS = new TableSpec("silver", "bilateral_flows",
      "Bilateral flows reconciled from mirror reports: the importer's report where it exists, else the "
          + "exporter's; one row per exporter, importer, HS6, mineral and period",
      new StructType()
          .add("period", STRING, false, "YYYY for annual, YYYY-MM for monthly data")
          .add("year", INT, false, "Reference year")
          .add("month", INT, true, "Reference month; null for annual data")
          .add("exporter_iso3", STRING, false, "Exporter ISO3 or Comtrade area code")
          .add("importer_iso3", STRING, false, "Importer ISO3 or Comtrade area code")
          .add("exporter_kind", STRING, false, "country or unallocated")
          .add("hs6", STRING, false, "HS6 code")
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "Supply-chain stage")
          .add("lumped", BOOLEAN, false, "The HS6 code also holds other materials")
          .add("value_usd", DOUBLE, true, "Value in USD on the chosen basis")
          .add("net_kg", DOUBLE, true, "Net weight in kg on the chosen basis")
          .add("basis", STRING, false, "importer_reported or exporter_reported")
          .add("import_value_usd", DOUBLE, true, "Value the importer reported (CIF), if any")
          .add("export_value_usd", DOUBLE, true, "Value the exporter reported (FOB), if any")
          .add("mirror_gap", DOUBLE, true, "(import - export) / max(import, export) where both "
              + "reported, else null")
          .add("run_id", STRING, false, "Run that wrote the row"),
      List.of("year"),
      List.of("mineral", "exporter_iso3", "importer_iso3"));

  private static StructType concentrationColumns(StructType head) {
    return head
        .add("total_value_usd", DOUBLE, true, "Total value in USD of the counted partners")
        .add("total_net_kg", DOUBLE, true, "Total net weight in kg where known")
        .add("hhi", DOUBLE, true, "Herfindahl-Hirschman index of value shares, 0..10000")
        .add("hhi_qty", DOUBLE, true, "HHI of net-weight shares, 0..10000, over partners with weight")
        .add("hhi_normalized", DOUBLE, true, "(HHI/10000 - 1/N) / (1 - 1/N); 1 for N = 1")
        .add("top1_iso3", STRING, true, "Largest partner")
        .add("top1_share", DOUBLE, true, "Largest partner's value share, 0..1")
        .add("top3_share", DOUBLE, true, "Value share of the three largest partners, 0..1")
        .add("china_linked_share", DOUBLE, true, "Value share of China, Hong Kong and Macao")
        .add("bloc_share", DOUBLE, true, "Value share of the bloc concentration.bloc, "
            + "with its members on the period's last day")
        .add("concern_share", DOUBLE, true, "Value share of countries of concern: the named list "
            + "of concentration.concern, plus countries whose WGI PV.EST is below its threshold")
        .add("unallocated_value_usd", DOUBLE, true, "Value to or from unallocated areas (areas nes, "
            + "special categories), kept out of shares")
        .add("hhi_wgi", DOUBLE, true, "Governance-weighted HHI sum(s^2 * WGI_scaled), shares as "
            + "fractions, 0..10, WGI from Political Stability (PV.EST), the latest estimate at or "
            + "before the year; over partners with WGI, null if none has it")
        .add("wgi_missing_share", DOUBLE, true, "Value share of partners without a WGI estimate, "
            + "left out of hhi_wgi")
        .add("concentration_level", STRING, true, "low, moderate or high by the configured HHI "
            + "thresholds")
        .add("hhi_change", DOUBLE, true, "HHI minus the HHI of the previous period of the same "
            + "frequency; null if that period is missing")
        .add("run_id", STRING, false, "Run that wrote the row");
  }

  /** World supply concentration by exporter, per mineral, stage and period. */
  public static final TableSpec SUPPLY_CONCENTRATION = new TableSpec("gold", "supply_concentration",
      "Concentration of world supply by exporting country, per mineral, stage (and all) and period",
      concentrationColumns(new StructType()
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "Stage, or all for the mineral as a whole")
          .add("period", STRING, false, "YYYY or YYYY-MM")
          .add("year", INT, false, "Year")
          .add("month", INT, true, "Month; null for annual")
          .add("basis", STRING, false, "reconciled, reported_exports or mirror_imports")
          .add("n_suppliers", INT, false, "Exporting countries with a positive value")),
      List.of(),
      List.of("mineral", "stage", "period"));

  /** One reporter's sourcing (flow M) or destination (flow X) concentration. */
  public static final TableSpec PARTNER_CONCENTRATION = new TableSpec("gold",
      "partner_concentration",
      "Concentration of one reporter's partners from its own reports: flow M is the importer's "
          + "sourcing concentration, flow X the exporter's destination concentration",
      concentrationColumns(new StructType()
          .add("reporter_iso3", STRING, false, "Reporter ISO3")
          .add("flow", STRING, false, "M or X")
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "Stage, or all for the mineral as a whole")
          .add("period", STRING, false, "YYYY or YYYY-MM")
          .add("year", INT, false, "Year")
          .add("month", INT, true, "Month; null for annual")
          .add("n_partners", INT, false, "Partner countries with a positive value"))
          .add("top_partner_iso3", STRING, true, "Largest partner (same as top1_iso3)")
          .add("top_partner_share", DOUBLE, true, "Largest partner's share (same as top1_share)"),
      List.of(),
      List.of("reporter_iso3", "mineral", "period"));

  /** Concentration of mine and refinery production by producing country. */
  public static final TableSpec PRODUCTION_CONCENTRATION = new TableSpec("gold",
      "production_concentration",
      "Concentration of mine and refinery production by producing country, per mineral, stage, "
          + "year, source (USGS MCS 2025 or BGS World Mineral Statistics) and unit; production "
          + "shares, never mixed with trade shares",
      new StructType()
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "mine, refined, smelter, or a product of its own "
              + "(spodumene, ferro_manganese...)")
          .add("year", INT, false, "Production year")
          .add("source", STRING, false, "usgs or bgs")
          .add("unit", STRING, false, "Unit and basis of total_production, e.g. tonnes (metal "
              + "content)")
          .add("total_production", DOUBLE, false, "Sum over the countries with a positive figure, "
              + "in unit")
          .add("n_producers", INT, false, "Countries with a positive figure")
          .add("hhi", DOUBLE, true, "Herfindahl-Hirschman index of production shares, 0..10000")
          .add("top1_iso3", STRING, true, "Largest producer (ties broken by ISO3 code)")
          .add("top1_share", DOUBLE, true, "Largest producer's share, 0..1")
          .add("top3_share", DOUBLE, true, "Share of the three largest producers, 0..1")
          .add("china_share", DOUBLE, true, "China's (CHN) share, 0..1")
          .add("hhi_wgi", DOUBLE, true, "Governance-weighted HHI sum(s^2 * WGI_scaled), shares as "
              + "fractions, 0..10; WGI from Political Stability (PV.EST) only, the latest estimate "
              + "at or before the year (by default at most 3 years older); over producers with "
              + "WGI, null if none has it")
          .add("wgi_missing_share", DOUBLE, true, "Share of production from countries without a "
              + "WGI estimate, left out of hhi_wgi")
          .add("other_production", DOUBLE, true, "USGS 'Other countries' figure, kept out of the "
              + "shares; null for BGS")
          .add("world_total_reported", DOUBLE, true, "World total as the source publishes it "
              + "(USGS, rounded); null for BGS")
          .add("run_id", STRING, false, "Run that wrote the row"),
      List.of());

  /** EU supply risk (JRC 2017 method) of configured importers and blocs. */
  public static final TableSpec SUPPLY_RISK = new TableSpec("gold", "supply_risk",
      "EU supply risk (JRC 2017 guidelines) per mineral, stage (and all: the stage of highest risk) "
          + "and year for each importer or bloc of concentration.supply_risk.importers: "
          + "SR = [HHI_WGI,t(global) IR/2 + HHI_WGI,t(sourcing) (1 - IR/2)] (1 - EoL_RIR) SI",
      new StructType()
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "Trade stage, or all for the stage of highest supply risk")
          .add("year", INT, false, "Year")
          .add("importer", STRING, false, "Importer ISO3 or bloc name as configured")
          .add("hhi_wgi_global", DOUBLE, true, "HHI_WGI,t of global supply, 0..10, on "
              + "hhi_wgi_global_basis")
          .add("hhi_wgi_sourcing", DOUBLE, true, "HHI_WGI,t of the importer's imports by "
              + "partner value (a bloc: extra-bloc imports), 0..10")
          .add("import_reliance", DOUBLE, true, "IR = (M - X) / (P + M - X) clamped to 0..1, "
              + "from net weights and production in kg; null with import_reliance_missing")
          .add("eol_rir", DOUBLE, false, "End-of-life recycling input rate, 0..1, from "
              + "configuration (default 0)")
          .add("substitution_index", DOUBLE, false, "Substitution index for supply risk, 0..1, "
              + "from configuration (default 1)")
          .add("supply_risk", DOUBLE, true, "SR on the HHI_WGI scale (EU: critical from 1 with "
              + "economic importance from 2.8); null where an input is missing, see "
              + "missing_inputs")
          .add("importer_kind", STRING, false, "country or bloc")
          .add("sr_stage", STRING, true, "Stage the row's inputs come from (for all: the stage "
              + "of highest supply risk; null if none has one)")
          .add("hhi_wgi_global_basis", STRING, true, "production_bgs, production_usgs (producer "
              + "shares) or trade (world export shares)")
          .add("hhi_wgi_global_trade", DOUBLE, true, "HHI_WGI,t of world export shares "
              + "(reconciled bilateral flows)")
          .add("hhi_wgi_global_production", DOUBLE, true, "HHI_WGI,t of producer shares of the "
              + "stage's production series")
          .add("global_wgi_missing_share", DOUBLE, true, "Share of global supply (on the basis "
              + "used) without WGI, left out of hhi_wgi_global")
          .add("sourcing_wgi_missing_share", DOUBLE, true, "Share of the importer's imports from "
              + "partners without WGI, left out of hhi_wgi_sourcing")
          .add("governance_measure", STRING, false, "Governance indicator behind every HHI_WGI,t")
          .add("import_value_usd", DOUBLE, true, "Imports in USD (a bloc: extra-bloc)")
          .add("import_net_kg", DOUBLE, true, "M: imports in kg, rows with a net weight")
          .add("export_net_kg", DOUBLE, true, "X: exports in kg, rows with a net weight")
          .add("trade_kg_coverage", DOUBLE, true, "Share of the trade value (M and X) whose net "
              + "weight is known; below 1 M and X are understated")
          .add("domestic_production_kg", DOUBLE, true, "P: the importer's production in kg "
              + "(members' sum; 0 where the source lists it as no producer)")
          .add("production_source", STRING, true, "usgs or bgs: the series behind P and "
              + "hhi_wgi_global_production")
          .add("production_stage", STRING, true, "Production series of the trade stage "
              + "(concentration.supply_risk.production_stages)")
          .add("production_unit", STRING, true, "Unit of the production series (metal or "
              + "oxide content for most, while trade weights are gross)")
          .add("import_reliance_missing", STRING, true, "Why import_reliance is null")
          .add("eu_inputs_default", BOOLEAN, false, "EoL-RIR or substitution index not "
              + "configured for the mineral: defaults 0 and 1 used")
          .add("missing_inputs", STRING, true, "Missing or defaulted inputs, semicolon "
              + "separated")
          .add("run_id", STRING, false, "Run that wrote the row"),
      List.of());

  /** Per scenario, importer, mineral, stage and year: what a supplier disruption puts at risk. */
  public static final TableSpec DISRUPTION_EXPOSURE = new TableSpec("gold", "disruption_exposure",
      "Supplier disruption scenarios (conf/scenarios.conf): per scenario, importer, mineral, stage "
          + "(and all) and year, the imports at risk, what the remaining suppliers could replace "
          + "from their actual world exports, what stays uncovered, and sourcing HHI before and "
          + "after; from reconciled bilateral flows between countries",
      new StructType()
          .add("scenario", STRING, false, "Scenario name from scenarios.disruptions")
          .add("importer_iso3", STRING, false, "Importing country")
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "Stage, or all for the mineral as a whole")
          .add("year", INT, false, "Year (annual data, or the months of a year summed)")
          .add("import_value_usd", DOUBLE, false, "Imports from all supplying countries, USD")
          .add("at_risk_value_usd", DOUBLE, false, "cut_share times the imports from the "
              + "disrupted suppliers, USD")
          .add("at_risk_share", DOUBLE, true, "at_risk_value_usd / import_value_usd, 0..1")
          .add("hhi_before", DOUBLE, true, "Sourcing HHI of the imports by supplier, 0..10000")
          .add("hhi_after", DOUBLE, true, "Sourcing HHI after the cut: remaining imports plus the "
              + "replacement allocated from each remaining supplier, 0..10000")
          .add("replaceable_value_usd", DOUBLE, false, "Share of at_risk_value_usd the remaining "
              + "suppliers' spare exports cover, pooled pro rata to the importers' losses, USD")
          .add("uncovered_value_usd", DOUBLE, false, "at_risk_value_usd - replaceable_value_usd")
          .add("disrupted_suppliers", STRING, false, "ISO3 codes of the suppliers cut, comma "
              + "separated")
          .add("cut_share", DOUBLE, false, "Share of the disrupted suppliers' exports that stops")
          .add("import_net_kg", DOUBLE, true, "Imports by net weight where known, kg")
          .add("at_risk_net_kg", DOUBLE, true, "cut_share times the known weight imported from "
              + "the disrupted suppliers; null if no lost flow has a known weight, kg")
          .add("uncovered_net_kg", DOUBLE, true, "at_risk_net_kg times uncovered_value_usd / "
              + "at_risk_value_usd (replacement assumed at the lost flows' unit value), kg")
          .add("diverted_value_usd", DOUBLE, false, "For an importer not exposed: its imports "
              + "from the remaining suppliers drawn away to exposed importers (the used fraction "
              + "of the spare pool), USD; hhi_after does not count this loss")
          .add("months_covered", INT, false, "12 for annual data, else the months of the year "
              + "with data for the mineral")
          .add("run_id", STRING, false, "Run that wrote the row")
          .add("targeted_importers", STRING, true, "The importers the scenario hits (ISO3 codes, "
              + "comma-separated); null: every importer")
          .add("rerouted_value_usd", DOUBLE, true, "Of at_risk_value_usd, what still arrives "
              + "through third countries (scenario reroute_share); at_risk = rerouted + "
              + "replaceable + uncovered"),
      List.of());

  /** Days of imports a configured stockpile covers, normally and under each disruption. */
  public static final TableSpec STOCKPILE_COVER = new TableSpec("gold", "stockpile_cover",
      "Stockpiles of scenarios.stockpiles (illustrative unless replaced): days of imports covered, "
          + "in normal times and under each disruption scenario touching the mineral and stage",
      new StructType()
          .add("scenario", STRING, false, "Disruption scenario, or none where no scenario touches "
              + "the mineral and stage")
          .add("importer_iso3", STRING, false, "Country holding the stockpile")
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "Stage whose imports the stockpile replaces, or all")
          .add("year", INT, false, "Year of the imports")
          .add("stockpile_kg", DOUBLE, false, "Stockpile from the configuration, tonnes * 1000")
          .add("annual_import_kg", DOUBLE, false, "Imports by net weight in the year, scaled to "
              + "12 months where only some months have data, kg")
          .add("days_of_cover", DOUBLE, false, "stockpile_kg / (annual_import_kg / 365)")
          .add("days_of_cover_under_disruption", DOUBLE, true, "stockpile_kg / (annual uncovered "
              + "kg / 365); null where the scenario leaves nothing uncovered or the lost flows "
              + "have no known weight")
          .add("uncovered_annual_kg", DOUBLE, true, "Uncovered imports of the scenario, scaled to "
              + "12 months like annual_import_kg, kg")
          .add("run_id", STRING, false, "Run that wrote the row"),
      List.of());

  /** Tonnes and cost of stockpile targets, and the days of imports a budget buys. */
  public static final TableSpec STOCKPILE_ECONOMICS = new TableSpec("gold", "stockpile_economics",
      "Per importer, mineral, stage (and all), year, scenario and target: the tonnes a configured "
          + "stockpile (scenarios.stockpiles) or N days of imports (scenarios.stockpile_targets) "
          + "take, normally and for the part each disruption leaves uncovered, their cost at the "
          + "latest benchmark median and at the floor, and the days of imports a budget buys",
      new StructType()
          .add("importer_iso3", STRING, false, "Importing country")
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "Stage, or all for the mineral as a whole")
          .add("year", INT, false, "Year of the imports")
          .add("scenario", STRING, false, "none: all imports; else the disruption scenario whose "
              + "uncovered part is to be covered (rows where it puts imports at risk)")
          .add("target", STRING, false, "stockpile (configured tonnes), days (N days of imports) "
              + "or budget (USD spent on this mineral and stage alone)")
          .add("target_days", INT, true, "N of a days target; null otherwise")
          .add("budget_usd", DOUBLE, true, "Budget of a budget target, USD; null otherwise")
          .add("annual_kg_to_cover", DOUBLE, false, "Imports by net weight from all supplying "
              + "countries in the year (scenario none) or their part the scenario leaves "
              + "uncovered, scaled to 12 months where only some months have data, kg")
          .add("tonnes", DOUBLE, true, "Stockpile tonnes; N days of annual_kg_to_cover / 365; or "
              + "what the budget buys at the median; null for a budget without a price")
          .add("days_of_imports", DOUBLE, true, "Days of annual_kg_to_cover / 365 the tonnes "
              + "cover (N for a days target); null where nothing is to be covered or a budget "
              + "has no price")
          .add("price_period", STRING, true, "Latest period of benchmark_prices for the mineral "
              + "and stage (annual before monthly when both end on the same day)")
          .add("median_usd_per_kg", DOUBLE, true, "Benchmark median of price_period, USD/kg")
          .add("floor_usd_per_kg", DOUBLE, true, "Floor in force in price_period, USD/kg")
          .add("cost_at_median_usd", DOUBLE, true, "tonnes * 1000 * median_usd_per_kg, USD")
          .add("cost_at_floor_usd", DOUBLE, true, "tonnes * 1000 * floor_usd_per_kg, USD")
          .add("budget_days_at_floor", DOUBLE, true, "For a budget: the days of imports it buys "
              + "at the floor price (budget / floor / daily kg); null otherwise")
          .add("cost_missing_reason", STRING, true, "Why a price, and so a cost, is missing; "
              + "null when both median and floor are known")
          .add("months_covered", INT, false, "12 for annual data, else the months of the year "
              + "with data for the mineral")
          .add("run_id", STRING, false, "Run that wrote the row"),
      List.of());

  /** Each importer's sourcing from a partner bloc and what buying only inside it would mean. */
  public static final TableSpec BLOC_SOURCING = new TableSpec("gold", "bloc_sourcing",
      "Per importer, bloc (scenarios.blocs), mineral, stage (and all) and year: the share of "
          + "imports from the bloc, the bloc's share of world supply, and sourcing only inside "
          + "the bloc (this importer alone switching, the other importers unchanged)",
      new StructType()
          .add("importer_iso3", STRING, false, "Importing country")
          .add("bloc", STRING, false, "Bloc name from concentration.blocs; members are those "
              + "of 31 December of the year")
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "Stage, or all for the mineral as a whole")
          .add("year", INT, false, "Year (annual data, or the months of a year summed)")
          .add("import_value_usd", DOUBLE, false, "Imports from all supplying countries, USD")
          .add("bloc_value_usd", DOUBLE, false, "Imports from bloc members, USD")
          .add("bloc_share_of_imports", DOUBLE, true, "bloc_value_usd / import_value_usd, 0..1")
          .add("bloc_share_of_world_supply", DOUBLE, true, "Bloc members' share of all countries' "
              + "exports of the mineral and stage in the year, 0..1")
          .add("hhi_current", DOUBLE, true, "Sourcing HHI of the imports by supplier, 0..10000")
          .add("hhi_inside_bloc", DOUBLE, true, "Sourcing HHI if the imports from outside the bloc "
              + "moved to bloc members pro rata to their spare exports (world exports minus what "
              + "they already ship to this importer), over what the bloc covers, 0..10000")
          .add("bloc_spare_value_usd", DOUBLE, false, "Bloc members' (other than the importer) "
              + "world exports minus what they already ship to this importer, USD")
          .add("uncovered_inside_bloc_value_usd", DOUBLE, false, "Imports from outside the bloc "
              + "that the bloc's spare exports cannot cover, USD")
          .add("run_id", STRING, false, "Run that wrote the row"),
      List.of());

  /** Unit-value benchmarks per mineral, stage and period, against configured floor prices. */
  public static final TableSpec BENCHMARK_PRICES = new TableSpec("gold", "benchmark_prices",
      "Benchmark unit values (USD per kg) per mineral, stage and period from reconciled bilateral "
          + "flows with a positive net weight, outliers removed (log unit value beyond "
          + "scenarios.price_outlier_mads scaled MADs from the median), overall and for exports "
          + "from the bloc, against the floor prices of scenarios.floor_prices",
      new StructType()
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "Stage")
          .add("period", STRING, false, "YYYY or YYYY-MM")
          .add("n_flows", LONG, false, "Flows kept (positive value and net weight, not outliers)")
          .add("median_usd_per_kg", DOUBLE, false, "Median unit value of the kept flows (exact, "
              + "linear interpolation), USD/kg")
          .add("p25_usd_per_kg", DOUBLE, false, "25th percentile of the kept flows, USD/kg")
          .add("p75_usd_per_kg", DOUBLE, false, "75th percentile of the kept flows, USD/kg")
          .add("bloc_median_usd_per_kg", DOUBLE, true, "Median over kept flows exported by "
              + "members of the bloc; null if none, USD/kg")
          .add("floor_usd_per_kg", DOUBLE, true, "Configured floor price; null if none")
          .add("floor_gap", DOUBLE, true, "median_usd_per_kg / floor_usd_per_kg - 1: below 0 the "
              + "benchmark is under the floor")
          .add("year", INT, false, "Year")
          .add("month", INT, true, "Month; null for annual")
          .add("n_outliers", LONG, false, "Flows dropped as outliers")
          .add("bloc", STRING, false, "Bloc of bloc_median_usd_per_kg (concentration.bloc)")
          .add("n_bloc_flows", LONG, false, "Kept flows exported by bloc members")
          .add("value_weighted_usd_per_kg", DOUBLE, false, "Sum of value / sum of net weight over "
              + "the kept flows, USD/kg")
          .add("lumped_flow_share", DOUBLE, false, "Share of kept flows under HS6 codes that also "
              + "hold other materials (their unit value is a blend)")
          .add("run_id", STRING, false, "Run that wrote the row"),
      List.of());

  /** Below-floor trade, China-origin price spreads and volatility of unit values. */
  public static final TableSpec PRICE_DYNAMICS = new TableSpec("gold", "price_dynamics",
      "Per mineral, stage and period, over the flows benchmark_prices keeps: the share of traded "
          + "net weight and value below the floor in force, median unit values of China-linked, "
          + "rest-of-world and bloc exports and their ratios, and the volatility of the median "
          + "(rolling coefficient of variation, fall from the running peak, maximum drawdown)",
      new StructType()
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "Stage")
          .add("period", STRING, false, "YYYY or YYYY-MM")
          .add("year", INT, false, "Year")
          .add("month", INT, true, "Month; null for annual")
          .add("n_flows", LONG, false, "Flows kept (positive value and net weight, not outliers)")
          .add("traded_net_kg", DOUBLE, false, "Net weight of the kept flows, kg")
          .add("traded_value_usd", DOUBLE, false, "Value of the kept flows, USD")
          .add("floor_usd_per_kg", DOUBLE, true, "Floor in force on the period's last day "
              + "(scenarios.floor_prices); null if none")
          .add("floor_valid_from", DataTypes.DateType, true, "valid_from of that floor; null for "
              + "a floor in force from the first period")
          .add("below_floor_kg_share", DOUBLE, true, "Share of traded_net_kg in flows whose unit "
              + "value is under the floor, 0..1; null without a floor")
          .add("below_floor_value_share", DOUBLE, true, "Share of traded_value_usd in flows "
              + "whose unit value is under the floor, 0..1; null without a floor")
          .add("median_usd_per_kg", DOUBLE, false, "Median unit value of the kept flows (as in "
              + "benchmark_prices), USD/kg")
          .add("china_median_usd_per_kg", DOUBLE, true, "Median over flows exported by "
              + "concentration.china_linked; null if none, USD/kg")
          .add("rest_of_world_median_usd_per_kg", DOUBLE, true, "Median over flows of every "
              + "other exporter; null if none, USD/kg")
          .add("bloc_median_usd_per_kg", DOUBLE, true, "Median over flows exported by members "
              + "of the bloc on the period's last day; null if none, USD/kg")
          .add("china_to_rest_of_world_ratio", DOUBLE, true, "china_median / "
              + "rest_of_world_median: below 1 China-origin goods are cheaper")
          .add("china_to_bloc_ratio", DOUBLE, true, "china_median / bloc_median")
          .add("n_china_flows", LONG, false, "Kept flows exported by China-linked countries")
          .add("n_rest_of_world_flows", LONG, false, "Kept flows of every other exporter")
          .add("n_bloc_flows", LONG, false, "Kept flows exported by bloc members")
          .add("bloc", STRING, false, "Bloc of bloc_median_usd_per_kg (concentration.bloc)")
          .add("cv_window_months", INT, true, "Monthly rows: the months of the rolling window "
              + "(scenarios.price_cv_window_months); null for annual rows (every year so far)")
          .add("unit_value_cv", DOUBLE, true, "Coefficient of variation (sample sd / mean) of "
              + "median_usd_per_kg over the window; null with fewer than 2 periods")
          .add("cv_periods", LONG, false, "Periods with a median in the window (a full monthly "
              + "window has cv_window_months)")
          .add("running_peak_usd_per_kg", DOUBLE, false, "Highest median of the series up to "
              + "this period (series: mineral, stage and frequency), USD/kg")
          .add("drawdown_from_peak", DOUBLE, false, "1 - median / running peak: the fall from "
              + "the highest median so far, 0..1")
          .add("max_drawdown", DOUBLE, false, "Largest drawdown_from_peak so far: the deepest "
              + "peak-to-trough fall of the series up to this period, 0..1")
          .add("run_id", STRING, false, "Run that wrote the row"),
      List.of());

  /** Accounting of every input line, per file and period. */
  public static final TableSpec DATA_QUALITY = new TableSpec("gold", "data_quality",
      "Per input file and period: every data line read is kept, rejected or filtered, and the counts "
          + "reconcile (rows_read = rows_kept + rows_rejected + rows_filtered; rows_filtered is the "
          + "sum of its causes, each counted on its own)",
      new StructType()
          .add("run_id", STRING, false, "Run that produced the counts")
          .add("source_file", STRING, false, "Input file URI")
          .add("period", STRING, true, "Period; null for lines whose period could not be read")
          .add("rows_read", LONG, false, "Data lines read")
          .add("rows_kept", LONG, false, "Lines that reached silver.trade_flows")
          .add("rows_rejected", LONG, false, "Lines in bronze.rejected_records")
          .add("rows_filtered", LONG, false, "Lines left out on purpose: out-of-scope or aggregate "
              + "codes, partner World, breakdowns, other flows, duplicates")
          .add("rows_out_of_scope", LONG, true, "Of the filtered: HS6 codes the map does not cover "
              + "(in the record's HS edition or the other)")
          .add("rows_aggregate", LONG, true, "Of the filtered: commodity aggregates")
          .add("rows_world", LONG, true, "Of the filtered: partner World totals")
          .add("rows_breakdown", LONG, true, "Of the filtered: partner2, customs or transport "
              + "breakdowns of a total")
          .add("rows_other_flow", LONG, true, "Of the filtered: flows other than the configured "
              + "import and export flows")
          .add("duplicates_removed", LONG, true, "Of the filtered: repeats of a kept record (same "
              + "key and value)")
          .add("rows_superseded", LONG, true, "Of the filtered: figures replaced by a newer file "
              + "reporting the same reporter, flow, HS6 and period")
          .add("conflicts_resolved", LONG, true, "Of the filtered: same key as a kept record of "
              + "the same file but another value (the later line wins)")
          .add("world_total_mismatches", LONG, true, "Reporter, flow and HS6 groups whose partners do "
              + "not add up to the World row within 1% (or 1 USD)")
          .add("mirror_pairs", LONG, true, "Flows of this file's period reported by both sides")
          .add("median_mirror_gap", DOUBLE, true, "Median mirror_gap of those pairs")
          .add("rows_unknown_reporter", LONG, true, "Of the filtered: records whose reporter code "
              + "the country table does not know")
          .add("corrections_dropping_partners", LONG, true, "Reports (reporter, flow, HS6, "
              + "period) in which this file, the newest, lists fewer than half the partners an "
              + "older file listed: its figures replaced theirs")
          .add("partners_dropped", LONG, true, "Partners those reports no longer list"),
      List.of());

  /** One row per run of any command. */
  public static final TableSpec PIPELINE_RUNS = new TableSpec("gold", "pipeline_runs",
      "One row per critmin run: command, status, inputs, configuration digest and row counts",
      new StructType()
          .add("run_id", STRING, false, "Run id, also on every row the run wrote")
          .add("command", STRING, false, "Command: pipeline, ingest, refine, concentration...")
          .add("started_at", TIMESTAMP, false, "Start time (UTC)")
          .add("finished_at", TIMESTAMP, true, "End time (UTC)")
          .add("status", STRING, false, "succeeded, failed or rejected_input")
          .add("inputs", STRING, true, "Input paths, comma separated")
          .add("config_digest", STRING, true, "SHA-256 prefix of the resolved configuration")
          .add("version", STRING, true, "critmin version")
          .add("rows_in", LONG, true, "Data lines read")
          .add("rows_out", LONG, true, "Rows written to the command's main output")
          .add("rows_rejected", LONG, true, "Lines quarantined")
          .add("message", STRING, true, "Summary or error message")
          .add("application_id", STRING, true, "Spark application id of the run, as the Spark "
              + "UI, the event log and the cluster manager (YARN, Kubernetes) name it"),
      List.of());

  /** Columns of {@code shock_estimates}: the event, the regression columns, status and reason. */
  private static StructType shockEstimateColumns() {
    return new StructType()
        .add("event_id", STRING, false, "Event of conf/reference/shock_events.csv")
        .add("model", STRING, false, "Model name given by the caller")
        .add("formula", STRING, false, "Formula in fixest syntax, as written")
        .add("estimator", STRING, false, "ols or ppml (Poisson pseudo-maximum likelihood)")
        .add("term", STRING, false, "Coefficient name; i() dummies as var::level")
        .add("estimate", DOUBLE, true, "Coefficient estimate; null when not estimable")
        .add("std_error", DOUBLE, true, "Standard error under se_type and ssc; null when not "
            + "estimable")
        .add("statistic", DOUBLE, true, "estimate / std_error: t for ols, z for ppml; null when "
            + "not estimable")
        .add("p_value", DOUBLE, true, "Two-sided p-value: t distribution with the residual (iid, "
            + "hetero) or smallest G - 1 (cluster) degrees of freedom for ols, normal for ppml; "
            + "null when not estimable")
        .add("ci_low", DOUBLE, true, "Lower bound of the 95% confidence interval; null when not "
            + "estimable")
        .add("ci_high", DOUBLE, true, "Upper bound of the 95% confidence interval; null when not "
            + "estimable")
        .add("se_type", STRING, true, "iid, hetero (HC1) or cluster(var,...); several variables: "
            + "multiway (Cameron-Gelbach-Miller); null when not estimable")
        .add("ssc", STRING, true, "Small-sample convention: full (K counts every identified "
            + "parameter, as sandwich::vcovCL HC1), nested (fixed effects nested in a cluster "
            + "not counted, fixest default), none (no correction); null when not estimable")
        .add("n_obs", LONG, true, "Observations used, after dropping singletons (ols) or "
            + "observations separated by the fixed effects (ppml); null when not estimable")
        .add("n_clusters", LONG, true, "Smallest number of clusters among the cluster variables; "
            + "null unless clustered; null when not estimable")
        .add("fixed_effects", STRING, true, "Absorbed fixed effects, '+'-separated, a^b for "
            + "interactions; null if none; null when not estimable")
        .add("r2_within", DOUBLE, true, "ols: R2 of the demeaned outcome (ordinary R2 without "
            + "fixed effects); null for ppml; null when not estimable")
        .add("pseudo_r2", DOUBLE, true, "ppml: squared correlation of the outcome and the fitted "
            + "mean; null for ols; null when not estimable")
        .add("iterations", INT, true, "IRLS iterations (ppml) or demeaning sweeps (ols); null "
            + "when not estimable")
        .add("converged", BOOLEAN, true, "Whether the estimation converged; null when not "
            + "estimable")
        .add("status", STRING, false, "estimated, or not_estimable (see reason)")
        .add("reason", STRING, true, "Why the model could not be estimated; null if estimated")
        .add("frequency", STRING, true, "annual or monthly: the data the model was fitted on")
        .add("event_period", STRING, true, "Period the event is dated to (YYYY or YYYY-MM): the "
            + "one holding the effective date if it falls in its first half, else the next")
        .add("run_id", STRING, false, "Run that wrote the row");
  }

  /** Supply-shock regressions: one row per event, model and coefficient, or a not_estimable row. */
  public static final TableSpec SHOCK_ESTIMATES = new TableSpec("gold", "shock_estimates",
      "Supply-shock regressions per event of shock_events.csv and model of conf/shocks.conf "
          + "(direct, rerouting, unit_values, event_study): one row per coefficient; a model that "
          + "cannot be estimated is one row with status not_estimable and the reason",
      shockEstimateColumns(),
      List.of());

  /** Event-study coefficients by period relative to the event. */
  public static final TableSpec EVENT_STUDY = new TableSpec("gold", "event_study",
      "Event-study coefficients of the shock models: the effect in each period relative to the "
          + "event period, reference period -1 (estimate 0), end periods binned",
      new StructType()
          .add("model", STRING, false, "Model name, e.g. event_study")
          .add("event_id", STRING, false, "Event of conf/reference/shock_events.csv")
          .add("rel_period", INT, false, "Periods since the event period (years or months); 0 is "
              + "the event period")
          .add("estimate", DOUBLE, false, "Coefficient; for PPML exp(estimate) - 1 is the "
              + "proportional change relative to period -1; 0 for the reference period")
          .add("std_error", DOUBLE, true, "Standard error; null for the reference period")
          .add("ci_low", DOUBLE, true, "Lower bound of the 95% confidence interval")
          .add("ci_high", DOUBLE, true, "Upper bound of the 95% confidence interval")
          .add("p_value", DOUBLE, true, "Two-sided p-value")
          .add("frequency", STRING, false, "annual or monthly")
          .add("end_bin", BOOLEAN, false, "The first or last bin, which also holds the periods "
              + "beyond it")
          .add("run_id", STRING, false, "Run that wrote the row"),
      List.of());

  /**
   * The critical-minerals agreements and groupings by partner and date
   * ({@code conf/reference/partnerships.csv}), for joins to trade by partner and period.
   */
  public static final TableSpec PARTNERSHIPS = new TableSpec("gold", "partnerships",
      "Critical-minerals agreements and groupings, one row per framework and partner, with the "
          + "date signed or joined, the minerals and instruments named, source and confidence",
      new StructType()
          .add("framework", STRING, false, "The agreement's name")
          .add("kind", STRING, false, "bilateral_mou, framework, action_plan, "
              + "multilateral_partnership, trade_zone or agreement")
          .add("partner_iso3", STRING, true, "The partner (ISO3; EUR the European Union); null "
              + "where no public source names the members")
          .add("signed_date", DataTypes.DateType, false, "Signed or joined (the first of the "
              + "month where only the month is known)")
          .add("signed_precision", STRING, false, "day or month")
          .add("ended_date", DataTypes.DateType, true, "Ended or superseded; null while in force")
          .add("minerals", DataTypes.createArrayType(STRING, false), false, "Minerals covered; "
              + "['all'] for critical minerals in general")
          .add("instruments", DataTypes.createArrayType(STRING, false), false, "Instruments "
              + "named: price_floor, offtake, finance, stockpile, investment, trade_zone, "
              + "cooperation")
          .add("source", STRING, false, "Sources, ' ; '-separated")
          .add("confidence", STRING, false, "verified, reported, sources_disagree or unnamed")
          .add("note", STRING, true, "What the source says; gaps and disagreements")
          .add("partner_wgi_pv", DOUBLE, true, "The partner's latest WGI Political Stability "
              + "estimate (PV.EST)")
          .add("partner_wgi_year", INT, true, "Year of that estimate")
          .add("partner_of_concern", BOOLEAN, true, "The partner is a supplier of concern: named "
              + "in concentration.concern.countries or PV.EST below its wgi_threshold")
          .add("run_id", STRING, false, "Run that wrote the row"),
      List.of());

  /** Concentration of production, capacity and reserves by country. */
  public static final TableSpec RESOURCE_CONCENTRATION = new TableSpec("gold",
      "resource_concentration",
      "Concentration of production, capacity and reserves among countries, per mineral, stage, "
          + "measure, year, source and unit (USGS MCS 2025 production, capacity and reserves; "
          + "BGS production); measure = production repeats production_concentration",
      new StructType()
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "Stage of the production series: mine, refined, sponge...")
          .add("measure", STRING, false, "production, capacity or reserves")
          .add("year", INT, false, "Year of production or capacity; for reserves the year they "
              + "are reported for (MCS 2025: 2024)")
          .add("source", STRING, false, "usgs or bgs")
          .add("unit", STRING, false, "Unit and basis as the source gives it, e.g. metric tons")
          .add("total_quantity", DOUBLE, false, "Sum over the countries with a positive figure, "
              + "in unit")
          .add("n_countries", INT, false, "Countries with a positive figure")
          .add("hhi", DOUBLE, true, "Herfindahl-Hirschman index of the countries' shares, "
              + "0..10000")
          .add("top1_iso3", STRING, true, "Largest holder (ties broken by ISO3 code)")
          .add("top1_share", DOUBLE, true, "Largest holder's share, 0..1")
          .add("top3_share", DOUBLE, true, "Share of the three largest holders, 0..1")
          .add("china_share", DOUBLE, true, "China's (CHN) share, 0..1")
          .add("hhi_wgi", DOUBLE, true, "Governance-weighted HHI sum(s^2 * WGI_scaled), 0..10, "
              + "as in production_concentration")
          .add("wgi_missing_share", DOUBLE, true, "Share of countries without a WGI estimate, "
              + "left out of hhi_wgi")
          .add("other_quantity", DOUBLE, true, "The source's 'Other countries' figure, outside "
              + "the shares")
          .add("world_total_reported", DOUBLE, true, "World total as the source publishes it "
              + "(USGS, rounded); null where it has none")
          .add("world_total_lower_bound", BOOLEAN, false, "The source gives the world total as "
              + "more than (>) world_total_reported")
          .add("notes", STRING, true, "The source's notes, 'country: note', ' | '-separated")
          .add("run_id", STRING, false, "Run that wrote the row"),
      List.of());

  /** A country group's share of world production, capacity and reserves. */
  public static final TableSpec GROUP_RESOURCE_SHARES = new TableSpec("gold",
      "group_resource_shares",
      "Share of each country group of concentration.resource_groups in world production, "
          + "capacity and reserves, per mineral, stage, measure, year, source and unit",
      new StructType()
          .add("group_name", STRING, false, "Group of concentration.blocs; members are those of "
              + "31 December of the year")
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "Stage of the production series")
          .add("measure", STRING, false, "production, capacity or reserves")
          .add("year", INT, false, "Year")
          .add("source", STRING, false, "usgs or bgs")
          .add("unit", STRING, false, "Unit and basis as the source gives it")
          .add("group_total", DOUBLE, false, "Sum of the members' figures, in unit")
          .add("n_group_countries", INT, false, "Members with a positive figure")
          .add("countries_total", DOUBLE, false, "Sum of every listed country's figure")
          .add("other_quantity", DOUBLE, true, "The source's 'Other countries' figure: in the "
              + "world total, in no group")
          .add("world_total_reported", DOUBLE, true, "World total as the source publishes it")
          .add("world_total", DOUBLE, false, "The world total used: world_total_reported, else "
              + "countries_total plus other_quantity")
          .add("world_total_basis", STRING, false, "source_world_row, countries_plus_other or "
              + "sum_of_countries")
          .add("world_total_lower_bound", BOOLEAN, false, "The source gives the world total as "
              + "more than (>) its figure, so share is an upper bound")
          .add("share", DOUBLE, true, "group_total / world_total, 0..1")
          .add("share_of_listed", DOUBLE, false, "group_total / countries_total, 0..1")
          .add("run_id", STRING, false, "Run that wrote the row"),
      List.of());

  /** Apparent consumption and net import reliance per country. */
  public static final TableSpec NET_IMPORT_RELIANCE = new TableSpec("gold",
      "net_import_reliance",
      "Apparent consumption (production + imports - exports) and net import reliance "
          + "((imports - exports) / consumption) per country, mineral, stage and year where the "
          + "stage has a production series, with the USGS published figure for the United States",
      new StructType()
          .add("country_iso3", STRING, false, "Reporting country")
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "Trade stage (ore, refined)")
          .add("year", INT, false, "Year")
          .add("production_stage", STRING, false, "Production series stage (mine, refined)")
          .add("production_source", STRING, false, "usgs or bgs: the first of "
              + "concentration.supply_risk.production_sources with the series")
          .add("production_unit", STRING, false, "Unit of the production series")
          .add("production_status", STRING, false, "listed, not_listed (taken as 0) or withheld "
              + "(no figure published)")
          .add("production_kg", DOUBLE, true, "The country's production, kg")
          .add("import_kg", DOUBLE, false, "Imports on the basis, kg")
          .add("export_kg", DOUBLE, false, "Exports on the basis, kg")
          .add("apparent_consumption_kg", DOUBLE, true, "production_kg + import_kg - export_kg")
          .add("net_import_reliance", DOUBLE, true, "(import_kg - export_kg) / "
              + "apparent_consumption_kg, 0..1; null with nir_missing (a net exporter, "
              + "consumption not positive, production withheld)")
          .add("basis", STRING, false, "content (every traded kg has a content factor of "
              + "content_factors.csv) or gross_weight (net weight of the goods as traded)")
          .add("content_factor_share", DOUBLE, true, "Share of traded kg whose HS6 code has a "
              + "content factor")
          .add("import_gross_kg", DOUBLE, true, "Imports, net weight as reported, kg")
          .add("export_gross_kg", DOUBLE, true, "Exports, net weight as reported, kg")
          .add("import_value_usd", DOUBLE, true, "Imports, USD")
          .add("trade_months", INT, false, "12 for annual reports, else the months reported")
          .add("nir_missing", STRING, true, "Why net_import_reliance is null")
          .add("usgs_published_nir", DOUBLE, true, "USGS MCS 2026 net import reliance for the "
              + "United States, as a share; null where USGS publishes a bound or 'E'")
          .add("usgs_published_value", STRING, true, "The USGS value as published (percent, "
              + "'>50', 'E' for net exporter)")
          .add("usgs_nir_detail", STRING, true, "What USGS measured")
          .add("nir_difference", DOUBLE, true, "net_import_reliance - usgs_published_nir")
          .add("run_id", STRING, false, "Run that wrote the row"),
      List.of());

  /** Every table, in pipeline order. */
  public static final List<TableSpec> ALL = List.of(
      TRADE_RECORDS,
      REJECTED_RECORDS,
      INGEST_FILES,
      TRADE_FLOWS,
      BILATERAL_FLOWS,
      SUPPLY_CONCENTRATION,
      PARTNER_CONCENTRATION,
      PRODUCTION_CONCENTRATION,
      RESOURCE_CONCENTRATION,
      GROUP_RESOURCE_SHARES,
      NET_IMPORT_RELIANCE,
      PARTNERSHIPS,
      SHOCK_ESTIMATES,
      EVENT_STUDY,
      SUPPLY_RISK,
      DISRUPTION_EXPOSURE,
      STOCKPILE_COVER,
      STOCKPILE_ECONOMICS,
      BLOC_SOURCING,
      BENCHMARK_PRICES,
      PRICE_DYNAMICS,
      DATA_QUALITY,
      PIPELINE_RUNS);
}
