package org.critmin.concentration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.reference.BlocMembership;
import org.critmin.CommandResult;
import org.critmin.SparkTestSession;
import org.critmin.config.ConfigLoader;
import org.critmin.config.CritminConfig;
import org.critmin.config.SupplyRiskSettings;
import org.critmin.config.UserInputException;
import org.critmin.reference.Governance;
import org.critmin.reference.Production;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * EU supply risk and the WGI-threshold concern group on tiny frames; every expected value is worked
 * out in the comments. WGI_scaled = clamp(5 - 2 * PV.EST, 0, 10): CHN 0.0 -> 5, AUS 1.0 -> 3,
 * COD -2.0 -> 9, JPN 1.0 -> 3, USA 0.5 -> 4; ZZZ has no estimate. Cobalt from CHN carries the
 * trade-restriction factor 1.5; cobalt has EoL-RIR 0.2 and substitution index 0.9 configured, so
 * (1 - 0.2) * 0.9 = 0.72 multiplies every cobalt supply risk.
 */
class SupplyRiskTest {
  private static final double EPS = 1e-9;
  private static final Path LOCAL = Path.of(CommandResult.home(), "conf/local.conf");

  private static final StructType TRADE = new StructType()
      .add("reporter_iso3", DataTypes.StringType)
      .add("flow", DataTypes.StringType)
      .add("hs6", DataTypes.StringType)
      .add("year", DataTypes.IntegerType)
      .add("month", DataTypes.IntegerType)
      .add("partner_iso3", DataTypes.StringType)
      .add("partner_kind", DataTypes.StringType)
      .add("mineral", DataTypes.StringType)
      .add("stage", DataTypes.StringType)
      .add("value_usd", DataTypes.DoubleType)
      .add("net_kg", DataTypes.DoubleType);
  private static final StructType BILATERAL = new StructType()
      .add("exporter_iso3", DataTypes.StringType)
      .add("importer_iso3", DataTypes.StringType)
      .add("exporter_kind", DataTypes.StringType)
      .add("hs6", DataTypes.StringType)
      .add("year", DataTypes.IntegerType)
      .add("month", DataTypes.IntegerType)
      .add("mineral", DataTypes.StringType)
      .add("stage", DataTypes.StringType)
      .add("value_usd", DataTypes.DoubleType);

  private static Dataset<Row> wgi;
  private static Map<String, Row> risk;

