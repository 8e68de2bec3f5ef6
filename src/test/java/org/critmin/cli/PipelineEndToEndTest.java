package org.critmin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.CommandResult;
import org.critmin.DuckDbOracle;
import org.critmin.SampleWarehouse;
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on sample-data/, checked against the raw files: counts from the files
 * themselves (61,838 data lines: 60,053 of the generated file and 1,785 of the nickel extract),
 * hand-computed figures and {@link DuckDbOracle}, which computes from the raw files without
 * critmin's code.
 */
class PipelineEndToEndTest {
  private static final String PREFIX = SampleWarehouse.PREFIX;
  private static final List<String> TABLES = List.of("sample_bronze.trade_records",
      "sample_bronze.rejected_records", "sample_bronze.ingest_files", "sample_silver.trade_flows",
      "sample_silver.bilateral_flows", "sample_gold.supply_concentration",
      "sample_gold.partner_concentration", "sample_gold.production_concentration",
      "sample_gold.resource_concentration", "sample_gold.group_resource_shares",
      "sample_gold.net_import_reliance",
      "sample_gold.supply_risk",
      "sample_gold.data_quality",
      "sample_gold.shock_estimates",
      "sample_gold.event_study",
      "sample_gold.disruption_exposure",
      "sample_gold.stockpile_cover",
      "sample_gold.bloc_sourcing",
      "sample_gold.benchmark_prices",
      "sample_gold.stockpile_economics",
      "sample_gold.price_dynamics");

  @TempDir
  static Path scratch;
  private static Path warehouse;
  private static SparkSession spark;
  private static Map<String, Long> countsAfterFirstRun;

  @BeforeAll
  static void runPipeline() {
    spark = SparkTestSession.get();
    warehouse = SampleWarehouse.root();
    countsAfterFirstRun = counts();
  }

  private static Map<String, Long> counts() {
    Map<String, Long> counts = new HashMap<>();
    for (String table : TABLES) {
      counts.put(table, spark.table(table).count());
    }
    return counts;
  }

  @Test
  void importerSourcingHhiEqualsTheHandComputedValueFromTheRawFile() throws Exception {
    // Japan's 2014 imports of nickel ores (HS 260400) from its five partner rows in the file:
    // hand-computed HHI 4823.0459 (GoldCheck), and DuckDB's figures from the raw file.
    double[] oracle = DuckDbOracle.sample().partner().get(List.of("JPN", "M", "nickel", "ore",
        "2014"));
    assertEquals(5, oracle[0]);
    double total = oracle[1];
    double hhi = oracle[2];
    Row row = spark.sql("SELECT n_partners, total_value_usd, hhi, top_partner_iso3 FROM "
        + "sample_gold.partner_concentration WHERE reporter_iso3 = 'JPN' AND flow = 'M' AND "
        + "mineral = 'nickel' AND stage = 'ore' AND period = '2014'").first();
    assertEquals(5, row.getInt(0));
    assertEquals(total, row.getDouble(1), 1e-6);
    assertEquals(hhi, row.getDouble(2), 1e-9);
    assertEquals(4823.0459, row.getDouble(2), 1e-3);
    assertEquals("PHL", row.getString(3));
  }

  @Test
  void sqlCommandSeesTheTablesByName() throws Exception {
    CommandResult result = CommandResult.run("sql", "--warehouse", warehouse.toString(),
        "--set", "database_prefix=" + PREFIX, "--format", "csv", "-e",
        "SELECT * FROM sample_gold.partner_concentration WHERE reporter_iso3='CHN'");
    assertEquals(0, result.exitCode(), result.err());
    List<String> lines = result.out().lines().toList();
    assertTrue(lines.get(0).startsWith("reporter_iso3,flow,mineral,stage,period"), lines.get(0));
    long chinaRows = DuckDbOracle.sample().partner().keySet().stream()
        .filter(k -> k.get(0).equals("CHN")).count();
    assertTrue(chinaRows > 10);
    assertEquals(chinaRows, lines.size() - 1, "CHN rows");
    assertTrue(lines.stream().skip(1).allMatch(l -> l.startsWith("CHN,")));
  }

  @Test
  void sqlFileRunsNotebookCellByCell() throws Exception {
    Path notebook = scratch.resolve("overview.sql");
    Files.writeString(notebook, String.join("\n",
        "-- Databricks notebook source",
        "-- MAGIC %md",
        "-- MAGIC # Overview",
        "-- COMMAND ----------",
        "SELECT count(*) AS minerals FROM (SELECT DISTINCT mineral FROM sample_gold.supply_concentration)",
        "-- COMMAND ----------",
        "SELECT mineral, hhi FROM sample_gold.supply_concentration WHERE mineral = 'nickel'",
        "  AND stage = 'ore' AND period = '2014'"));
    CommandResult result = CommandResult.run("sql", "--warehouse", warehouse.toString(),
        "--set", "database_prefix=" + PREFIX, "--format", "csv", "-f", notebook.toString());
    assertEquals(0, result.exitCode(), result.err());
    List<String> lines = result.out().lines().toList();
    assertEquals("-- cell 1", lines.get(0));
    assertEquals("minerals", lines.get(1));
    long minerals = DuckDbOracle.sample().supply().keySet().stream().map(k -> k.get(0))
        .distinct().count();
    assertEquals(String.valueOf(minerals), lines.get(2));
    assertEquals("-- cell 2", lines.get(3));
    assertEquals("mineral,hhi", lines.get(4));
    assertTrue(lines.get(5).startsWith("nickel,"), lines.get(5));
  }

