package org.critmin.concentration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import org.critmin.SparkTestSession;
import org.critmin.reference.Governance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HHI_WGI = sum(s^2 * WGI_scaled * t) on tiny frames; every expected value is worked out in the
 * comments, with WGI_scaled = clamp(5 - 2 * PV.EST, 0, 10).
 */
class GovernanceWeightingTest {
  private static final double EPS = 1e-12;
  private static final StructType SHARES = new StructType()
      .add("grp", DataTypes.StringType)
      .add("mineral", DataTypes.StringType)
      .add("year", DataTypes.IntegerType)
      .add("partner", DataTypes.StringType)
      .add("share", DataTypes.DoubleType);
  private static final List<String> KEYS = List.of("grp", "mineral", "year");

  private static Dataset<Row> wgi;
  private static Dataset<Row> shares;

  @BeforeAll
  static void frames() {
    SparkSession spark = SparkTestSession.get();
    List<Row> w = new ArrayList<>();
    w.add(wgiRow("AAA", 2023, 0.0));   // 5
    w.add(wgiRow("AAA", 2024, -1.0));  // 7
    w.add(wgiRow("BBB", 2023, 1.0));   // 3
    w.add(wgiRow("CCC", 2023, -1.0));  // 7
    w.add(wgiRow("DDD", 2020, 0.5));   // 4, nothing later
    w.add(wgiRow("EEE", 2023, 3.0));   // 5 - 6 = -1 -> clamped to 0
    w.add(wgiRow("FFF", 2023, -3.0));  // 5 + 6 = 11 -> clamped to 10
    w.add(wgiRow("GGG", 2022, -0.5));  // 6
    w.add(wgiRow("GGG", 2023, null));  // missing: the 2022 estimate is used
    w.add(wgiRow("HHH", 2025, 0.0));   // only after the data year: never used for 2023/2024
    wgi = spark.createDataFrame(w, Governance.WGI_SCHEMA);

    List<Row> s = new ArrayList<>();
    s.add(share("one", 2023, "AAA", 1.0));
    s.add(share("tie", 2023, "BBB", 0.5));
    s.add(share("tie", 2023, "CCC", 0.5));
    s.add(share("missing", 2023, "AAA", 0.6));
    s.add(share("missing", 2023, "ZZZ", 0.4));
    s.add(share("none", 2023, "ZZZ", 1.0));
    s.add(share("clamp", 2023, "EEE", 0.5));
    s.add(share("clamp", 2023, "FFF", 0.5));
    s.add(share("lag", 2023, "DDD", 0.8));
    s.add(share("lag", 2023, "GGG", 0.2));
    s.add(share("y2024", 2024, "AAA", 0.5));
    s.add(share("y2024", 2024, "DDD", 0.3));
    s.add(share("y2024", 2024, "HHH", 0.2));
    shares = spark.createDataFrame(s, SHARES);
  }

  private static Row wgiRow(String iso3, int year, Double pvEst) {
    return RowFactory.create(iso3, iso3 + " name", year, pvEst);
  }

  private static Row share(String group, int year, String partner, double share) {
    return RowFactory.create(group, "cobalt", year, partner, share);
  }

