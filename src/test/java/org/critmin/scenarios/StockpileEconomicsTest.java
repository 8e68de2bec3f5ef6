package org.critmin.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.critmin.config.ScenarioSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tonnes, costs and days worked out by hand. USA imports, 2023:
 * <pre>
 *   gallium refined    CHN 500 kg + DEU 230 kg = 730 kg in 12 months: 2 kg a day
 *   gallium all        the same 730 kg (stage all has no price)
 *   germanium refined  CHN 73 kg in 6 months: 146 kg a year, 0.4 kg a day
 *   (JPN imports gallium too, but is no target importer and holds no stockpile)
 * </pre>
 * Exposure of USA gallium refined: scenario s1 leaves 146 kg uncovered (0.4 kg a day); s2 puts
 * nothing at risk; s3 puts imports at risk but leaves nothing uncovered. Benchmarks: gallium
 * refined 2022 600, 2023-12 450, 2023 500 with floor 300 (the latest: 2023, annual before the
 * month ending the same day); germanium refined 2023 1000 without a floor. Targets: USA, 30 days,
 * a budget of 100,000 USD; a stockpile of 1 tonne of refined gallium.
 */
class StockpileEconomicsTest {
  private static final double EPS = 1e-9;
  private static Map<String, Row> rows;
  private static long count;

  @BeforeAll
  static void compute() {
    SparkSession spark = SparkTestSession.get();
    List<Row> flows = List.of(
        flow("CHN", "USA", "gallium", "refined", 12, 500.0),
        flow("DEU", "USA", "gallium", "refined", 12, 230.0),
        flow("CHN", "USA", "gallium", "all", 12, 500.0),
        flow("DEU", "USA", "gallium", "all", 12, 230.0),
        flow("CHN", "USA", "germanium", "refined", 6, 73.0),
        flow("CHN", "JPN", "gallium", "refined", 12, 1000.0));
    StructType exposureSchema = new StructType()
        .add("scenario", DataTypes.StringType)
        .add("importer_iso3", DataTypes.StringType)
        .add("mineral", DataTypes.StringType)
        .add("stage", DataTypes.StringType)
        .add("year", DataTypes.IntegerType)
        .add("months_covered", DataTypes.IntegerType)
        .add("at_risk_value_usd", DataTypes.DoubleType)
        .add("uncovered_net_kg", DataTypes.DoubleType);
    List<Row> exposure = List.of(
        RowFactory.create("s1", "USA", "gallium", "refined", 2023, 12, 1000.0, 146.0),
        RowFactory.create("s2", "USA", "gallium", "refined", 2023, 12, 0.0, 0.0),
        RowFactory.create("s3", "USA", "gallium", "refined", 2023, 12, 500.0, 0.0));
    StructType benchmarkSchema = new StructType()
        .add("mineral", DataTypes.StringType)
        .add("stage", DataTypes.StringType)
        .add("period", DataTypes.StringType)
        .add("year", DataTypes.IntegerType)
        .add("month", DataTypes.IntegerType)
        .add("median_usd_per_kg", DataTypes.DoubleType)
        .add("floor_usd_per_kg", DataTypes.DoubleType);
    List<Row> benchmarks = List.of(
        RowFactory.create("gallium", "refined", "2022", 2022, null, 600.0, 300.0),
        RowFactory.create("gallium", "refined", "2023-12", 2023, 12, 450.0, 300.0),
        RowFactory.create("gallium", "refined", "2023", 2023, null, 500.0, 300.0),
        RowFactory.create("germanium", "refined", "2023", 2023, null, 1000.0, null));
    List<ScenarioSettings.Stockpile> stockpiles = List.of(
        new ScenarioSettings.Stockpile("USA", "gallium", "refined", 1.0, "s[0]"));
    ScenarioSettings.StockpileTargets targets = new ScenarioSettings.StockpileTargets(
        List.of("USA"), List.of(30), List.of(100_000.0));
    List<Row> result = StockpileEconomics.compute(ScenarioFrames.frame(flows),
            spark.createDataFrame(exposure, exposureSchema),
            spark.createDataFrame(benchmarks, benchmarkSchema), stockpiles, targets)
        .collectAsList();
    count = result.size();
    rows = new HashMap<>();
    for (Row r : result) {
      rows.put(String.join(" ", r.<String>getAs("importer_iso3"), r.getAs("mineral"),
          r.getAs("stage"), r.getAs("scenario"), r.getAs("target")), r);
    }
  }

  private static Row flow(String exporter, String importer, String mineral, String stage,
      int months, double kg) {
    return RowFactory.create(exporter, importer, true, mineral, stage, 2023, months, kg * 10,
        kg);
  }

  private static double d(String key, String column) {
    Row r = rows.get(key);
    return ((Number) r.getAs(column)).doubleValue();
  }

  private static Object get(String key, String column) {
    return rows.get(key).getAs(column);
  }