  @BeforeAll
  static void compute() {
    SparkSession spark = SparkTestSession.get();
    wgi = spark.createDataFrame(List.of(
        RowFactory.create("CHN", null, 2020, 0.0),
        RowFactory.create("AUS", null, 2020, 1.0),
        RowFactory.create("COD", null, 2020, -2.0),
        RowFactory.create("JPN", null, 2020, 1.0),
        RowFactory.create("USA", null, 2020, 0.5),
        RowFactory.create("PAK", null, 2020, -1.5),
        RowFactory.create("BRA", null, 2020, -0.5),
        RowFactory.create("IRQ", null, 2016, -2.0)), Governance.WGI_SCHEMA);

    List<Row> trade = new ArrayList<>();
    // USA, cobalt ore 2020: M from COD 300 USD / 20000 kg, from CHN 100 USD / 10000 kg; X to JPN
    // 5000 kg. A monthly row of a series that also has an annual row is left out (not 999 more).
    trade.add(flow("USA", "M", "260500", null, "COD", "ore", 300.0, 20000.0));
    trade.add(flow("USA", "M", "260500", null, "CHN", "ore", 100.0, 10000.0));
    trade.add(flow("USA", "M", "260500", 3, "COD", "ore", 999.0, 99999.0));
    trade.add(flow("USA", "X", "260500", null, "JPN", "ore", 50.0, 5000.0));
    // USA, cobalt refined 2020: M from JPN, two monthly rows (no annual row, so they are summed).
    trade.add(flow("USA", "M", "810520", 1, "JPN", "refined", 60.0, 600.0));
    trade.add(flow("USA", "M", "810520", 2, "JPN", "refined", 40.0, 400.0));
    // JPN, cobalt ore: M 1000 kg from CHN, X 5000 kg to USA: a net exporter.
    trade.add(flow("JPN", "M", "260500", null, "CHN", "ore", 10.0, 1000.0));
    trade.add(flow("JPN", "X", "260500", null, "USA", "ore", 50.0, 5000.0));
    // Bloc EU = DEU + FRA. DEU's imports from FRA are intra-bloc and left out.
    trade.add(flow("DEU", "M", "260500", null, "FRA", "ore", 500.0, 50000.0));
    trade.add(flow("DEU", "M", "260500", null, "AUS", "ore", 100.0, 10000.0));
    trade.add(flow("FRA", "M", "260500", null, "ZZZ", "ore", 100.0, 10000.0));
    // EU semi-finished cobalt: the stage has no production series.
    trade.add(flow("FRA", "M", "810590", null, "AUS", "semi", 10.0, 100.0));
    // A reporter that is not an importer of interest.
    trade.add(flow("KOR", "M", "260500", null, "COD", "ore", 10.0, 100.0));

    List<Row> bilateral = new ArrayList<>();
    // World exports of cobalt ore: COD 300, CHN 100; of refined cobalt: JPN 100.
    bilateral.add(RowFactory.create("COD", "USA", "country", "260500", 2020, null, "cobalt",
        "ore", 300.0));
    bilateral.add(RowFactory.create("CHN", "USA", "country", "260500", 2020, null, "cobalt",
        "ore", 100.0));
    bilateral.add(RowFactory.create("JPN", "USA", "country", "810520", 2020, null, "cobalt",
        "refined", 100.0));

    // BGS cobalt mine production 2020: COD 70, CHN 20, USA 10 tonnes; no refined series.
    List<Row> production = List.of(
        producer("COD", "country", 70.0),
        producer("CHN", "country", 20.0),
        producer("USA", "country", 10.0),
        producer(null, "world", 100.0));

    SupplyRiskSettings settings = new SupplyRiskSettings(List.of("USA", "JPN", "EU"),
        "production", List.of("bgs", "usgs"), Map.of("ore", "mine", "refined", "refined"),
        Map.of("cobalt", 0.2), Map.of("cobalt", 0.9),
        List.of(new SupplyRiskSettings.Restriction("cobalt", "CHN", 1.5)));
    Dataset<Row> result = SupplyRisk.compute(spark.createDataFrame(trade, TRADE),
        spark.createDataFrame(bilateral, BILATERAL),
        spark.createDataFrame(production, Production.SCHEMA), wgi, settings,
        Map.of("eu", List.of("DEU", "FRA")), "run-1");
    risk = new HashMap<>();
    for (Row r : result.collectAsList()) {
      risk.put(r.getAs("importer") + "|" + r.getAs("stage"), r);
    }
  }

  private static Row flow(String reporter, String flow, String hs6, Integer month, String partner,
      String stage, double value, double kg) {
    return RowFactory.create(reporter, flow, hs6, 2020, month, partner, "country", "cobalt",
        stage, value, kg);
  }

  private static Row producer(String iso3, String kind, double tonnes) {
    return RowFactory.create("bgs", "cobalt", "mine", "Cobalt, mine", 2020, "x", iso3, kind,
        tonnes, "tonnes (metal content)", null);
  }

  private static double d(Row r, String column) {
    return r.<Double>getAs(column);
  }

  @Test
  void countryImporterFollowsTheEuFormula() {
    Row usa = risk.get("USA|ore");
    // Global, production shares COD .7, CHN .2, USA .1:
    // .49 * 9 + .04 * 5 * 1.5 + .01 * 4 = 4.41 + 0.3 + 0.04 = 4.75.
    assertEquals(4.75, d(usa, "hhi_wgi_global"), EPS);
    assertEquals("production_bgs", usa.getAs("hhi_wgi_global_basis"));
    // World export shares COD .75, CHN .25: .5625 * 9 + .0625 * 5 * 1.5 = 5.53125.
    assertEquals(5.53125, d(usa, "hhi_wgi_global_trade"), EPS);
    // Sourcing by import value, COD 300 and CHN 100 (the monthly 999 left out): also 5.53125.
    assertEquals(5.53125, d(usa, "hhi_wgi_sourcing"), EPS);
    // M = 30000 kg, X = 5000 kg, P = 10 t = 10000 kg: IR = 25000 / 35000 = 5/7.
    assertEquals(30000.0, d(usa, "import_net_kg"), EPS);
    assertEquals(10000.0, d(usa, "domestic_production_kg"), EPS);
    assertEquals(5.0 / 7.0, d(usa, "import_reliance"), EPS);
    // SR = (4.75 * 5/14 + 5.53125 * 9/14) * 0.72 = (23.75 + 49.78125) / 14 * 0.72 = 3.78160714...
    assertEquals((23.75 + 49.78125) / 14.0 * 0.72, d(usa, "supply_risk"), EPS);
    assertEquals(0.2, d(usa, "eol_rir"), EPS);
    assertEquals(0.9, d(usa, "substitution_index"), EPS);
    assertFalse(usa.<Boolean>getAs("eu_inputs_default"));
    assertNull(usa.getAs("missing_inputs"));
    assertEquals(1.0, d(usa, "trade_kg_coverage"), EPS);
  }

