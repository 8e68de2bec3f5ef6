package org.critmin.delta;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link TableLog} reads from a table folder's {@code _delta_log}, on real folders. */
class TableLogTest {
  private static final TableSpec PROBE = new TableSpec("gold", "log_probe", "log probe",
      new StructType().add("part", DataTypes.StringType).add("n", DataTypes.LongType), List.of());

  @TempDir
  Path dir;

  @Test
  void aFolderIsATableOnlyOnceItsLogHoldsAVersion() throws Exception {
    Configuration conf = SparkTestSession.get().sparkContext().hadoopConfiguration();
    org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path(dir.toUri());
    assertNull(TableLog.versionFiles(conf, folder), "no _delta_log");
    assertFalse(TableLog.hasCommittedVersion(conf, folder));
    Files.createDirectories(dir.resolve("_delta_log"));
    Files.writeString(dir.resolve("_delta_log/00000000000000000000.json.tmp"), "{}");
    assertEquals(0, TableLog.versionFiles(conf, folder).length, "a log without a commit");
    assertFalse(TableLog.hasCommittedVersion(conf, folder));
    Files.writeString(dir.resolve("_delta_log/00000000000000000000.json"), "{}");
    assertTrue(TableLog.hasCommittedVersion(conf, folder));
  }

  @Test
  void versionsChecksumRowsAndTheCommitOfARun() {
    SparkSession spark = SparkTestSession.get();
    Warehouse warehouse = new Warehouse(spark, dir.toString(), "tlog");
    String location = warehouse.location(PROBE);
    assertEquals(-1, TableLog.currentVersion(spark, location), "no table yet");
    warehouse.replace(PROBE, PartRows.of(spark, PROBE, "a", 3), lit(true), "run-1");
    warehouse.replace(PROBE, PartRows.of(spark, PROBE, "b", 2), col("part").equalTo("b"),
        "run-2");
    assertEquals(1, TableLog.currentVersion(spark, location));
    assertEquals(5, TableLog.checksumRows(spark, location));
    assertEquals(Optional.of(new TableLog.Commit(1, 2)),
        TableLog.commitOfRun(spark, location, 0, "run-2"));
    assertEquals(Optional.empty(), TableLog.commitOfRun(spark, location, 1, "run-2"),
        "no commit of the run after version 1");
    assertEquals(Optional.empty(), TableLog.commitOfRun(spark, location, 0, "run-3"));
  }
}
