package org.critmin.refine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.critmin.delta.Tables;
import org.critmin.reference.ReferenceData;
import org.junit.jupiter.api.Test;

/** Classification of bronze records on tiny frames: totals, revisions, duplicates, World checks. */
class TradeFlowRefinerTest {
  private static final StructType BRONZE = Tables.TRADE_RECORDS.schema();
  private static final Timestamp OLDER = Timestamp.valueOf("2025-01-01 00:00:00");
  private static final Timestamp NEWER = Timestamp.valueOf("2025-06-01 00:00:00");

  /** A USA import record of 2020 (bronze columns in order); partner 0 is World. */
  private static Row record(String file, Timestamp modified, long line, int partner, String cmd,
      double value, Integer partner2) {
    return RowFactory.create("2020", 2020, null, "A", 842, "USA", partner, null, partner2, "M",
        "H5", cmd, 6, false, null, null, null, 8, "kg", null, 1.0, false, null, null, null, value,
        "comtrade_plus", file, modified, line, "r1");
  }

  private static List<Row> fileA() {
    List<Row> rows = new ArrayList<>();
    rows.add(record("a.csv", OLDER, 2, 0, "260400", 200.0, null));   // World
    rows.add(record("a.csv", OLDER, 3, 156, "260400", 100.0, null)); // CHN, repeated on line 5
    rows.add(record("a.csv", OLDER, 4, 36, "260400", 50.0, null));   // AUS
    rows.add(record("a.csv", OLDER, 5, 156, "260400", 100.0, null)); // CHN again, same value
    rows.add(record("a.csv", OLDER, 6, 608, "260400", 30.0, null));  // PHL
    rows.add(record("a.csv", OLDER, 7, 608, "260400", 31.0, null));  // PHL again, new value
    rows.add(record("a.csv", OLDER, 8, 608, "260400", 5.0, 36));     // PHL via AUS: breakdown
    rows.add(record("a.csv", OLDER, 9, 156, "750110", 70.0, null));  // another commodity
    return rows;
  }

  private static Map<String, String> reasons(List<Row> rows) {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> classified = TradeFlowRefiner.classify(spark.createDataFrame(rows, BRONZE),
        List.of("M"), List.of("X"));
    Map<String, String> byLine = new TreeMap<>();
    for (Row r : classified.select("source_file", "line_number", "filter_reason")
        .collectAsList()) {
      byLine.put(r.getString(0) + ":" + r.getLong(1), r.isNullAt(2) ? "kept" : r.getString(2));
    }
    return byLine;
  }

  @Test
  void duplicatesAndConflictsWithinOneFile() {
    Map<String, String> expected = new TreeMap<>(Map.of(
        "a.csv:2", "world",
        "a.csv:3", "duplicate",
        "a.csv:4", "kept",
        "a.csv:5", "kept",
        "a.csv:6", "conflict",
        "a.csv:7", "kept",
        "a.csv:8", "breakdown",
        "a.csv:9", "kept"));
    assertEquals(expected, reasons(fileA()));
  }

  @Test
  void aNewerFileReplacesTheFiguresItReports() {
    List<Row> rows = fileA();
    rows.add(record("b.csv", NEWER, 2, 156, "260400", 120.0, null));
    Map<String, String> got = reasons(rows);
    assertEquals("kept", got.get("b.csv:2"));
    for (String line : List.of("a.csv:3", "a.csv:4", "a.csv:5", "a.csv:6", "a.csv:7")) {
      assertEquals("superseded", got.get(line), line);
    }
    assertEquals("kept", got.get("a.csv:9"), "750110 is not in the newer file");
  }

