package org.critmin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.CommandResult;
import org.critmin.CritminProcess;
import org.critmin.SparkTestSession;
import org.critmin.TableContents;
import org.critmin.delta.TableSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Loading the same files twice, a new year, then a corrected file, as a scheduled job would. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("e2e")
class IdempotentLoadsTest {
  private static final String HEADER =
      "period,reporterCode,reporterISO,partnerCode,partnerISO,flowCode,cmdCode,primaryValue,netWgt";

  @TempDir
  static Path dir;
  private static Path input;
  private static SparkSession spark;

  @BeforeAll
  static void firstLoad() throws IOException {
    spark = SparkTestSession.get();
    input = Files.createDirectories(dir.resolve("in"));
    write("usa_2020.csv", Instant.parse("2025-01-01T00:00:00Z"),
        "2020,842,USA,0,W00,M,260400,150,15",
        "2020,842,USA,156,CHN,M,260400,100,10",
        "2020,842,USA,36,AUS,M,260400,50,5");
    assertEquals(0, pipeline().exitCode());
  }

  private static void write(String name, Instant modified, String... rows) throws IOException {
    Path file = input.resolve(name);
    Files.writeString(file, HEADER + "\n" + String.join("\n", rows) + "\n");
    Files.setLastModifiedTime(file, FileTime.from(modified));
  }

  private static CommandResult pipeline() {
    CommandResult result = CommandResult.run(CritminProcess.pipeline(dir.resolve("warehouse"),
        input.toString(), "loads"));
    assertEquals(0, result.exitCode(), result.err());
    return result;
  }

  /**
   * The stages whose tables a check reads ({@code stages} of ingest, refine, concentration), each
   * command on its own as a scheduler may run them: flows, data quality, partner concentration.
   */
  private static void coreStages(String... stages) {
    for (String stage : stages) {
      CommandResult result = CommandResult.run(stage, "--warehouse",
          dir.resolve("warehouse").toString(), "--input", input.toString(), "--set",
          "database_prefix=loads", "--set", "spark.console_progress=false");
      assertEquals(0, result.exitCode(), stage + ": " + result.err());
    }
  }

  private static List<String> rows(String sql) {
    return spark.sql(sql).collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private static List<String> flows() {
    return rows("SELECT period, reporter_iso3, partner_iso3, hs6, value_usd, net_kg "
        + "FROM loads_silver.trade_flows");
  }

  /**
   * The same run twice: every table (run_id aside) holds exactly the rows it held after the first
   * run, compared with the version before the re-run by time travel, EXCEPT ALL both ways, and no
   * flow is held twice.
   */
  @Test
  @Order(1)
  void loadingTheSameFilesAgainChangesNothing() {
    String root = dir.resolve("warehouse").toUri().toString().replaceAll("/+$", "");
    Map<TableSpec, Long> versions = new LinkedHashMap<>();
    for (TableSpec spec : TableContents.compared()) {
      versions.put(spec, DeltaTable.forPath(spark, location(root, spec)).history(1).first()
          .getLong(0));
    }
    List<String> flows = flows();
    long t0 = System.nanoTime();
    pipeline();
    double seconds = (System.nanoTime() - t0) / 1e9;
    long rows = 0;
    for (Map.Entry<TableSpec, Long> before : versions.entrySet()) {
      TableSpec spec = before.getKey();
      rows += TableContents.assertSame(spec.name(), spark.read().format("delta")
          .option("versionAsOf", before.getValue()).load(location(root, spec)),
          TableContents.read(spark, root, spec));
    }
    assertEquals(0L, spark.sql("SELECT count(*) FROM (SELECT period, reporter_iso3, "
        + "partner_iso3, flow, hs6, mineral FROM loads_silver.trade_flows GROUP BY ALL "
        + "HAVING count(*) > 1)").first().getLong(0), "duplicate flows");
    assertEquals(List.of("[2020,USA,AUS,260400,50.0,5.0]", "[2020,USA,CHN,260400,100.0,10.0]"),
        flows);
    System.out.printf("[reliability] re-run: second run %.1f s; %d tables identical to the first "
        + "run's versions %s (%d rows, EXCEPT ALL both ways), no duplicate flows%n", seconds,
        versions.size(), versions.values(), rows);
  }

  private static String location(String root, TableSpec spec) {
    return root + "/" + spec.layer() + "/" + spec.name();
  }

  @Test
  @Order(2)
  void aNewYearIsAdded() throws IOException {
    write("usa_2021.csv", Instant.parse("2025-02-01T00:00:00Z"),
        "2021,842,USA,0,W00,M,260400,80,8",
        "2021,842,USA,156,CHN,M,260400,80,8");
    coreStages("ingest", "refine");
    assertEquals(List.of("[2020,USA,AUS,260400,50.0,5.0]", "[2020,USA,CHN,260400,100.0,10.0]",
        "[2021,USA,CHN,260400,80.0,8.0]"), flows());
  }

  @Test
  @Order(3)
  void aCorrectedFileReplacesThePeriodItCovers() throws IOException {
    write("usa_2020_revised.csv", Instant.parse("2025-03-01T00:00:00Z"),
        "2020,842,USA,0,W00,M,260400,120,12",
        "2020,842,USA,156,CHN,M,260400,120,12");
    coreStages("ingest", "refine", "concentration");
    assertEquals(List.of("[2020,USA,CHN,260400,120.0,12.0]", "[2021,USA,CHN,260400,80.0,8.0]"),
        flows());
    Row old = spark.sql("SELECT rows_read, rows_kept, rows_superseded, rows_world, rows_filtered "
        + "FROM loads_gold.data_quality WHERE source_file LIKE '%usa_2020.csv'").first();
    assertEquals(3L, old.getLong(0));
    assertEquals(0L, old.getLong(1));
    assertEquals(2L, old.getLong(2));
    assertEquals(1L, old.getLong(3));
    assertEquals(3L, old.getLong(4));
    assertEquals(10000.0, spark.sql("SELECT hhi FROM loads_gold.partner_concentration WHERE "
        + "reporter_iso3 = 'USA' AND period = '2020' AND stage = 'ore'").first().getDouble(0));
  }
}