  private static Map<String, Row> byGroup(Dataset<Row> in, GovernanceWeighting.Options options) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : GovernanceWeighting.byGroup(in, KEYS, wgi, options).collectAsList()) {
      out.put(r.getString(r.fieldIndex("grp")), r);
    }
    return out;
  }

  private static double d(Row r, String column) {
    return r.getDouble(r.fieldIndex(column));
  }

  @Test
  void handComputedGroups() {
    Map<String, Row> g = byGroup(shares, GovernanceWeighting.Options.defaults());
    // One producer: 1^2 * 5.
    assertEquals(5.0, d(g.get("one"), "hhi_wgi"), EPS);
    assertEquals(0.0, d(g.get("one"), "wgi_missing_share"), EPS);
    // A tie: 0.25 * 3 + 0.25 * 7.
    assertEquals(2.5, d(g.get("tie"), "hhi_wgi"), EPS);
    // ZZZ has no WGI: only AAA counts, 0.36 * 5, and 0.4 of supply is reported missing.
    assertEquals(1.8, d(g.get("missing"), "hhi_wgi"), EPS);
    assertEquals(0.4, d(g.get("missing"), "wgi_missing_share"), EPS);
    // Nobody has WGI: null, never 0.
    assertNull(g.get("none").get(g.get("none").fieldIndex("hhi_wgi")));
    assertEquals(1.0, d(g.get("none"), "wgi_missing_share"), EPS);
    // Clamped at both ends: 0.25 * 0 + 0.25 * 10.
    assertEquals(2.5, d(g.get("clamp"), "hhi_wgi"), EPS);
    // Latest estimate at or before 2023 within 3 years: DDD 2020 (4), GGG 2022 (6).
    // 0.64 * 4 + 0.04 * 6 = 2.8.
    assertEquals(2.8, d(g.get("lag"), "hhi_wgi"), EPS);
  }

  @Test
  void aCountryInTwoGroupsTakesEachGroupsYear() {
    Map<String, Row> g = byGroup(shares, GovernanceWeighting.Options.defaults());
    // AAA is 5 in 2023 ("one") and 7 in 2024 ("y2024"). In 2024, DDD's 2020 estimate is four
    // years old (too old) and HHH's only estimate is of 2025 (later): both missing.
    // 0.25 * 7 = 1.75; missing 0.3 + 0.2.
    assertEquals(5.0, d(g.get("one"), "hhi_wgi"), EPS);
    assertEquals(1.75, d(g.get("y2024"), "hhi_wgi"), EPS);
    assertEquals(0.5, d(g.get("y2024"), "wgi_missing_share"), EPS);
  }

  @Test
  void sameYearMatchingWithNoLag() {
    Map<String, Row> g = byGroup(shares, new GovernanceWeighting.Options("year", "mineral", 0,
        List.of()));
    // DDD (2020) and GGG (2023 missing) have no 2023 estimate.
    assertNull(g.get("lag").get(g.get("lag").fieldIndex("hhi_wgi")));
    assertEquals(1.0, d(g.get("lag"), "wgi_missing_share"), EPS);
    assertEquals(2.5, d(g.get("tie"), "hhi_wgi"), EPS);
  }

  @Test
  void tradeRestrictionFactorsApplyToTheirMineralOnly() {
    SparkSession spark = SparkTestSession.get();
    List<Row> s = new ArrayList<>();
    for (String mineral : List.of("gallium", "cobalt")) {
      s.add(RowFactory.create("r", mineral, 2023, "AAA", 0.5));
      s.add(RowFactory.create("r", mineral, 2023, "BBB", 0.5));
    }
    GovernanceWeighting.Options options = GovernanceWeighting.Options.defaults()
        .withRestrictions(List.of(new GovernanceWeighting.TradeRestriction("gallium", "AAA",
            1.5)));
    Map<String, Double> byMineral = new HashMap<>();
    for (Row r : GovernanceWeighting.byGroup(spark.createDataFrame(s, SHARES), KEYS, wgi,
        options).collectAsList()) {
      byMineral.put(r.getString(r.fieldIndex("mineral")), d(r, "hhi_wgi"));
    }
    // gallium: 0.25 * 5 * 1.5 + 0.25 * 3 = 2.625; cobalt: 0.25 * 5 + 0.25 * 3 = 2.
    assertEquals(2.625, byMineral.get("gallium"), EPS);
    assertEquals(2.0, byMineral.get("cobalt"), EPS);
  }

  @Test
  void sharesOfSumsRowsOfOneSupplierAndDropsNonPositive() {
    SparkSession spark = SparkTestSession.get();
    StructType values = new StructType().add("grp", DataTypes.StringType)
        .add("iso3", DataTypes.StringType).add("q", DataTypes.DoubleType);
    List<Row> rows = List.of(RowFactory.create("g", "AAA", 50.0),
        RowFactory.create("g", "AAA", 30.0), RowFactory.create("g", "BBB", 20.0),
        RowFactory.create("g", "CCC", 0.0), RowFactory.create("g", "DDD", null));
    Map<String, Double> share = new HashMap<>();
    for (Row r : GovernanceWeighting.sharesOf(spark.createDataFrame(rows, values),
        List.of("grp"), "iso3", "q").collectAsList()) {
      share.put(r.getString(r.fieldIndex("partner")), d(r, "share"));
    }
    assertEquals(Map.of("AAA", 0.8, "BBB", 0.2), share);
  }

  @Test
  void attachMatchesNullKeysAndReplacesThePlaceholder() {
    SparkSession spark = SparkTestSession.get();
    StructType metricsSchema = new StructType().add("mineral", DataTypes.StringType)
        .add("year", DataTypes.IntegerType).add("month", DataTypes.IntegerType)
        .add("hhi", DataTypes.DoubleType).add("hhi_wgi", DataTypes.DoubleType);
    StructType sharesSchema = new StructType().add("mineral", DataTypes.StringType)
        .add("year", DataTypes.IntegerType).add("month", DataTypes.IntegerType)
        .add("partner", DataTypes.StringType).add("share", DataTypes.DoubleType);
    // An annual group (month null) and a monthly one; the placeholder hhi_wgi is null.
    Dataset<Row> metrics = spark.createDataFrame(List.of(
        RowFactory.create("cobalt", 2023, null, 10000.0, null),
        RowFactory.create("cobalt", 2023, 5, 10000.0, null)), metricsSchema);
    Dataset<Row> in = spark.createDataFrame(List.of(
        RowFactory.create("cobalt", 2023, null, "AAA", 1.0),
        RowFactory.create("cobalt", 2023, 5, "CCC", 1.0)), sharesSchema);
    List<Row> out = GovernanceWeighting.attach(metrics, in, List.of("mineral", "year", "month"),
        wgi, GovernanceWeighting.Options.defaults()).orderBy("month").collectAsList();
    assertEquals(2, out.size());
    assertEquals(List.of("mineral", "year", "month", "hhi", "hhi_wgi", "wgi_missing_share"),
        List.of(out.get(0).schema().fieldNames()));
    assertEquals(5.0, d(out.get(0), "hhi_wgi"), EPS);   // annual: AAA 2023, 1 * 5
    assertEquals(7.0, d(out.get(1), "hhi_wgi"), EPS);   // May: CCC 2023, 1 * 7
  }

  @Test
  void theYearColumnMustBeAGroupKey() {
    assertThrows(IllegalArgumentException.class, () -> GovernanceWeighting.byGroup(shares,
        List.of("grp"), wgi, GovernanceWeighting.Options.defaults()));
  }
}