  @Test
  void blocUsesExtraBlocTradeAndReportsMissingWgi() {
    Row eu = risk.get("EU|ore");
    assertEquals("bloc", eu.getAs("importer_kind"));
    // Extra-bloc imports: AUS 100 and ZZZ 100 (DEU's 500 from FRA is intra-bloc).
    assertEquals(200.0, d(eu, "import_value_usd"), EPS);
    // Sourcing: AUS .5 * .5 * 3 = 0.75; ZZZ has no WGI and is left out, its share reported.
    assertEquals(0.75, d(eu, "hhi_wgi_sourcing"), EPS);
    assertEquals(0.5, d(eu, "sourcing_wgi_missing_share"), EPS);
    // Neither DEU nor FRA is a listed producer: P = 0, IR = 20000 / (0 + 20000) = 1.
    assertEquals(0.0, d(eu, "domestic_production_kg"), EPS);
    assertEquals(1.0, d(eu, "import_reliance"), EPS);
    // SR = (4.75 * 0.5 + 0.75 * 0.5) * 0.72 = 2.75 * 0.72 = 1.98.
    assertEquals(1.98, d(eu, "supply_risk"), EPS);
  }

  @Test
  void netExporterReliesOnNoImports() {
    Row jpn = risk.get("JPN|ore");
    // M - X = 1000 - 5000 < 0: IR = 0, so SR = sourcing alone: CHN 1 * 5 * 1.5 = 7.5; * 0.72 = 5.4.
    assertEquals(0.0, d(jpn, "import_reliance"), EPS);
    assertEquals(7.5, d(jpn, "hhi_wgi_sourcing"), EPS);
    assertEquals(5.4, d(jpn, "supply_risk"), EPS);
  }

  @Test
  void missingProductionLeavesImportRelianceNullWithAReason() {
    Row refined = risk.get("USA|refined");
    // Two monthly rows summed: 1000 kg from JPN.
    assertEquals(1000.0, d(refined, "import_net_kg"), EPS);
    assertNull(refined.getAs("import_reliance"));
    assertNull(refined.getAs("supply_risk"));
    assertEquals("no production data for this mineral, stage and year",
        refined.getAs("import_reliance_missing"));
    // No refined production: the global HHI_WGI falls back on export shares, JPN alone: 1 * 3.
    assertEquals(3.0, d(refined, "hhi_wgi_global"), EPS);
    assertEquals("trade", refined.getAs("hhi_wgi_global_basis"));

    Row semi = risk.get("EU|semi");
    assertEquals("no production series for stage semi", semi.getAs("import_reliance_missing"));
    assertTrue(semi.<String>getAs("missing_inputs").startsWith("no production series"));
  }

  @Test
  void allIsTheStageOfHighestRisk() {
    Row all = risk.get("USA|all");
    // Ore has 3.78..., refined none: all takes ore's row.
    assertEquals("ore", all.getAs("sr_stage"));
    assertEquals(d(risk.get("USA|ore"), "supply_risk"), d(all, "supply_risk"), EPS);
    assertEquals(5.0 / 7.0, d(all, "import_reliance"), EPS);
    assertNull(risk.get("KOR|ore"), "KOR is not a configured importer");
    assertEquals(8, risk.size(), risk.keySet().toString());
  }

