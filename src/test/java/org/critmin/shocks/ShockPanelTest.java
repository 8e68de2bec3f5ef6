package org.critmin.shocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.critmin.config.ShocksConfig;
import org.critmin.config.ShocksConfig.Kind;
import org.critmin.delta.Tables;
import org.critmin.reference.ShockEvents;
import org.critmin.shocks.ShockPanel.Frequency;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Panel building, treatment columns and not-estimable cases on hand-made frames. */
class ShockPanelTest {
  private static final String HS = "260400";
  private static final ShocksConfig.Window ANNUAL = new ShocksConfig.Window(2, 1, 1, 0);
  private static final ShocksConfig CONFIG = new ShocksConfig(List.of(), 4, ANNUAL,
      new ShocksConfig.Window(12, 12, 6, 6), List.of(), 2_000_000);

  private static SparkSession spark;
  /** Flows: A and B sell to X, C to Y; events of A from 2014. */
  private static Dataset<Row> flows;
  private static Map<String, Row> panel;

  @BeforeAll
  static void build() {
    spark = SparkTestSession.get();
    flows = spark.createDataFrame(List.of(
        flow("A", "X", 2012, 10.0, 5.0),
        flow("A", "X", 2013, null, null), // reported, value unknown: stays null
        flow("A", "X", 2014, 20.0, null),
        flow("B", "X", 2013, 5.0, 1.0),
        flow("C", "Y", 2012, 7.0, 7.0)), ShockPanel.FLOW_SCHEMA);
    // Zero rule by hand. Traded pairs A-X, B-X, C-Y; periods 2012-2014. X imports in every year,
    // Y only in 2012, C exports only in 2012. So A-X and B-X get 3 rows each (B-X 2012 and 2014
    // are zeros; A-X 2013 stays unknown), C-Y only 2012: 7 rows.
    Dataset<Row> zeros = ShockPanel.withZeros(flows);
    // Imposer A, all importers, event 2014, leads 1, lags 0: A's rel_period 2012 = -2 binned to
    // -1, 2013 = -1, 2014 = 0; every other flow -1. X bought from A before 2014: targeted.
    List<String> exposed = ShocksJob.exposedImporters(zeros, "A", 2014);
    assertEquals(List.of("X"), exposed);
    panel = new HashMap<>();
    for (Row r : ShockPanel.withTreatment(zeros, "A", List.of(), exposed, 2014, 1, 0)
        .collectAsList()) {
      panel.put(r.getAs("pair") + " " + r.getAs("period"), r);
    }
  }

  private static Row flow(String exporter, String importer, int year, Double value, Double kg) {
    return RowFactory.create(exporter, importer, HS, String.valueOf(year), "annual", year, value,
        kg);
  }

  @Test
  void zerosAreFilledOnlyWhereOneSideTradedTheProduct() {
    assertEquals(7, panel.size(), panel.keySet().toString());
    assertEquals(0.0, (Double) panel.get("B-X 2012").getAs("value_usd"));
    assertEquals(0.0, (Double) panel.get("B-X 2014").getAs("value_usd"));
    assertEquals(5.0, (Double) panel.get("B-X 2013").getAs("value_usd"));
    assertNull(panel.get("A-X 2013").getAs("value_usd"));
    assertNull(panel.get("C-Y 2013"));
    assertEquals(2.0, (Double) panel.get("A-X 2012").getAs("unit_value"));
    assertNull(panel.get("A-X 2014").getAs("unit_value"));
    assertNull(panel.get("B-X 2012").getAs("unit_value"));
  }

  @Test
  void treatmentDummiesAndBinnedRelativePeriods() {
    assertEquals(1.0, (Double) panel.get("A-X 2014").getAs("treated"));
    assertEquals(0.0, (Double) panel.get("A-X 2013").getAs("treated"));
    assertEquals(0.0, (Double) panel.get("B-X 2014").getAs("treated"));
    assertEquals(1.0, (Double) panel.get("A-X 2012").getAs("treated_unit"));
    assertEquals(-1, (Integer) panel.get("A-X 2012").getAs("rel_period"));
    assertEquals(-1, (Integer) panel.get("A-X 2013").getAs("rel_period"));
    assertEquals(0, (Integer) panel.get("A-X 2014").getAs("rel_period"));
    assertEquals(-1, (Integer) panel.get("B-X 2014").getAs("rel_period"));
    assertEquals(1.0, (Double) panel.get("B-X 2014").getAs("targeted_post"));
    assertEquals(0.0, (Double) panel.get("B-X 2013").getAs("targeted_post"));
    assertEquals(0.0, (Double) panel.get("C-Y 2012").getAs("targeted"));
  }

  @Test
  void namedTargetsLimitTheTreatedFlows() {
    Dataset<Row> zeros = ShockPanel.withZeros(flows);
    List<Row> rows = ShockPanel.withTreatment(zeros, "A", List.of("Y"), List.of("Y"), 2014, 1, 0)
        .filter("treated = 1 or treated_unit = 1 or rel_period <> -1").collectAsList();
    assertTrue(rows.isEmpty(), rows.toString());
  }