  @Test
  void aNewerFileListingFewerThanHalfThePartnersIsReported() {
    List<Row> rows = new ArrayList<>();
    // 260400: a.csv lists 30 partners, the newer b.csv one of them: 29 dropped.
    // 750110: a.csv lists 4, b.csv 2 of them: half, not fewer, so not reported.
    int[] partners = {4, 8, 12, 20, 24, 28, 31, 32, 36, 40, 44, 48, 50, 52, 56, 60, 64, 68, 70,
        72, 76, 84, 90, 96, 100, 104, 108, 112, 116, 156};
    for (int i = 0; i < partners.length; i++) {
      rows.add(record("a.csv", OLDER, 2 + i, partners[i], "260400", 10.0, null));
    }
    for (int i = 0; i < 4; i++) {
      rows.add(record("a.csv", OLDER, 40 + i, partners[i], "750110", 10.0, null));
    }
    rows.add(record("a.csv", OLDER, 50, 0, "260400", 300.0, null));
    rows.add(record("b.csv", NEWER, 2, 156, "260400", 12.0, null));
    rows.add(record("b.csv", NEWER, 3, 4, "750110", 12.0, null));
    rows.add(record("b.csv", NEWER, 4, 8, "750110", 12.0, null));
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> classified = TradeFlowRefiner.classify(spark.createDataFrame(rows, BRONZE),
        List.of("M"), List.of("X"));
    List<Row> reported = DataQuality.partnerDroppingCorrections(classified).collectAsList();
    assertEquals(List.of(RowFactory.create("b.csv", "2020", 1L, 29L)), reported);
  }

