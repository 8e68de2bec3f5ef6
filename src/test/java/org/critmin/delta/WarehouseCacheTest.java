package org.critmin.delta;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.critmin.SparkTestSession;
import org.critmin.config.CritminConfig.DeltaSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A silver table is read once per run and served from the cache until it is written; row counts
 * are remembered until the next write. Neither may ever return rows of an older version.
 */
class WarehouseCacheTest {
  private static final TableSpec SILVER = new TableSpec("silver", "probe", "cache probe",
      new StructType().add("part", DataTypes.StringType).add("n", DataTypes.LongType), List.of());
  private static final TableSpec GOLD = new TableSpec("gold", "probe", "no cache",
      new StructType().add("part", DataTypes.StringType).add("n", DataTypes.LongType), List.of());

  @TempDir
  Path dir;

  private static Dataset<Row> rows(SparkSession spark, String part, int count) {
    List<Row> rows = new ArrayList<>();
    for (long n = 0; n < count; n++) {
      rows.add(RowFactory.create(part, n));
    }
    return spark.createDataFrame(rows, SILVER.schema());
  }

  @Test
  void silverReadsShareOneCachedDatasetUntilTheTableIsWritten() {
    SparkSession spark = SparkTestSession.get();
    Warehouse warehouse = new Warehouse(spark, dir.toString(), "wcache", DeltaSettings.DEFAULTS);
    warehouse.replace(SILVER, rows(spark, "a", 3), lit(true), "r1");

    Dataset<Row> first = warehouse.read(SILVER);
    assertSame(first, warehouse.read(SILVER), "the second read is the cached one");
    assertEquals(StorageLevel.MEMORY_AND_DISK(), first.storageLevel());
    assertEquals(3, first.count());

    warehouse.replace(SILVER, rows(spark, "a", 5), lit(true), "r2");
    assertEquals(StorageLevel.NONE(), first.storageLevel(), "the old version left the cache");
    Dataset<Row> second = warehouse.read(SILVER);
    assertEquals(5, second.count(), "a read after a write sees the write");

    warehouse.releaseCache();
    assertEquals(StorageLevel.NONE(), second.storageLevel());
  }

  @Test
  void goldReadsAreNotCached() {
    SparkSession spark = SparkTestSession.get();
    Warehouse warehouse = new Warehouse(spark, dir.toString(), "wcache", DeltaSettings.DEFAULTS);
    warehouse.replace(GOLD, rows(spark, "a", 2), lit(true), "r1");
    Dataset<Row> read = warehouse.read(GOLD);
    assertEquals(StorageLevel.NONE(), read.storageLevel());
    assertFalse(read == warehouse.read(GOLD));
  }

  @Test
  void rowCountsFollowWholeAndScopedReplaces() {
    SparkSession spark = SparkTestSession.get();
    Warehouse warehouse = new Warehouse(spark, dir.toString(), "wcount", DeltaSettings.DEFAULTS);
    String name = warehouse.tableName(SILVER);
    warehouse.replace(SILVER, rows(spark, "a", 4), lit(true), "r1");
    assertEquals(4, warehouse.rowCount(name), "known from the whole-table write");

    // A scoped replace keeps the other rows: the count must be the table's, not the write's.
    warehouse.replace(SILVER, rows(spark, "b", 2), col("part").equalTo("b"), "r2");
    assertEquals(6, warehouse.rowCount(name));
    warehouse.replace(SILVER, rows(spark, "b", 1), col("part").equalTo("b"), "r3");
    assertEquals(5, warehouse.rowCount(name));
    warehouse.releaseCache();
  }

  @Test
  void onlyLiteralTrueCountsAsTheWholeTable() {
    assertTrue(Warehouse.isWholeTable(lit(true)));
    assertFalse(Warehouse.isWholeTable(lit(false)));
    assertFalse(Warehouse.isWholeTable(col("part").equalTo("b")));
    assertFalse(Warehouse.isWholeTable(col("part").isin("a", "b")));
  }
}
