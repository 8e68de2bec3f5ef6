package org.critmin.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.CommandResult;
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run over a folder holding every supported format, some with bad records, plus a truncated
 * gzip file: the good files load, the bad records are quarantined with reasons, and the run ends
 * with exit code 2 naming the truncated file.
 */
class IngestFormatsTest {
  private static final String PLUS_HEADER = "period,reporterCode,reporterISO,partnerCode,"
      + "partnerISO,flowCode,cmdCode,cmdDesc,primaryValue,netWgt";

  @TempDir
  static Path dir;
  private static SparkSession spark;
  private static CommandResult result;

  @BeforeAll
  static void ingestEveryFormat() throws IOException {
    spark = SparkTestSession.get();
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("legacy.csv"), String.join("\n",
        "Classification,Year,Period,Period Desc.,Aggregate Level,Is Leaf Code,Trade Flow Code,"
            + "Trade Flow,Reporter Code,Reporter,Reporter ISO,Partner Code,Partner,Partner ISO,"
            + "Commodity Code,Commodity,Qty Unit Code,Qty Unit,Qty,Netweight (kg),"
            + "Gross weight (kg),Trade Value (US$),CIF Trade Value (US$),FOB Trade Value (US$),Flag",
        "H4,2013,2013,2013,6,1,1,Import,392,Japan,JPN,608,Philippines,PHL,260400,Nickel ores,8,kg,"
            + "1000,1000,,5000,5000,,0",
        "H4,2013,2013,2013,6,1,2,Export,608,Philippines,PHL,392,Japan,JPN,260400,Nickel ores,8,kg,"
            + "900,900,,4800,,4800,0",
        "H4,2013,2013,2013,6,1,9,Other,608,Philippines,PHL,392,Japan,JPN,260400,Nickel ores,8,kg,"
            + "900,900,,4800,,4800,0") + "\n");
    String good = "{\"typeCode\":\"C\",\"freqCode\":\"M\",\"period\":\"202311\",\"reporterCode\":842,"
        + "\"reporterISO\":\"USA\",\"partnerCode\":56,\"partnerISO\":\"BEL\",\"flowCode\":\"M\","
        + "\"cmdCode\":\"811292\",\"primaryValue\":1.25E7,\"netWgt\":25000.0,\"isAggregate\":false,"
        + "\"extra\":{\"nested\":1}}";
    String bad = good.replace("1.25E7", "\"lots\"");
    String horses = good.replace("811292", "010121");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(in.resolve("api.json.gz")))) {
      out.write(("{\"elapsedTime\":\"0.2 secs\",\"count\":3,\"data\":[" + good + "," + bad + ","
          + horses + "],\"error\":\"\"}").getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(in.resolve("baci_HS17_Y2022.csv"), String.join("\n",
        "t,i,j,k,v,q",
        "2022,156,842,811292,1234.5,2.5",
        "2022,156,842,10121,5.0,NA",
        "2022,156,842,260400,1.0,NA",
        "2022,156,842,260400,abc,1") + "\n");
    ByteArrayOutputStream bom = new ByteArrayOutputStream();
    bom.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    bom.write(String.join("\r\n", PLUS_HEADER,
        "\"2021\",\"156\",\"CHN\",\"0\",\"W00\",\"X\",\"250410\",\"Graphite; natural, flakes\",\"70\",\"7\"",
        "\"2021\",\"156\",\"CHN\",\"392\",\"JPN\",\"X\",\"250410\",\"Graphite; natural, flakes\",\"70\",\"7\"")
        .getBytes(StandardCharsets.UTF_8));
    bom.write("\r\n".getBytes(StandardCharsets.UTF_8));
    Files.write(in.resolve("bom_crlf.csv"), bom.toByteArray());
    // A UTF-8 file whose first 64 KiB are clean, then a line with a latin-1 byte: one of its
    // three graphite lines, under the run's reject ratio of 0.5 over the minerals' lines.
    ByteArrayOutputStream encoding = new ByteArrayOutputStream();
    encoding.write((PLUS_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
    encoding.write("2021,156,CHN,392,JPN,X,250410,Graphite,5,5\n".repeat(2)
        .getBytes(StandardCharsets.UTF_8));
    String filler = "2021,156,CHN,392,JPN,X,010121,Horses \u00e9lite,1,1\n";
    while (encoding.size() < 70_000) {
      encoding.write(filler.getBytes(StandardCharsets.UTF_8));
    }
    encoding.write("2021,156,CHN,392,JPN,X,250410,Graphite ".getBytes(StandardCharsets.UTF_8));
    encoding.write(new byte[] {(byte) 0xE9});
    encoding.write("lite,5,5\n".getBytes(StandardCharsets.UTF_8));
    Files.write(in.resolve("encoding.csv"), encoding.toByteArray());
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write((PLUS_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 40000; i++) {
        out.write(("2021,156,CHN,392,JPN,X,250410,Graphite," + i + ",1\n")
            .getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] whole = gz.toByteArray();
    Files.write(in.resolve("truncated.csv.gz"), Arrays.copyOf(whole, whole.length / 2));
    Files.writeString(in.resolve("empty.csv"), "");
    result = CommandResult.run("ingest", "--warehouse", dir.resolve("warehouse").toString(),
        "--input", in.toString(), "--set", "database_prefix=fmt",
        "--set", "ingest.max_reject_ratio=0.5", "--set", "spark.console_progress=false");
  }

  private static Map<String, Row> filesByName() {
    Map<String, Row> byName = new HashMap<>();
    for (Row r : spark.sql("SELECT source_file, first(source_format), sum(rows_read), "
        + "sum(rows_kept), sum(rows_rejected), sum(rows_out_of_scope), sum(rows_aggregate) "
        + "FROM fmt_bronze.ingest_files GROUP BY source_file").collectAsList()) {
      String file = r.getString(0);
      byName.put(file.substring(file.lastIndexOf('/') + 1), r);
    }
    return byName;
  }

  @Test
  void truncatedGzipStopsTheRunButTheGoodFilesLoad() {
    assertEquals(2, result.exitCode(), result.err());
    assertTrue(result.err().contains("2 input files not loaded"), result.err());
    assertTrue(result.err().contains("truncated.csv.gz"), result.err());
    assertTrue(result.err().contains("cannot be read to the end"), result.err());
    assertTrue(result.err().contains("empty.csv"), result.err());
    assertEquals(1L, spark.sql("SELECT count(*) FROM fmt_bronze.rejected_records WHERE "
        + "reason = 'unreadable_file' AND line_number IS NULL AND source_file LIKE '%empty.csv'")
        .first().getLong(0));
    assertEquals(5, filesByName().size(), filesByName().keySet().toString());
    assertEquals(0L, spark.sql("SELECT count(*) FROM fmt_bronze.trade_records WHERE source_file "
        + "LIKE '%truncated%'").first().getLong(0));
    assertEquals(1L, spark.sql("SELECT count(*) FROM fmt_bronze.rejected_records WHERE "
        + "reason = 'unreadable_file' AND source_file LIKE '%truncated%'").first().getLong(0));
  }

  @Test
  void legacyCsvMapsFlowCodes() {
    Row legacy = filesByName().get("legacy.csv");
    assertEquals("comtrade_legacy", legacy.getString(1));
    assertEquals(3L, legacy.getLong(2));
    assertEquals(2L, legacy.getLong(3));
    assertEquals(1L, legacy.getLong(4));
    Row imports = spark.sql("SELECT flow_code, primary_value, net_wgt, period, classification "
        + "FROM fmt_bronze.trade_records WHERE source_format = 'comtrade_legacy' AND "
        + "reporter_code = 392").first();
    assertEquals("M", imports.getString(0));
    assertEquals(5000.0, imports.getDouble(1));
    assertEquals(1000.0, imports.getDouble(2));
    assertEquals("2013", imports.getString(3));
    assertEquals("unknown_flow", spark.sql("SELECT reason FROM fmt_bronze.rejected_records WHERE "
        + "source_file LIKE '%legacy.csv' ").first().getString(0));
  }

  @Test
  void jsonResponseIsReadRecordByRecord() {
    Row json = filesByName().get("api.json.gz");
    assertEquals("comtrade_json", json.getString(1));
    assertEquals(3L, json.getLong(2));
    assertEquals(1L, json.getLong(3));
    assertEquals(1L, json.getLong(4));
    assertEquals(1L, json.getLong(5));
    Row kept = spark.sql("SELECT period, month, primary_value, net_wgt, line_number FROM "
        + "fmt_bronze.trade_records WHERE source_format = 'comtrade_json'").first();
    assertEquals("2023-11", kept.getString(0));
    assertEquals(11, kept.getInt(1));
    assertEquals(1.25e7, kept.getDouble(2));
    assertEquals(25000.0, kept.getDouble(3));
    assertEquals(1L, kept.getLong(4));
    Row rejected = spark.sql("SELECT reason, line_number, raw_record FROM "
        + "fmt_bronze.rejected_records WHERE source_file LIKE '%api.json.gz'").first();
    assertEquals("bad_number", rejected.getString(0));
    assertEquals(2L, rejected.getLong(1));
    assertTrue(rejected.getString(2).contains("\"lots\""));
  }

  @Test
  void baciValuesAreScaledToUsdAndKilograms() {
    Row baci = filesByName().get("baci_HS17_Y2022.csv");
    assertEquals("baci", baci.getString(1));
    assertEquals(4L, baci.getLong(2));
    assertEquals(2L, baci.getLong(3));
    assertEquals(1L, baci.getLong(4));
    assertEquals(1L, baci.getLong(5));
    Row gallium = spark.sql("SELECT flow_code, reporter_code, partner_code, primary_value, "
        + "net_wgt FROM fmt_bronze.trade_records WHERE source_format = 'baci' AND "
        + "cmd_code = '811292'").first();
    assertEquals("M", gallium.getString(0));
    assertEquals(842, gallium.getInt(1));
    assertEquals(156, gallium.getInt(2));
    assertEquals(1_234_500.0, gallium.getDouble(3), 1e-6);
    assertEquals(2500.0, gallium.getDouble(4), 1e-9);
    assertNull(spark.sql("SELECT net_wgt FROM fmt_bronze.trade_records WHERE source_format = "
        + "'baci' AND cmd_code = '260400'").first().get(0));
  }

  @Test
  void bomCrlfAndQuotedCommasRead() {
    Row plus = filesByName().get("bom_crlf.csv");
    assertEquals("comtrade_plus", plus.getString(1));
    assertEquals(2L, plus.getLong(2));
    assertEquals(2L, plus.getLong(3));
  }

  @Test
  void invalidUtf8AfterTheSampleIsRejectedAsBadEncoding() {
    Row encoding = filesByName().get("encoding.csv");
    assertEquals(1L, encoding.getLong(4));
    assertEquals("bad_encoding", spark.sql("SELECT reason FROM fmt_bronze.rejected_records WHERE "
        + "source_file LIKE '%encoding.csv'").first().getString(0));
    assertEquals(2L, encoding.getLong(3));
    assertEquals(encoding.getLong(2) - 3, encoding.getLong(6) + encoding.getLong(5));
  }
}
