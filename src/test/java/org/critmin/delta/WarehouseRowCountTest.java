package org.critmin.delta;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.critmin.config.CritminConfig.DeltaSettings;
import org.critmin.run.RunLedger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row counts (logged as each stage's rows in) are remembered until the table's next write, and are
 * never those of an older version: a whole-table write gives its own count, a scoped one forgets it.
 */
@Tag("e2e")
class WarehouseRowCountTest {
  private static final TableSpec SILVER = new TableSpec("silver", "probe", "count probe",
      new StructType().add("part", DataTypes.StringType).add("n", DataTypes.LongType), List.of());

  @TempDir
  Path dir;

  private static Dataset<Row> rows(SparkSession spark, String part, int count) {
    return PartRows.of(spark, SILVER, part, count);
  }

  @Test
  void rowCountsFollowWholeAndScopedReplaces() {
    SparkSession spark = SparkTestSession.get();
    RunLedger ledger = new RunLedger(spark,
        new Warehouse(spark, dir.toString(), "wcount", DeltaSettings.DEFAULTS));
    String name = ledger.warehouse().tableName(SILVER);
    ledger.replace(SILVER, rows(spark, "a", 4), lit(true), "r1");
    assertEquals(4, ledger.rowCount(name), "known from the whole-table write");

    // A scoped replace keeps the other rows: the count must be the table's, not the write's.
    ledger.replace(SILVER, rows(spark, "b", 2), col("part").equalTo("b"), "r2");
    assertEquals(6, ledger.rowCount(name));
    ledger.replace(SILVER, rows(spark, "b", 1), col("part").equalTo("b"), "r3");
    assertEquals(5, ledger.rowCount(name));
    ledger.append(SILVER, rows(spark, "c", 2), "r4");
    assertEquals(7, ledger.rowCount(name), "an append forgets the count");
  }

  @Test
  void eachWriteReportsTheRowsOfItsOwnCommit() {
    SparkSession spark = SparkTestSession.get();
    RunLedger ledger = new RunLedger(spark,
        new Warehouse(spark, dir.toString(), "wcommit", DeltaSettings.DEFAULTS));
    assertEquals(3, ledger.replace(SILVER, rows(spark, "a", 3), lit(true), "run-1").rows());
    assertEquals(2, ledger.replace(SILVER, rows(spark, "b", 2), col("part").equalTo("b"),
        "run-2").rows());
    ledger.append(SILVER, rows(spark, "c", 0), "run-1");
    TableWriter.Write last = ledger.writes().get(ledger.writes().size() - 1);
    assertEquals(0, last.rows());
    ledger.append(SILVER, rows(spark, "c", 5), "run-1");
    assertEquals(5, ledger.writes().get(ledger.writes().size() - 1).rows());
  }

  @Test
  void rowCountsComeFromTheChecksumFileOrElseFromAQuery() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Warehouse warehouse = new Warehouse(spark, dir.toString(), "wcrc", DeltaSettings.DEFAULTS);
    String location = warehouse.location(SILVER);
    warehouse.replace(SILVER, rows(spark, "a", 0), lit(true), "r0");
    assertEquals(0, TableLog.checksumRows(spark, location), "a new empty table");
    warehouse.replace(SILVER, rows(spark, "a", 4), lit(true), "r1");
    warehouse.replace(SILVER, rows(spark, "b", 3), col("part").equalTo("b"), "r2");
    warehouse.replace(SILVER, rows(spark, "b", 2), col("part").equalTo("b"), "r3");
    assertEquals(6, TableLog.checksumRows(spark, location));
    assertEquals(6, spark.read().format("delta").load(location).count());

    // Without the newest version's checksum file (an older writer, or one still being written),
    // the count is a query, and still right.
    java.nio.file.Path log = java.nio.file.Path.of(new java.net.URI(location + "/_delta_log"));
    try (var files = java.nio.file.Files.list(log)) {
      java.nio.file.Path newest = files
          .filter(f -> f.getFileName().toString().matches("[0-9]{20}\\.crc")).sorted()
          .reduce((a, b) -> b).orElseThrow();
      java.nio.file.Files.delete(newest);
    }
    org.apache.spark.sql.delta.DeltaLog.clearCache();
    assertEquals(-1, TableLog.checksumRows(spark, location));
    RunLedger fresh = new RunLedger(spark,
        new Warehouse(spark, dir.toString(), "wcrc", DeltaSettings.DEFAULTS));
    fresh.read(SILVER);
    assertEquals(6, fresh.rowCount(warehouse.tableName(SILVER)));
  }

  @Test
  void onlyLiteralTrueCountsAsTheWholeTable() {
    assertTrue(TableWriter.isWholeTable(lit(true)));
    assertFalse(TableWriter.isWholeTable(lit(false)));
    assertFalse(TableWriter.isWholeTable(col("part").equalTo("b")));
    assertFalse(TableWriter.isWholeTable(col("part").isin("a", "b")));
  }
}