  @Test
  void partnersThatMissTheWorldTotalAreCounted() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> classified = TradeFlowRefiner.classify(spark.createDataFrame(fileA(), BRONZE),
        List.of("M"), List.of("X"));
    // Kept partners of 260400: CHN 100 + AUS 50 + PHL 31 = 181 against World 200.
    List<Row> mismatches = TradeFlowRefiner.worldTotalMismatches(classified, 0.01).collectAsList();
    assertEquals(1, mismatches.size());
    assertEquals(1L, mismatches.get(0).getLong(2));
    assertEquals(0, TradeFlowRefiner.worldTotalMismatches(classified, 0.10).count());
  }

  /** Trade flow rows (the columns bilateralFlows reads) of cobalt ore, 2020 or 2020-03. */
  private static Row flow(Integer month, String reporter, String partner, String flow,
      double value) {
    return RowFactory.create(month == null ? "2020" : "2020-0" + month, 2020, month, reporter,
        partner, "country", flow, "260500", "cobalt", "ore", false, value, 1.0);
  }

  @Test
  void importAndExportReportsOfOneFlowBecomeOneBilateralRowAnnualAndMonthly() {
    SparkSession spark = SparkTestSession.get();
    StructType schema = new StructType()
        .add("period", "string").add("year", "int").add("month", "int")
        .add("reporter_iso3", "string").add("partner_iso3", "string")
        .add("partner_kind", "string").add("flow", "string").add("hs6", "string")
        .add("mineral", "string").add("stage", "string").add("lumped", "boolean")
        .add("value_usd", "double").add("net_kg", "double");
    List<Row> rows = List.of(
        flow(null, "USA", "COD", "M", 110.0), flow(null, "COD", "USA", "X", 100.0),
        flow(3, "USA", "COD", "M", 11.0), flow(3, "COD", "USA", "X", 10.0),
        flow(null, "COD", "JPN", "X", 40.0));
    List<Row> bilateral = TradeFlowRefiner.bilateralFlows(spark.createDataFrame(rows, schema), "r1")
        .orderBy("period", "importer_iso3")
        .select("period", "importer_iso3", "value_usd", "basis", "mirror_gap").collectAsList();
    assertEquals(3, bilateral.size(), bilateral.toString());
    assertEquals(RowFactory.create("2020", "JPN", 40.0, "exporter_reported", null),
        bilateral.get(0));
    assertEquals(RowFactory.create("2020", "USA", 110.0, "importer_reported", 10.0 / 110.0),
        bilateral.get(1));
    assertEquals(RowFactory.create("2020-03", "USA", 11.0, "importer_reported", 1.0 / 11.0),
        bilateral.get(2));
  }

  /** A USA import of 2020 of {@code cmd} from {@code partner}, declared in {@code classification}. */
  private static Row declaredIn(String classification, long line, int partner, String cmd) {
    return RowFactory.create("2020", 2020, null, "A", 842, "USA", partner, null, null, "M",
        classification, cmd, 6, false, null, null, null, 8, "kg", null, 1.0, false, null, null,
        null, 100.0, "comtrade_plus", "e.csv", NEWER, line, "r1");
  }

  private static Row mapRow(String hs6, String edition, String mineral) {
    return RowFactory.create(hs6, edition, mineral, "ore", false, null, null, null, null, null);
  }

  @Test
  void eachRecordUsesTheMapOfItsHsEditionAndTheOtherEditionWhereItsCodeIsMissing() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> hsMap = spark.createDataFrame(List.of(
        mapRow("111111", "HS2017", "a"), mapRow("111111", "HS2022", "b"),
        mapRow("222222", "HS2017", "c"),
        mapRow("333333", "HS2022", "d"), mapRow("333333", "HS2022", "e")),
        ReferenceData.HS_MAP_SCHEMA);
    Dataset<Row> countries = spark.createDataFrame(List.of(
        RowFactory.create(842, "USA", "United States", "country", false, null),
        RowFactory.create(156, "CHN", "China", "country", true, null),
        RowFactory.create(36, "AUS", "Australia", "country", false, null)),
        ReferenceData.COUNTRY_SCHEMA);
    List<Row> records = List.of(
        declaredIn("H5", 2, 156, "111111"),   // HS2017 edition
        declaredIn("H6", 3, 36, "111111"),    // HS2022 edition
        declaredIn("H6", 4, 156, "222222"),   // only in the HS2017 map
        declaredIn("H5", 5, 156, "333333"),   // only in the HS2022 map, two minerals
        declaredIn(null, 6, 250, "111111"));  // no classification: 2020 is before HS2022
    Dataset<Row> classified = TradeFlowRefiner.classify(
        spark.createDataFrame(records, BRONZE), List.of("M"), List.of("X"));
    Map<String, String> mapped = new TreeMap<>();
    for (Row r : TradeFlowRefiner.tradeFlows(classified, countries, hsMap, "r1")
        .select("line_number", "mineral", "hs_version").orderBy("line_number", "mineral")
        .collectAsList()) {
      mapped.merge(String.valueOf(r.getLong(0)), r.getString(1) + "/" + r.getString(2),
          (x, y) -> x + " " + y);
    }
    assertEquals(Map.of("2", "a/HS2017", "3", "b/HS2022", "4", "c/HS2017",
        "5", "d/HS2022 e/HS2022", "6", "a/HS2017"), mapped);
  }

  @Test
  void aCodeAnExportBanNamesReachesSilverAsBasketAndStaysOutOfTheMineralTrade() {
    SparkSession spark = SparkTestSession.get();
    ReferenceData reference = ReferenceData.load(spark, org.critmin.config.Location.of(
        java.nio.file.Path.of(org.critmin.CommandResult.home(), "conf/reference")));
    // 285000 (hydrides, nitrides: gallium nitride) is named by CHN-2023-GA-GE and
    // CHN-2024-SB-SUPERHARD; 260400 is nickel ore.
    Dataset<Row> classified = TradeFlowRefiner.classify(spark.createDataFrame(List.of(
        declaredIn("H5", 2, 156, "285000"), declaredIn("H5", 3, 156, "260400")), BRONZE),
        List.of("M"), List.of("X"));
    Dataset<Row> flows = TradeFlowRefiner.tradeFlows(classified, reference.countries(),
        reference.hsMap(), "r1");
    List<String> silver = flows.orderBy("hs6", "mineral")
        .selectExpr("concat_ws('/', hs6, mineral, stage, cast(lumped AS STRING))")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(List.of("260400/nickel/ore/false", "285000/antimony/basket/true",
        "285000/gallium/basket/true", "285000/germanium/basket/true"), silver);
    assertEquals(List.of("260400"), ReferenceData.mineralTrade(flows).select("hs6")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }
}