  @Test
  void daysOfImportsInTonnesAndMoney() {
    // 30 days of 2 kg = 60 kg: 0.06 t, 60 * 500 = 30,000 USD at the median, 18,000 at the floor.
    String key = "USA gallium refined none days";
    assertEquals(730.0, d(key, "annual_kg_to_cover"), EPS);
    assertEquals(0.06, d(key, "tonnes"), EPS);
    assertEquals(30.0, d(key, "days_of_imports"), EPS);
    assertEquals("2023", get(key, "price_period"));
    assertEquals(500.0, d(key, "median_usd_per_kg"), EPS);
    assertEquals(30_000.0, d(key, "cost_at_median_usd"), EPS);
    assertEquals(18_000.0, d(key, "cost_at_floor_usd"), EPS);
    assertNull(get(key, "cost_missing_reason"));
    assertNull(get(key, "budget_days_at_floor"));
    // Six months of germanium (73 kg) scale to 146 kg a year, 0.4 kg a day: 30 days = 12 kg,
    // 12,000 USD at the median; no floor is configured.
    String germanium = "USA germanium refined none days";
    assertEquals(146.0, d(germanium, "annual_kg_to_cover"), EPS);
    assertEquals(0.012, d(germanium, "tonnes"), EPS);
    assertEquals(12_000.0, d(germanium, "cost_at_median_usd"), EPS);
    assertNull(get(germanium, "cost_at_floor_usd"));
    assertEquals("no floor in force in 2023 (scenarios.floor_prices)",
        get(germanium, "cost_missing_reason"));
  }

  @Test
  void theDaysABudgetBuys() {
    // 100,000 USD / 500 = 200 kg = 0.2 t = 100 days of 2 kg; at the floor 100,000 / 300 / 2.
    String key = "USA gallium refined none budget";
    assertEquals(0.2, d(key, "tonnes"), EPS);
    assertEquals(100.0, d(key, "days_of_imports"), EPS);
    assertEquals(100_000.0 / 300 / 2, d(key, "budget_days_at_floor"), 1e-9);
    assertEquals(100_000.0, d(key, "budget_usd"), EPS);
    assertEquals(100_000.0, d(key, "cost_at_median_usd"), EPS);
  }

  @Test
  void aConfiguredStockpileIsCosted() {
    // 1 t = 1000 kg = 500 days of 2 kg; 500,000 USD at the median, 300,000 at the floor.
    String key = "USA gallium refined none stockpile";
    assertEquals(1.0, d(key, "tonnes"), EPS);
    assertEquals(500.0, d(key, "days_of_imports"), EPS);
    assertEquals(500_000.0, d(key, "cost_at_median_usd"), EPS);
    assertEquals(300_000.0, d(key, "cost_at_floor_usd"), EPS);
    // The stockpile is of the refined stage: no stockpile row under stage all.
    assertFalse(rows.containsKey("USA gallium all none stockpile"));
  }

  @Test
  void theUncoveredPartOfADisruption() {
    // s1: 146 kg a year uncovered, 0.4 kg a day: 30 days = 12 kg (6,000 USD at the median);
    // the stockpile lasts 1000 / 0.4 = 2500 days; the budget buys 200 kg = 500 days.
    assertEquals(0.012, d("USA gallium refined s1 days", "tonnes"), EPS);
    assertEquals(6_000.0, d("USA gallium refined s1 days", "cost_at_median_usd"), EPS);
    assertEquals(2500.0, d("USA gallium refined s1 stockpile", "days_of_imports"), EPS);
    assertEquals(500.0, d("USA gallium refined s1 budget", "days_of_imports"), EPS);
    assertEquals(100_000.0 / 300 / 0.4, d("USA gallium refined s1 budget",
        "budget_days_at_floor"), 1e-9);
    // s2 puts nothing at risk: no rows. s3 leaves nothing uncovered: 30 days take 0 t, and a
    // stockpile or a budget covers no countable number of days.
    assertFalse(rows.containsKey("USA gallium refined s2 days"));
    assertEquals(0.0, d("USA gallium refined s3 days", "tonnes"), EPS);
    assertNull(get("USA gallium refined s3 stockpile", "days_of_imports"));
    assertNull(get("USA gallium refined s3 budget", "days_of_imports"));
  }

  @Test
  void stageAllHasNoPriceAndOthersNoRows() {
    String key = "USA gallium all none days";
    assertEquals(0.06, d(key, "tonnes"), EPS);
    assertNull(get(key, "cost_at_median_usd"));
    assertTrue(((String) get(key, "cost_missing_reason")).startsWith("no price for stage all"));
    assertNull(get("USA gallium all none budget", "tonnes"));
    assertTrue(rows.keySet().stream().noneMatch(k -> k.startsWith("JPN")));
    // gallium refined: none (3 targets) + s1 (3) + s3 (3); gallium all: 2; germanium: 2.
    assertEquals(13, count);
  }
}