  @Test
  void everyLineIsAccountedFor() throws Exception {
    // Per file and period: kept, rejected and filtered make the lines read, and the causes of
    // the filtered, each counted on its own condition, make the filtered.
    List<Row> rows = spark.sql("SELECT source_file, period, rows_read, rows_kept, rows_rejected,"
        + " rows_filtered, rows_out_of_scope, rows_aggregate, rows_world, rows_breakdown,"
        + " rows_other_flow, duplicates_removed, rows_superseded, conflicts_resolved,"
        + " rows_unknown_reporter, world_total_mismatches"
        + " FROM sample_gold.data_quality").collectAsList();
    // 12 months of the generated file and 6 years of the extract.
    assertEquals(18, rows.size());
    long read = 0;
    for (Row r : rows) {
      assertEquals(r.getLong(2), r.getLong(3) + r.getLong(4) + r.getLong(5), r.toString());
      long causes = 0;
      for (int c = 6; c <= 14; c++) {
        assertTrue(r.getLong(c) >= 0, "a negative count in " + r);
        causes += r.getLong(c);
      }
      assertEquals(r.getLong(5), causes, "the causes of rows_filtered in " + r);
      assertEquals(0L, r.getLong(15), "partners add up to World: " + r);
      read += r.getLong(2);
    }
    assertEquals(61838L, read);
    long nickelLines = spark.sql("SELECT sum(rows_read) FROM sample_gold.data_quality WHERE "
        + "source_file LIKE '%nickel_api_extract_2010-2015.csv'").first().getLong(0);
    assertEquals(1785L, nickelLines);
    long worldRows = spark.sql("SELECT sum(rows_world) FROM sample_gold.data_quality WHERE "
        + "source_file LIKE '%nickel%'").first().getLong(0);
    // World rows of the extract, counted by DuckDB in the raw file: one per reporter, flow, code
    // and year (279 such groups, sample-data/SOURCES.md).
    assertEquals(DuckDbOracle.sample().countRecords("file = 1 AND partnerCode = 0"), worldRows);
    assertEquals(279L, worldRows);
  }

  @Test
  void silverHoldsNoWorldRowsAndNoInfiniteUnitValues() throws Exception {
    assertEquals(0L, spark.sql("SELECT count(*) FROM sample_silver.trade_flows WHERE "
        + "partner_iso3 = 'W00' OR partner_code = 0").first().getLong(0));
    assertEquals(0L, spark.sql("SELECT count(*) FROM sample_silver.trade_flows WHERE "
        + "unit_value_usd_per_kg IS NOT NULL AND (net_kg IS NULL OR net_kg <= 0 OR "
        + "isnan(unit_value_usd_per_kg))").first().getLong(0));
    assertEquals(DuckDbOracle.sample().partner().keySet().stream().map(k -> k.get(2)).distinct()
        .count(), spark.sql("SELECT count(DISTINCT mineral) FROM sample_silver.trade_flows")
        .first().getLong(0));
    // Both monthly and annual periods reach gold, per stage and for the mineral as a whole.
    assertTrue(spark.sql("SELECT count(*) FROM sample_gold.supply_concentration WHERE month IS NOT "
        + "NULL AND stage = 'all'").first().getLong(0) > 0);
    assertTrue(spark.sql("SELECT count(*) FROM sample_gold.supply_concentration WHERE month IS NULL "
        + "AND stage = 'ore' AND mineral = 'nickel'").first().getLong(0) == 6);
  }

  @Test
  void governanceWeightingAndProductionConcentrationAreFilled() {
    Row ore = spark.sql("SELECT hhi_wgi, wgi_missing_share FROM sample_gold.supply_concentration "
        + "WHERE mineral = 'nickel' AND stage = 'ore' AND period = '2014'").first();
    assertTrue(ore.getDouble(0) > 0 && ore.getDouble(0) <= 10, ore.toString());
    assertTrue(ore.getDouble(1) >= 0 && ore.getDouble(1) < 1, ore.toString());
    Row cobalt = spark.sql("SELECT n_producers, top1_iso3, hhi FROM "
        + "sample_gold.production_concentration WHERE mineral = 'cobalt' AND stage = 'mine' AND "
        + "year = 2023 AND source = 'bgs'").first();
    assertEquals("COD", cobalt.getString(1));
    assertEquals(4914.0, cobalt.getDouble(2), 1.0);
  }

