package org.critmin.delta;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.critmin.config.CritminConfig.DeltaSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first replace of a table the warehouse has just created is an append. The table must end
 * exactly as a replace would leave it, also when another run wrote the new table first.
 */
class WarehouseFirstWriteTest {
  private static final TableSpec GOLD = new TableSpec("gold", "first_write", "first write probe",
      new StructType().add("part", DataTypes.StringType, false).add("n", DataTypes.LongType),
      List.of());

  @TempDir
  Path dir;

  private static Dataset<Row> rows(SparkSession spark, String part, int count) {
    return PartRows.of(spark, GOLD, part, count);
  }

  /** (version, operation, mode) of every commit, oldest first. */
  private static List<String> history(SparkSession spark, String table) {
    return DeltaTable.forName(spark, table).history().orderBy("version")
        .selectExpr("concat_ws(' ', version, operation, operationParameters['mode'])")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  private static List<String> parts(SparkSession spark, String table) {
    return spark.table(table).groupBy("part").count().orderBy("part")
        .selectExpr("concat(part, ':', count)").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }

  @Test
  void theFirstWriteOfANewTableAppendsAndLaterWritesReplace() {
    SparkSession spark = SparkTestSession.get();
    Warehouse warehouse = new Warehouse(spark, dir.toString(), "wfirst", DeltaSettings.DEFAULTS);
    String name = warehouse.tableName(GOLD);
    assertEquals(3, warehouse.replace(GOLD, rows(spark, "a", 3), lit(true), "r1"));
    assertEquals(2, warehouse.replace(GOLD, rows(spark, "b", 2), lit(true), "r1"));
    assertEquals(List.of("b:2"), parts(spark, name));
    assertEquals(List.of("0 CREATE TABLE", "1 WRITE Append", "2 WRITE Overwrite"),
        history(spark, name));
    assertFalse(spark.table(name).schema().apply("part").nullable(),
        "the contract's NOT NULL comes from the creation and stays");
    // A scoped replace on the same warehouse is a replace.
    warehouse.replace(GOLD, rows(spark, "c", 1), col("part").equalTo("c"), "r2");
    assertEquals(List.of("b:2", "c:1"), parts(spark, name));
  }

  @Test
  void anotherRunsWriteBetweenCreationAndFirstWriteIsReplaced() {
    SparkSession spark = SparkTestSession.get();
    Warehouse mine = new Warehouse(spark, dir.toString(), "wrace", DeltaSettings.DEFAULTS);
    String name = mine.tableName(GOLD);
    mine.ensureTable(GOLD);
    // A concurrent run finds the table created and replaces its (no) rows with its own.
    Warehouse other = new Warehouse(spark, dir.toString(), "wrace", DeltaSettings.DEFAULTS);
    assertEquals(4, other.replace(GOLD, rows(spark, "other", 4), lit(true), "other-run"));

    assertEquals(3, mine.replace(GOLD, rows(spark, "mine", 3), lit(true), "my-run"));
    assertEquals(List.of("mine:3"), parts(spark, name), "the table never keeps both runs' rows");
    assertEquals(List.of("0 CREATE TABLE", "1 WRITE Overwrite", "2 WRITE Append",
        "3 WRITE Overwrite"), history(spark, name));
    assertEquals(3, mine.rowCount(name));
  }

  @Test
  void aScopedFirstWriteAppendsTooAndTheNextReplacesItsScopeOnly() {
    SparkSession spark = SparkTestSession.get();
    Warehouse warehouse = new Warehouse(spark, dir.toString(), "wscoped", DeltaSettings.DEFAULTS);
    String name = warehouse.tableName(GOLD);
    assertEquals(2, warehouse.replace(GOLD, rows(spark, "a", 2), col("part").equalTo("a"), "r1"));
    assertEquals(1, warehouse.replace(GOLD, rows(spark, "b", 1), col("part").equalTo("b"), "r1"));
    assertEquals(3, warehouse.replace(GOLD, rows(spark, "a", 3), col("part").equalTo("a"), "r2"));
    assertEquals(List.of("a:3", "b:1"), parts(spark, name));
    assertEquals(List.of("0 CREATE TABLE", "1 WRITE Append", "2 WRITE Overwrite",
        "3 WRITE Overwrite"), history(spark, name));
    assertEquals(4, warehouse.rowCount(name));
  }

  @Test
  void anEmptyFirstWriteLeavesTheNewTableAsCreated() {
    SparkSession spark = SparkTestSession.get();
    Warehouse warehouse = new Warehouse(spark, dir.toString(), "wempty", DeltaSettings.DEFAULTS);
    String name = warehouse.tableName(GOLD);
    assertEquals(0, warehouse.replace(GOLD, rows(spark, "a", 0), lit(true), "r1"));
    assertEquals(List.of("0 CREATE TABLE"), history(spark, name));
    assertEquals(0, spark.table(name).count());
  }
}