  @Test
  void concernCountsTheNamedListAndTheWgiThreshold() {
    SparkSession spark = SparkTestSession.get();
    StructType schema = new StructType()
        .add("grp", DataTypes.StringType)
        .add("year", DataTypes.IntegerType)
        .add("partner", DataTypes.StringType)
        .add("partner_kind", DataTypes.StringType)
        .add("value_usd", DataTypes.DoubleType)
        .add("net_kg", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    // CHN is named; PAK's PV.EST -1.5 is below -1.0; BRA's -0.5 is not; UKR has no estimate (not
    // of concern by WGI); IRQ's -2.0 of 2016 is four years older than 2020, beyond the 3-year lag.
    // PAK is also in the bloc: a country in two groups counts in both shares.
    rows.add(RowFactory.create("A", 2020, "CHN", "country", 10.0, null));
    rows.add(RowFactory.create("A", 2020, "PAK", "country", 20.0, null));
    rows.add(RowFactory.create("A", 2020, "UKR", "country", 30.0, null));
    rows.add(RowFactory.create("A", 2020, "BRA", "country", 30.0, null));
    rows.add(RowFactory.create("A", 2020, "IRQ", "country", 10.0, null));
    Concentration.Groups groups = new Concentration.Groups(List.of("CHN"),
        BlocMembership.fixed("pb", List.of("PAK", "BRA")),
        List.of("CHN"), -1.0, 1500, 2500);
    Dataset<Row> marked = Concentration.markConcern(spark.createDataFrame(rows, schema), groups,
        wgi);
    Row a = Concentration.byPartner(marked, List.of("grp", "year"), groups).first();
    // concern: CHN 10 + PAK 20 = 30 of 100; bloc: PAK 20 + BRA 30 = 50 of 100.
    assertEquals(0.3, a.<Double>getAs("concern_share"), EPS);
    assertEquals(0.5, a.<Double>getAs("bloc_share"), EPS);
    assertEquals(0.1, a.<Double>getAs("china_linked_share"), EPS);

    // Threshold off: the named list alone, CHN 10 of 100.
    Concentration.Groups named = new Concentration.Groups(List.of("CHN"), BlocMembership.none(),
        List.of("CHN"), null, 1500, 2500);
    Row b = Concentration.byPartner(Concentration.markConcern(spark.createDataFrame(rows, schema),
        named, wgi), List.of("grp", "year"), named).first();
    assertEquals(0.1, b.<Double>getAs("concern_share"), EPS);
  }

  @Test
  void productionUnitsAreReadAsMassesWhateverTheirCase() {
    SparkSession spark = SparkTestSession.get();
    List<Row> units = new ArrayList<>();
    for (String unit : new String[] {"metric tons", "Metric tons (gross weight)",
        "THOUSAND METRIC TONS", "tonnes (metal content)", "Kilograms", "carats", "tons", null}) {
      units.add(RowFactory.create(unit));
    }
    List<Row> factors = spark.createDataFrame(units,
            new StructType().add("unit", DataTypes.StringType))
        .select(SupplyRisk.kilogramsPerUnit(org.apache.spark.sql.functions.col("unit")))
        .collectAsList();
    List<Double> expected = java.util.Arrays.asList(1e3, 1e3, 1e6, 1e3, 1.0, null, null, null);
    assertEquals(expected, factors.stream().map(r -> r.isNullAt(0) ? null : r.getDouble(0))
        .toList(), "a unit that is not a known mass (carats, short tons) has no factor");
  }

  @Test
  void configurationIsCheckedAndNamesTheKey() {
    CritminConfig defaults = ConfigLoader.load(LOCAL, List.of());
    assertEquals(List.of("USA", "JPN", "KOR", "EU27"), defaults.supplyRisk().importers());
    assertEquals(-1.0, defaults.concernWgiThreshold(), EPS);
    assertEquals(0.0, defaults.supplyRisk().eolRirOf("cobalt"), EPS);
    assertEquals(1.0, defaults.supplyRisk().substitutionIndexOf("cobalt"), EPS);

    CritminConfig set = ConfigLoader.load(LOCAL, List.of(
        "concentration.supply_risk.eol_rir.cobalt=0.22",
        "concentration.supply_risk.trade_restrictions=[{mineral=gallium, iso3=CHN, factor=1.1}]",
        "concentration.concern.wgi_threshold=null"));
    assertEquals(0.22, set.supplyRisk().eolRirOf("cobalt"), EPS);
    assertEquals(List.of(new SupplyRiskSettings.Restriction("gallium", "CHN", 1.1)),
        set.supplyRisk().tradeRestrictions());
    assertNull(set.concernWgiThreshold());

    UserInputException importer = assertThrows(UserInputException.class, () -> ConfigLoader.load(
        LOCAL, List.of("concentration.supply_risk.importers=[USA, Europe]")));
    assertTrue(importer.getMessage().contains("concentration.supply_risk.importers"),
        importer.getMessage());
    UserInputException rate = assertThrows(UserInputException.class, () -> ConfigLoader.load(
        LOCAL, List.of("concentration.supply_risk.substitution_index.lithium=1.5")));
    assertTrue(rate.getMessage().contains("substitution_index.lithium"), rate.getMessage());
  }
}