  @Test
  void supplyRiskIsFilledForTheConfiguredImporters() {
    // EU27 nickel ore 2014: BGS mine production of the members (Finland, Greece...) gives P, so
    // import reliance and supply risk exist; the sample data give every default importer rows.
    Row eu = spark.sql("SELECT import_reliance, supply_risk, hhi_wgi_global_basis FROM "
        + "sample_gold.supply_risk WHERE importer = 'EU27' AND mineral = 'nickel' AND stage = 'ore' "
        + "AND year = 2014").first();
    assertTrue(eu.getDouble(0) > 0 && eu.getDouble(0) <= 1, eu.toString());
    assertTrue(eu.getDouble(1) > 0 && eu.getDouble(1) <= 10, eu.toString());
    assertEquals("production_bgs", eu.getString(2));
    assertEquals(4L, spark.sql("SELECT count(DISTINCT importer) FROM sample_gold.supply_risk")
        .first().getLong(0));
  }

  @Test
  void scenarioTablesAreFilledFromTheDefaultScenarios() throws Exception {
    for (String table : List.of("disruption_exposure", "stockpile_cover", "bloc_sourcing",
        "benchmark_prices", "stockpile_economics", "price_dynamics")) {
      assertTrue(countsAfterFirstRun.get("sample_gold." + table) > 0, table);
    }
    // Indonesia's nickel ore was at risk for China before the 2014 ban; replacement is bounded.
    Row china = spark.sql("SELECT at_risk_share, replaceable_value_usd, uncovered_value_usd, "
        + "at_risk_value_usd, import_value_usd FROM sample_gold.disruption_exposure WHERE "
        + "scenario = 'indonesia_nickel_ore_ban' AND importer_iso3 = 'CHN' AND stage = 'ore' AND "
        + "year = 2012").first();
    // The whole cut (cut_share 1.0) of China's 2012 nickel-ore imports from Indonesia: the
    // reconciled flow DuckDB computes from the raw extract.
    double fromIndonesia = DuckDbOracle.sample().bilateral().entrySet().stream()
        .filter(e -> e.getKey().equals(List.of("2012", "IDN", "CHN", "260400", "nickel", "ore")))
        .mapToDouble(e -> e.getValue()[0]).sum();
    assertTrue(fromIndonesia > 0);
    assertEquals(fromIndonesia, china.getDouble(3), 1e-9 * fromIndonesia);
    assertEquals(fromIndonesia / china.getDouble(4), china.getDouble(0), 1e-12);
    assertTrue(china.getDouble(0) > 0.3, china.toString());
    assertTrue(spark.sql("SELECT count(*) FROM sample_gold.stockpile_cover WHERE days_of_cover > 0 "
        + "AND days_of_cover_under_disruption >= days_of_cover").first().getLong(0) > 0);
  }

  @Test
  void shocksWriteEstimatesForIndonesiasOreBanAndSayWhatCannotBeEstimated() {
    Row direct = spark.sql("SELECT status, estimator, frequency, event_period, estimate, "
        + "std_error, n_obs, n_clusters FROM sample_gold.shock_estimates WHERE event_id = "
        + "'IDN-2014-ORE-BAN' AND model = 'direct' AND term = 'treated'").first();
    assertEquals("estimated", direct.getString(0), direct.toString());
    assertEquals("ppml", direct.getString(1));
    assertEquals("annual", direct.getString(2));
    assertEquals("2014", direct.getString(3));
    assertTrue(Double.isFinite(direct.getDouble(4)) && direct.getDouble(5) > 0, direct.toString());
    assertTrue(direct.getLong(6) > 20 && direct.getLong(7) > 1, direct.toString());
    // Every event and model has a row: estimated or not_estimable with a reason.
    assertEquals(8L, spark.sql("SELECT count(DISTINCT event_id, model) FROM "
        + "sample_gold.shock_estimates").first().getLong(0));
    assertEquals(0L, spark.sql("SELECT count(*) FROM sample_gold.shock_estimates WHERE "
        + "status = 'not_estimable' AND reason IS NULL").first().getLong(0));
    List<Row> technology = spark.sql("SELECT status, reason, estimate FROM "
        + "sample_gold.shock_estimates WHERE event_id = 'CHN-2023-REE-TECH'").collectAsList();
    assertEquals(4, technology.size());
    for (Row r : technology) {
      assertEquals("not_estimable", r.getString(0));
      assertTrue(r.getString(1).contains("no HS6 codes"), r.getString(1));
      assertTrue(r.isNullAt(2));
    }
    // The event study: the reference period -1 at 0, the event period 0 estimated.
    List<Row> study = spark.sql("SELECT rel_period, estimate, std_error FROM sample_gold.event_study "
        + "WHERE event_id = 'IDN-2014-ORE-BAN' ORDER BY rel_period").collectAsList();
    assertTrue(study.size() >= 3, study.toString());
    Row reference = study.stream().filter(r -> r.getInt(0) == -1).findFirst().orElseThrow();
    assertEquals(0.0, reference.getDouble(1));
    assertTrue(reference.isNullAt(2));
    assertTrue(study.stream().anyMatch(r -> r.getInt(0) == 0 && !r.isNullAt(2)), study.toString());
  }
}
