package org.critmin.delta;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.critmin.config.CritminConfig.DeltaSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each write is one Delta commit: the first creates the table with the contract's schema (NOT NULL
 * columns, comments), description and properties; a whole-table replace swaps every row; a scoped
 * one only its scope. The files a replace removes come from the checksum file, or from Delta's
 * state of the table when the checksum does not list them; both must leave the same rows.
 */
@Tag("e2e")
class WarehouseWriteTest {
  private static final TableSpec GOLD = new TableSpec("gold", "write_probe", "write probe",
      new StructType().add("part", DataTypes.StringType, false, "the part")
          .add("n", DataTypes.LongType, true, "a number"),
      List.of());

  @TempDir
  Path dir;

  private static Dataset<Row> rows(SparkSession spark, String part, int count) {
    return PartRows.of(spark, GOLD, part, count);
  }

  private Dataset<Row> table(Warehouse warehouse) {
    return SparkTestSession.get().read().format("delta").load(warehouse.location(GOLD));
  }

  /** (version, operation, mode) of every commit, oldest first. */
  private static List<String> history(Warehouse warehouse) {
    return DeltaTable.forPath(SparkTestSession.get(), warehouse.location(GOLD)).history()
        .orderBy("version")
        .selectExpr("concat_ws(' ', version, operation, operationParameters['mode'])")
        .as(Encoders.STRING()).collectAsList();
  }

  private List<String> parts(Warehouse warehouse) {
    return table(warehouse).groupBy("part").count().orderBy("part")
        .selectExpr("concat(part, ':', count)").as(Encoders.STRING()).collectAsList();
  }

  @Test
  void theFirstWriteCreatesTheTableInOneCommitAndLaterWritesReplace() {
    SparkSession spark = SparkTestSession.get();
    Warehouse warehouse = new Warehouse(spark, dir.toString(), "wfirst", DeltaSettings.DEFAULTS);
    TableWriter.Write first = warehouse.replace(GOLD, rows(spark, "a", 3), lit(true), "r1");
    assertEquals(3, first.rows());
    assertEquals(-1, first.versionBefore(), "the write created the table");
    assertEquals(List.of("0 WRITE Append"), history(warehouse));
    StructType schema = table(warehouse).schema();
    assertFalse(schema.apply("part").nullable(), "the contract's NOT NULL");
    assertEquals("the part", schema.apply("part").getComment().get());
    Row detail = spark.sql("DESCRIBE DETAIL delta.`" + warehouse.location(GOLD) + "`").first();
    assertEquals("write probe", detail.getAs("description"));
    Map<String, String> properties = detail.getJavaMap(detail.fieldIndex("properties"));
    assertEquals(warehouse.tableProperties(), properties);

    TableWriter.Write second = warehouse.replace(GOLD, rows(spark, "b", 2), lit(true), "r2");
    assertEquals(2, second.rows());
    assertEquals(0, second.versionBefore());
    assertEquals(List.of("b:2"), parts(warehouse));
    warehouse.replace(GOLD, rows(spark, "c", 1), col("part").equalTo("c"), "r3");
    assertEquals(List.of("b:2", "c:1"), parts(warehouse));
    assertEquals(List.of("0 WRITE Append", "1 WRITE Overwrite", "2 WRITE Overwrite"),
        history(warehouse));
    List<String> runs = DeltaTable.forPath(spark, warehouse.location(GOLD)).history()
        .orderBy("version").select("userMetadata").as(Encoders.STRING()).collectAsList();
    assertEquals(List.of("r1", "r2", "r3"), runs, "each commit carries its run id");
  }

  @Test
  void aScopedFirstWriteCreatesAndTheNextReplacesItsScopeOnly() {
    SparkSession spark = SparkTestSession.get();
    Warehouse warehouse = new Warehouse(spark, dir.toString(), "wscoped", DeltaSettings.DEFAULTS);
    assertEquals(2, warehouse.replace(GOLD, rows(spark, "a", 2), col("part").equalTo("a"), "r1")
        .rows());
    assertEquals(1, warehouse.replace(GOLD, rows(spark, "b", 1), col("part").equalTo("b"), "r1")
        .rows());
    assertEquals(3, warehouse.replace(GOLD, rows(spark, "a", 3), col("part").equalTo("a"), "r2")
        .rows());
    assertEquals(List.of("a:3", "b:1"), parts(warehouse));
    assertEquals(4, TableLog.checksumRows(spark, warehouse.location(GOLD)));
  }

  @Test
  void anEmptyFirstWriteCreatesAnEmptyTable() {
    SparkSession spark = SparkTestSession.get();
    Warehouse warehouse = new Warehouse(spark, dir.toString(), "wempty", DeltaSettings.DEFAULTS);
    assertEquals(0, warehouse.replace(GOLD, rows(spark, "a", 0), lit(true), "r1").rows());
    assertEquals(0, table(warehouse).count());
    assertFalse(table(warehouse).schema().apply("part").nullable());
    assertEquals(0, warehouse.replace(GOLD, rows(spark, "a", 0), lit(true), "r2").rows());
    assertEquals(0, table(warehouse).count());
  }

  @Test
  void aReplaceWithoutTheChecksumsFileListRemovesEveryRowToo() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Warehouse warehouse = new Warehouse(spark, dir.toString(), "wlarge", DeltaSettings.DEFAULTS);
    // 60 files: more than the 50 a checksum file lists.
    warehouse.replace(GOLD, rows(spark, "a", 120).repartition(60), lit(true), "r1");
    assertEquals(60, table(warehouse).inputFiles().length);
    assertEquals(4, warehouse.replace(GOLD, rows(spark, "b", 4), lit(true), "r2").rows());
    assertEquals(List.of("b:4"), parts(warehouse));
    // No checksum file at all for the newest version (an older writer): the same.
    try (var files = Files.list(Path.of(new java.net.URI(warehouse.location(GOLD)
        + "/_delta_log")))) {
      files.filter(f -> f.getFileName().toString().endsWith(".crc")).forEach(f -> f.toFile()
          .delete());
    }
    Warehouse another = new Warehouse(spark, dir.toString(), "wlarge", DeltaSettings.DEFAULTS);
    assertEquals(5, another.replace(GOLD, rows(spark, "c", 5), lit(true), "r3").rows());
    assertEquals(List.of("c:5"), parts(another));
  }

  @Test
  void columnsANewerContractAddsAreAppendedToAnExistingTable() {
    SparkSession spark = SparkTestSession.get();
    Warehouse warehouse = new Warehouse(spark, dir.toString(), "wevolve", DeltaSettings.DEFAULTS);
    TableSpec older = new TableSpec("gold", "write_probe", "write probe",
        new StructType().add("part", DataTypes.StringType, false), List.of());
    warehouse.replace(older, rows(spark, "a", 2).select("part"), lit(true), "r1");
    warehouse.replace(GOLD, rows(spark, "b", 2), lit(true), "r2");
    StructType schema = table(warehouse).schema();
    assertEquals(List.of("part", "n"), List.of(schema.fieldNames()));
    assertTrue(schema.apply("n").nullable());
    assertEquals(List.of("b:2"), parts(warehouse));
  }
}