  @Test
  void eventPeriodIsThePeriodHoldingTheDateInItsFirstHalfElseTheNext() {
    assertEquals(2014, Frequency.ANNUAL.eventIndex(LocalDate.of(2014, 1, 12)));
    assertEquals(2024, Frequency.ANNUAL.eventIndex(LocalDate.of(2023, 8, 1)));
    assertEquals("2024-09", Frequency.MONTHLY.period(
        Frequency.MONTHLY.eventIndex(LocalDate.of(2024, 9, 15))));
    assertEquals("2025-03", Frequency.MONTHLY.period(
        Frequency.MONTHLY.eventIndex(LocalDate.of(2025, 2, 22))));
    assertEquals("2025-01", Frequency.MONTHLY.period(
        Frequency.MONTHLY.eventIndex(LocalDate.of(2024, 12, 31))));
  }

  @Test
  void countryFlowsDropAreasAndRepeatedLumpedCodes() {
    StructType schema = Tables.BILATERAL_FLOWS.schema();
    Dataset<Row> bilateral = spark.createDataFrame(List.of(
        bilateral("IDN", "country", "CHN", "2014", 2014, null, "nickel", 9.0),
        bilateral("IDN", "country", "CHN", "2014", 2014, null, "cobalt", 9.0),
        bilateral("899", "unallocated", "CHN", "2014", 2014, null, "nickel", 3.0),
        bilateral("IDN", "country", "899", "2014", 2014, null, "nickel", 4.0),
        bilateral("IDN", "country", "JPN", "2024-03", 2024, 3, "nickel", 2.0)), schema);
    Dataset<Row> countries = spark.createDataFrame(List.of(RowFactory.create("CHN"),
        RowFactory.create("JPN"), RowFactory.create("IDN")),
        new StructType().add("iso3", DataTypes.StringType));
    List<Row> rows = ShockPanel.countryFlows(bilateral, countries).orderBy("period")
        .collectAsList();
    assertEquals(2, rows.size(), rows.toString());
    assertEquals(2014, (Integer) rows.get(0).getAs("period_index"));
    assertEquals("annual", rows.get(0).getAs("frequency"));
    assertEquals(2024 * 12 + 2, (Integer) rows.get(1).getAs("period_index"));
    assertEquals("monthly", rows.get(1).getAs("frequency"));
  }

  private static Row bilateral(String exporter, String kind, String importer, String period,
      int year, Integer month, String mineral, double value) {
    return RowFactory.create(period, year, month, exporter, importer, kind, HS, mineral, "ore",
        false, value, 1.0, "importer_reported", value, null, null, "run");
  }

  @Test
  void modelsThatCannotBeEstimatedSayWhy() {
    // A's only post-event flow is 20 > 0, so make a copy where it stopped: A-X 2014 = 0.
    Dataset<Row> stopped = ShockPanel.withTreatment(ShockPanel.withZeros(flows.filter(
        "not (exporter = 'A' and period = '2014')").unionByName(spark.createDataFrame(List.of(
        flow("A", "X", 2014, 0.0, null), flow("B", "X", 2014, 1.0, 1.0)),
        ShockPanel.FLOW_SCHEMA))), "A", List.of(), List.of("X"), 2014, 1, 0);
    // The same panel built in memory must give the same sums, so the same reasons.
    InMemoryPanel inMemory = InMemoryPanel.of(flowList(stopped), "A", List.of(), 2014, 1, 0);
    for (Kind model : List.of(Kind.DIRECT, Kind.UNIT_VALUES, Kind.REROUTING)) {
      ShocksJob.Treatment t = ShocksJob.treatment(model);
      assertEquals(asList(ShocksJob.identification(ShocksJob.sample(model, stopped, "A"))),
          asList(InMemoryPanel.identification(inMemory.sample(model, "A"), t.treatment(),
              t.unit())), model.id());
    }
    // The direct model keeps the importers that bought from A: X (A-X and B-X, 6 rows).
    double[] direct = ShocksJob.identification(ShocksJob.sample(Kind.DIRECT, stopped, "A"));
    assertEquals(6, direct[0]);
    String reason = ShocksJob.notIdentified(direct, ShocksJob.treatment(Kind.DIRECT), "ppml", 4);
    assertTrue(reason.contains("all zero"), reason);
    assertTrue(ShocksJob.notIdentified(direct, ShocksJob.treatment(Kind.DIRECT), "ppml", 8)
        .startsWith("too few observations: 6"));
    // Unit values into X: A-X 2012, B-X 2013 and B-X 2014; none is from A after the event.
    double[] unitValues = ShocksJob.identification(ShocksJob.sample(Kind.UNIT_VALUES, stopped,
        "A"));
    assertEquals(3, unitValues[0]);
    String prices = ShocksJob.notIdentified(unitValues, ShocksJob.treatment(Kind.UNIT_VALUES),
        "ols", 2);
    assertTrue(prices.startsWith("no treated observations"), prices);
    // Re-routing: third countries B and C; only B sells to the targeted X (3 rows).
    assertTrue(ShocksJob.notIdentified(ShocksJob.identification(ShocksJob.sample(Kind.REROUTING,
        stopped, "A")), ShocksJob.treatment(Kind.REROUTING), "ppml", 4)
        .startsWith("too few observations: 3"));

    ShockEvents.Event technology = new ShockEvents.Event("T", "A", List.of(), "ban", List.of(),
        LocalDate.of(2014, 1, 1));
    assertTrue(ShocksJob.panel(flows, technology, CONFIG).reason().contains("no HS6 codes"));
    ShockEvents.Event late = new ShockEvents.Event("L", "A", List.of(HS), "ban", List.of(),
        LocalDate.of(2020, 1, 1));
    String noData = ShocksJob.panel(flows, late, CONFIG).reason();
    assertTrue(noData.startsWith("no data before and after the event"), noData);
    ShockEvents.Event ok = new ShockEvents.Event("OK", "A", List.of(HS), "ban", List.of(),
        LocalDate.of(2014, 1, 12));
    ShocksJob.EventPanel panel = ShocksJob.panel(flows, ok, CONFIG);
    assertNull(panel.reason());
    assertEquals("2014", panel.period());
    assertNotNull(panel.panel());
    assertEquals(7, panel.panel().count());
  }

