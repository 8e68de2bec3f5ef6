package org.critmin.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.critmin.CommandResult;
import org.critmin.CritminProcess;
import org.critmin.LogCapture;
import org.critmin.SparkTestSession;
import org.critmin.TableContents;
import org.critmin.delta.TableSpec;
import org.critmin.delta.Tables;
import org.critmin.delta.WriterLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a pipeline process in the middle of a gold write: every table stays readable at its
 * last committed version, no half-written data is visible, and a re-run, which takes over the dead
 * run's writer lock without waiting, gives the same tables as a clean run.
 */
@Tag("system")
class CrashRecoveryTest {
  private static final String PREFIX = "crash";
  /** The gold table whose write is interrupted: the first one the concentration stage writes. */
  private static final TableSpec VICTIM = Tables.SUPPLY_CONCENTRATION;

  @TempDir
  static Path dir;

  @Test
  void killedMidWriteLeavesLastGoodVersionsAndReRunMatchesACleanRun() throws Exception {
    SparkSession spark = SparkTestSession.get();
    String reference = ReferenceRun.warehouse();
    Path warehouse = dir.resolve("warehouse");
    Path victimDir = warehouse.resolve(VICTIM.layer()).resolve(VICTIM.name());

    long t0 = System.nanoTime();
    Process process = CritminProcess.start(dir.resolve("killed.log"),
        CritminProcess.pipeline(warehouse, ReferenceRun.INPUT, PREFIX));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
    while (dataFiles(victimDir).isEmpty()) {
      assertTrue(process.isAlive(), "the pipeline ended before writing " + VICTIM.name() + ":\n"
          + Files.readString(dir.resolve("killed.log")));
      assertTrue(System.nanoTime() < deadline, "no write of " + VICTIM.name() + " in 20 min");
      Thread.sleep(10);
    }
    process.destroyForcibly();  // SIGKILL: no shutdown hook, no finally block runs
    process.waitFor();
    double killedAt = (System.nanoTime() - t0) / 1e9;
    String root = warehouse.toUri().toString().replaceAll("/+$", "");

    // Every table that exists is readable at its latest commit, and what it holds is complete:
    // the interrupted table holds none of the files being written when the process died. A table
    // is created by its first commit, so a kill during its first write leaves no table at all,
    // only data files that no commit names.
    if (!DeltaTable.isDeltaTable(spark, victimDir.toString())) {
      assertTrue(!Files.exists(victimDir.resolve("_delta_log"))
          || dataFiles(victimDir.resolve("_delta_log")).isEmpty());
      System.out.printf("[reliability] crash: killed %.1f s after start, during the first write "
          + "of %s: no table yet, %d uncommitted data files left%n", killedAt, VICTIM.name(),
          dataFiles(victimDir).size());
    } else {
      Set<String> committed = new HashSet<>(List.of(DeltaTable.forPath(spark,
          victimDir.toString()).toDF().inputFiles()));
      long orphans = dataFiles(victimDir).stream()
          .filter(f -> committed.stream().noneMatch(c -> c.endsWith(f.getFileName().toString())))
          .count();
      long victimVersion = DeltaTable.forPath(spark, victimDir.toString()).history(1)
          .first().getLong(0);
      long victimRows = TableContents.read(spark, root, VICTIM).count();
      System.out.printf("[reliability] crash: killed %.1f s after start, while writing %s; its "
          + "version after the kill %d, rows %d, uncommitted data files left %d%n", killedAt,
          VICTIM.name(), victimVersion, victimRows, orphans);
      TableContents.assertSame(VICTIM.name(), TableContents.read(spark, reference, VICTIM),
          TableContents.read(spark, root, VICTIM));
    }
    for (TableSpec spec : List.of(Tables.TRADE_RECORDS, Tables.INGEST_FILES, Tables.TRADE_FLOWS,
        Tables.BILATERAL_FLOWS, Tables.DATA_QUALITY)) {
      // Written and committed before the concentration stage began: complete and right.
      long rows = TableContents.assertSame(spec.name(), TableContents.read(spark, reference, spec),
          TableContents.read(spark, root, spec));
      System.out.printf("[reliability] crash: %s readable after the kill, version %d, %d rows "
          + "(equal to the clean run)%n", spec.name(), DeltaTable.forPath(spark,
          root + "/" + spec.layer() + "/" + spec.name()).history(1).first().getLong(0), rows);
    }

    // The killed run's lock file still names it; the operating system released its lock with the
    // process, so the re-run takes the lock at once, without waiting.
    assertTrue(Files.readString(warehouse.resolve(WriterLock.FILE_NAME)).contains("pid="
        + process.pid()), "the lock file names the killed run");
    long t1 = System.nanoTime();
    CommandResult rerun;
    try (LogCapture logs = new LogCapture()) {
      rerun = CommandResult.run(CritminProcess.pipeline(warehouse, ReferenceRun.INPUT, PREFIX));
      assertFalse(logs.text().contains("waiting for the writer lock"), logs.text());
    }
    assertEquals(0, rerun.exitCode(), rerun.err());
    long rows = TableContents.assertSameTables(spark, reference, root);
    System.out.printf("[reliability] crash: re-run %.1f s; all %d tables equal the clean run "
        + "(%d rows, EXCEPT ALL both ways); pipeline_runs rows: %d (the killed run left none)%n",
        (System.nanoTime() - t1) / 1e9, TableContents.compared().size(), rows,
        TableContents.read(spark, root, Tables.PIPELINE_RUNS).count());
  }

  /** Parquet data files in a table's folder (the commit log aside). */
  private static List<Path> dataFiles(Path table) throws IOException {
    if (!Files.isDirectory(table)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(table)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".parquet")
          && !f.toString().contains("_delta_log")).toList();
    }
  }
}
