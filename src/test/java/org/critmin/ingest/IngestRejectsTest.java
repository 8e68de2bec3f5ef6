package org.critmin.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.CommandResult;
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real malformed file: each bad line is quarantined with its reason and line number. */
class IngestRejectsTest {
  private static final String HEADER = "period,reporterCode,reporterISO,partnerCode,partnerISO,"
      + "flowCode,cmdCode,cmdDesc,primaryValue,netWgt,qty,qtyUnitAbbr";

  @TempDir
  static Path dir;
  private static SparkSession spark;
  private static CommandResult result;

  @BeforeAll
  static void ingestMalformedFile() throws IOException {
    spark = SparkTestSession.get();
    String lines = String.join("\r\n",
        HEADER,                                                              // line 1
        "2020,842,USA,156,CHN,M,260400,\"Nickel ores, concentrates\",1000,50,50,kg", // 2 kept
        "2020,842,USA,156,CHN,M,260400,\"Nickel ores,1000,50,50,kg",       // 3 broken quoting
        "2020,842,USA,156,CHN,M,260400",                                     // 4 field count
        "2020,842,USA,156,CHN,M,260400,Nickel,1e3x,50,50,kg",                // 5 bad number
        "2020,842,USA,156,CHN,M,260400,Nickel,-5,50,50,kg",                  // 6 negative
        "20X0,842,USA,156,CHN,M,260400,Nickel,5,50,50,kg",                   // 7 bad period
        "2020,842,USA,156,CHN,Q,260400,Nickel,5,50,50,kg",                   // 8 unknown flow
        "2020,999,ZZZ,156,CHN,M,260400,Nickel,5,50,50,kg",                   // 9 unknown country
        "2020,842,USA,156,CHN,M,,Nickel,5,50,50,kg",                         // 10 missing cmdCode
        "2020,842,USA,156,CHN,M,010121,Horses,5,50,50,kg",                   // 11 out of scope
        "2020,842,USA,156,CHN,M,2604,Nickel chapter,5,50,50,kg",             // 12 aggregate
        "",                                                                  // 13 blank
        "2021,842,USA,0,W00,X,750110,Nickel mattes,NaN,1,1,kg",              // 14 bad number
        "2020,842,USA,156,CHN,M,260400,Nickel,1.7e308,50,50,kg",             // 15 implausible
        "2020,842,USA,156,CHN,M,260400,Nickel,5,2e13,50,kg",                 // 16 implausible
        "2020,842,USA,-0,W00,M,260400,Nickel,5,50,50,kg",                    // 17 signed code
        "2020,842,USA,156,CHN,M,260400,Nickel,5,,1e300,kg")                  // 18 implausible qty
        + "\r\n";
    Path gz = dir.resolve("malformed.csv.gz");
    try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(lines.getBytes(StandardCharsets.UTF_8));
    }
    result = CommandResult.run("ingest", "--warehouse", dir.resolve("warehouse").toString(),
        "--input", gz.toString(), "--set", "database_prefix=rej",
        "--set", "ingest.max_reject_ratio=1.0", "--set", "spark.console_progress=false");
  }

  @Test
  void everyBadLineIsQuarantinedWithReasonAndLineNumber() {
    assertEquals(0, result.exitCode(), result.err());
    Map<Long, String> reasons = new HashMap<>();
    for (Row r : spark.sql("SELECT line_number, reason, raw_record FROM rej_bronze.rejected_records")
        .collectAsList()) {
      reasons.put(r.getLong(0), r.getString(1));
    }
    assertEquals(Map.ofEntries(
        Map.entry(3L, "broken_quoting"),
        Map.entry(4L, "field_count"),
        Map.entry(5L, "bad_number"),
        Map.entry(6L, "negative_value"),
        Map.entry(7L, "bad_period"),
        Map.entry(8L, "unknown_flow"),
        Map.entry(9L, "unknown_country"),
        Map.entry(10L, "missing_required_field"),
        Map.entry(14L, "bad_number"),
        Map.entry(15L, "bad_number"),
        Map.entry(16L, "bad_number"),
        Map.entry(17L, "bad_number"),
        Map.entry(18L, "bad_number")), reasons);
    assertTrue(spark.sql("SELECT detail FROM rej_bronze.rejected_records WHERE line_number = 15")
        .first().getString(0).contains("beyond the plausible 1e+13 of one flow"));
  }

  @Test
  void countsReconcile() {
    Row counts = spark.sql("SELECT sum(rows_read), sum(rows_kept), sum(rows_rejected), "
        + "sum(rows_out_of_scope), sum(rows_aggregate) FROM rej_bronze.ingest_files").first();
    assertEquals(16L, counts.getLong(0));
    assertEquals(1L, counts.getLong(1));
    assertEquals(13L, counts.getLong(2));
    assertEquals(1L, counts.getLong(3));
    assertEquals(1L, counts.getLong(4));
    List<Row> kept = spark.sql("SELECT line_number, primary_value, net_wgt, period "
        + "FROM rej_bronze.trade_records").collectAsList();
    assertEquals(1, kept.size());
    assertEquals(2L, kept.get(0).getLong(0));
    assertEquals(1000.0, kept.get(0).getDouble(1));
    assertEquals("2020", kept.get(0).getString(3));
  }

  @Test
  void tooManyRejectsStopTheRunAndNameTheFile() {
    CommandResult strict = CommandResult.run("ingest", "--warehouse",
        dir.resolve("warehouse2").toString(), "--input", dir.resolve("malformed.csv.gz").toString(),
        "--set", "database_prefix=rej2", "--set", "spark.console_progress=false");
    assertEquals(2, strict.exitCode());
    assertEquals(true, strict.err().contains("malformed.csv.gz"), strict.err());
    assertEquals(true, strict.err().contains("max_reject_ratio"), strict.err());
    assertEquals(13L, spark.sql("SELECT count(*) FROM rej2_bronze.rejected_records").first()
        .getLong(0));
    assertEquals(false, spark.catalog().tableExists("rej2_bronze.trade_records")
        && spark.table("rej2_bronze.trade_records").count() > 0);
  }
}