  @Test
  void coverageCountsEachEventsPeriodsInOneQuery() {
    // Annual window: 2 periods before, 1 after. Flows of HS in 2012, 2013 and 2014 (C-Y only in
    // 2012); of another code none.
    ShockEvents.Event from2014 = new ShockEvents.Event("E14", "A", List.of(HS, HS), "ban",
        List.of(), LocalDate.of(2014, 3, 1));
    ShockEvents.Event from2013 = new ShockEvents.Event("E13", "A", List.of(HS), "ban", List.of(),
        LocalDate.of(2012, 9, 1)); // second half of 2012: the event period is 2013
    ShockEvents.Event otherCode = new ShockEvents.Event("X", "A", List.of("999999"), "ban",
        List.of(), LocalDate.of(2014, 3, 1));
    ShockEvents.Event notInForce = new ShockEvents.Event("N", "A", List.of(HS), "ban", List.of(),
        null);
    Map<String, long[]> coverage = ShocksJob.coverage(flows,
        List.of(from2014, from2013, otherCode, notInForce), CONFIG);
    // [monthly before, from, flows in the window; annual before, from, flows in the window]:
    // E14's window is 2012-2015, E13's 2011-2014; both hold all 5 flows.
    assertEquals(List.of(0L, 0L, 0L, 2L, 1L, 5L), asLongs(coverage.get("E14")));
    assertEquals(List.of(0L, 0L, 0L, 1L, 2L, 5L), asLongs(coverage.get("E13")));
    assertEquals(2, coverage.size(), coverage.keySet().toString());
    ShocksJob.EventPanel chosen = ShocksJob.choose(from2013, CONFIG, coverage.get("E13"));
    assertEquals("2013", chosen.period());
    assertEquals(5, chosen.windowRows());
  }

  @Test
  void panelInMemoryHasTheRowsOfTheSparkPanel() {
    for (List<String> targets : List.of(List.<String>of(), List.of("Y"))) {
      Dataset<Row> zeros = ShockPanel.withZeros(flows);
      List<String> targeted = targets.isEmpty() ? ShocksJob.exposedImporters(zeros, "A", 2014)
          : targets;
      Dataset<Row> onSpark = ShockPanel.withTreatment(zeros, "A", targets, targeted, 2014, 1, 0);
      InMemoryPanel inMemory = InMemoryPanel.of(flowList(flows), "A", targets, 2014, 1, 0);
      assertEquals(sorted(onSpark.select(columns()).collectAsList()),
          sorted(inMemory.data().rows()), "targets " + targets);
      for (Kind model : Kind.values()) {
        assertEquals(sorted(ShocksJob.sample(model, onSpark, "A").rows().select(columns())
            .collectAsList()), sorted(inMemory.sample(model, "A").rows()), model.id());
      }
    }
  }

  private static org.apache.spark.sql.Column[] columns() {
    return java.util.Arrays.stream(ShockPanel.PANEL_SCHEMA.fieldNames())
        .map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new);
  }

  private static List<String> sorted(List<Row> rows) {
    return rows.stream().map(Row::toString).sorted().toList();
  }

  /** The rows of a frame in FLOW_SCHEMA as the in-memory panel takes them. */
  private static List<InMemoryPanel.Flow> flowList(Dataset<Row> flowFrame) {
    return flowFrame.collectAsList().stream().map(r -> new InMemoryPanel.Flow(
        r.getAs("exporter"), r.getAs("importer"), r.getAs("hs6"), r.getAs("period"),
        r.<Integer>getAs("period_index"), r.getAs("value_usd"), r.getAs("net_kg"))).toList();
  }

  private static List<Long> asLongs(long[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }

  private static List<Double> asList(double[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }
}
