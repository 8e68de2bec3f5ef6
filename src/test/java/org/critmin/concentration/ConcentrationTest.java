package org.critmin.concentration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HHI, shares and top-k on tiny frames whose answers are computed by hand in the comments. */
class ConcentrationTest {
  private static final double EPS = 1e-9;
  /** Rows of partner values per group ({@code grp}) and period. */
  static final StructType INPUT = new StructType()
      .add("grp", DataTypes.StringType)
      .add("period", DataTypes.StringType)
      .add("year", DataTypes.IntegerType)
      .add("month", DataTypes.IntegerType)
      .add("partner", DataTypes.StringType)
      .add("partner_kind", DataTypes.StringType)
      .add("value_usd", DataTypes.DoubleType)
      .add("net_kg", DataTypes.DoubleType);
  private static final Concentration.Groups GROUPS = new Concentration.Groups(
      List.of("CHN", "HKG", "MAC"), BlocMembership.fixed("g3", List.of("USA", "DEU", "JPN")), List.of("CHN", "RUS"),
      null, 1500, 2500);

  private static Map<String, Row> byGroup;

  @BeforeAll
  static void compute() {
    SparkSession spark = SparkTestSession.get();
    List<Row> rows = new ArrayList<>();
    // A: CHN 60, USA 30 (two rows of 20 and 10), DEU 10; HKG 0 and an unallocated area are left out.
    rows.add(row("A", "CHN", "country", 60.0, 100.0));
    rows.add(row("A", "USA", "country", 20.0, null));
    rows.add(row("A", "USA", "country", 10.0, null));
    rows.add(row("A", "DEU", "country", 10.0, 100.0));
    rows.add(row("A", "HKG", "country", 0.0, 5.0));
    rows.add(row("A", "_X", "unallocated", 50.0, 50.0));
    // B: a single supplier.
    rows.add(row("B", "AUS", "country", 5.0, 1.0));
    // C: a tie, broken by ISO3 code.
    rows.add(row("C", "KOR", "country", 50.0, null));
    rows.add(row("C", "JPN", "country", 50.0, null));
    // D: nothing positive.
    rows.add(row("D", "BRA", "country", 0.0, null));
    // E: a null value does not count as a supplier.
    rows.add(row("E", "CHL", "country", null, 10.0));
    rows.add(row("E", "PER", "country", 10.0, null));
    // F: four equal suppliers, HHI exactly 2500 (moderate, the upper threshold is inclusive).
    for (String c : List.of("FRA", "ITA", "ESP", "NLD")) {
      rows.add(row("F", c, "country", 1.0, null));
    }
    // G: ten equal suppliers, HHI 1000 (low).
    for (String c : List.of("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "D1")) {
      rows.add(row("G", c, "country", 7.0, null));
    }
    Dataset<Row> input = spark.createDataFrame(rows, INPUT);
    byGroup = new HashMap<>();
    for (Row r : Concentration.byPartner(input, List.of("grp", "period", "year", "month"), GROUPS)
        .collectAsList()) {
      byGroup.put(r.getString(r.fieldIndex("grp")), r);
    }
  }

  private static Row row(String group, String partner, String kind, Double value, Double kg) {
    return RowFactory.create(group, "2020", 2020, null, partner, kind, value, kg);
  }

  private static double d(Row r, String column) {
    return r.getDouble(r.fieldIndex(column));
  }

  @Test
  void sharesHhiAndTopKOfThreeSuppliers() {
    Row a = byGroup.get("A");
    assertEquals(3L, a.getLong(a.fieldIndex("n")));
    assertEquals(100.0, d(a, "total_value_usd"), EPS);
    // 60^2 + 30^2 + 10^2 = 4600
    assertEquals(4600.0, d(a, "hhi"), EPS);
    // (0.46 - 1/3) / (1 - 1/3) = 0.19
    assertEquals(0.19, d(a, "hhi_normalized"), EPS);
    assertEquals("CHN", a.getString(a.fieldIndex("top1_iso3")));
    assertEquals(0.6, d(a, "top1_share"), EPS);
    assertEquals(1.0, d(a, "top3_share"), EPS);
    assertEquals(0.6, d(a, "china_linked_share"), EPS);
    assertEquals(0.4, d(a, "bloc_share"), EPS);
    assertEquals(0.6, d(a, "concern_share"), EPS);
    assertEquals(50.0, d(a, "unallocated_value_usd"), EPS);
    assertEquals("high", a.getString(a.fieldIndex("concentration_level")));
    // Weight known for CHN 100 kg and DEU 100 kg only: 50^2 + 50^2 = 5000.
    assertEquals(200.0, d(a, "total_net_kg"), EPS);
    assertEquals(5000.0, d(a, "hhi_qty"), EPS);
  }

  @Test
  void singleSupplierIsFullyConcentrated() {
    Row b = byGroup.get("B");
    assertEquals(1L, b.getLong(b.fieldIndex("n")));
    assertEquals(10000.0, d(b, "hhi"), EPS);
    assertEquals(1.0, d(b, "hhi_normalized"), EPS);
    assertEquals(1.0, d(b, "top1_share"), EPS);
    assertEquals(0.0, d(b, "china_linked_share"), EPS);
  }

  @Test
  void tiesAreBrokenByIsoCode() {
    Row c = byGroup.get("C");
    assertEquals(5000.0, d(c, "hhi"), EPS);
    assertEquals(0.0, d(c, "hhi_normalized"), EPS);
    assertEquals("JPN", c.getString(c.fieldIndex("top1_iso3")));
    assertEquals(0.5, d(c, "top1_share"), EPS);
    assertNull(c.get(c.fieldIndex("hhi_qty")));
  }

  @Test
  void zeroAndNullValuesGiveNoShares() {
    Row z = byGroup.get("D");
    assertEquals(0L, z.getLong(z.fieldIndex("n")));
    assertEquals(0.0, d(z, "total_value_usd"), EPS);
    assertNull(z.get(z.fieldIndex("hhi")));
    assertNull(z.get(z.fieldIndex("top1_iso3")));
    assertNull(z.get(z.fieldIndex("concentration_level")));
    Row e = byGroup.get("E");
    assertEquals(1L, e.getLong(e.fieldIndex("n")));
    assertEquals("PER", e.getString(e.fieldIndex("top1_iso3")));
    assertEquals(10000.0, d(e, "hhi"), EPS);
  }

  @Test
  void levelsFollowTheThresholds() {
    assertEquals(2500.0, d(byGroup.get("F"), "hhi"), EPS);
    assertEquals("moderate", byGroup.get("F").getString(byGroup.get("F")
        .fieldIndex("concentration_level")));
    assertEquals(1000.0, d(byGroup.get("G"), "hhi"), EPS);
    assertEquals(0.3, d(byGroup.get("G"), "top3_share"), EPS);
    assertEquals("low", byGroup.get("G").getString(byGroup.get("G")
        .fieldIndex("concentration_level")));
  }

  @Test
  void hhiChangeComparesWithThePreviousPeriodOnly() {
    SparkSession spark = SparkTestSession.get();
    StructType schema = new StructType()
        .add("mineral", DataTypes.StringType)
        .add("period", DataTypes.StringType)
        .add("year", DataTypes.IntegerType)
        .add("month", DataTypes.IntegerType)
        .add("hhi", DataTypes.DoubleType);
    List<Row> rows = List.of(
        RowFactory.create("ga", "2019", 2019, null, 5000.0),
        RowFactory.create("ga", "2020", 2020, null, 4600.0),
        RowFactory.create("ga", "2022", 2022, null, 4000.0),
        RowFactory.create("ga", "2020-12", 2020, 12, 3000.0),
        RowFactory.create("ga", "2021-01", 2021, 1, 3500.0),
        RowFactory.create("ga", "2021-03", 2021, 3, 3700.0));
    Map<String, Object> change = new HashMap<>();
    for (Row r : Concentration.withHhiChange(spark.createDataFrame(rows, schema),
        List.of("mineral")).collectAsList()) {
      change.put(r.getString(1), r.get(r.fieldIndex("hhi_change")));
    }
    assertNull(change.get("2019"));
    assertEquals(-400.0, (Double) change.get("2020"), EPS);
    assertNull(change.get("2022"), "2021 is missing, so 2022 has no change");
    assertNull(change.get("2020-12"));
    assertEquals(500.0, (Double) change.get("2021-01"), EPS);
    assertNull(change.get("2021-03"), "2021-02 is missing");
  }
}
