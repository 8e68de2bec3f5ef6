package org.critmin.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.CritminProcess;
import org.critmin.SparkTestSession;
import org.critmin.delta.TableSpec;
import org.critmin.delta.Tables;
import org.critmin.delta.WriterLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second pipeline process started on a warehouse while a first one writes it: the writer lock
 * makes it wait {@code writer_lock.wait_seconds} (2 s here) and stop with exit code 2, naming the
 * first run, without a single commit of its own, while the first run goes on. The first is then
 * killed: that a killed run's lock is taken over and the re-run equals a clean run is
 * {@code CrashRecoveryTest}'s, so the first need not run to its end here. (Writers that do meet,
 * where the lock is only advisory, are covered by Delta's commit retries,
 * {@code WarehouseRetryTest}.)
 */
@Tag("system")
class ConcurrentRunsTest {
  private static final String PREFIX = "conc";

  @TempDir
  static Path dir;

  @Test
  void aSecondPipelineIsRefusedNamingTheFirstAndWritesNothing() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Path warehouse = dir.resolve("warehouse");
    String[] args = CritminProcess.pipeline(warehouse, ReferenceRun.INPUT, PREFIX);

    long t0 = System.nanoTime();
    Process first = CritminProcess.start(dir.resolve("first.log"), args);
    String firstRun = holderRunId(warehouse.resolve(WriterLock.FILE_NAME), first);

    List<String> secondArgs = new ArrayList<>(List.of(args));
    secondArgs.addAll(List.of("--set", "writer_lock.wait_seconds=2"));
    long t1 = System.nanoTime();
    Process second = CritminProcess.start(dir.resolve("second.log"),
        secondArgs.toArray(String[]::new));
    assertTrue(second.waitFor(5, TimeUnit.MINUTES), "the second run did not end in 5 minutes");
    double secondSeconds = (System.nanoTime() - t1) / 1e9;
    String secondLog = Files.readString(dir.resolve("second.log"));
    assertEquals(2, second.exitValue(), secondLog);
    assertTrue(first.isAlive(), "the first run still writes while the second is refused");
    String root = warehouse.toUri().toString().replaceAll("/+$", "").replace("file:///", "file:/");
    assertTrue(secondLog.contains("critmin pipeline: the warehouse " + root + " is being written "
        + "by run " + firstRun + " (pipeline, pid " + first.pid() + " on host "), secondLog);
    assertTrue(secondLog.contains("waited 2 s for its writer lock (writer_lock.wait_seconds), "
        + "the file " + root + "/" + WriterLock.FILE_NAME), secondLog);
    assertFalse(secondLog.contains("wrote "), "the refused run wrote nothing:\n" + secondLog);

    first.destroyForcibly();
    assertTrue(first.waitFor(1, TimeUnit.MINUTES), "the first run was not killed");
    double firstSeconds = (System.nanoTime() - t0) / 1e9;

    // Every commit of every table written so far is the first run's.
    int tables = 0;
    for (TableSpec spec : Tables.ALL) {
      String location = root + "/" + spec.layer() + "/" + spec.name();
      if (!DeltaTable.isDeltaTable(spark, location)) {
        continue;
      }
      tables++;
      List<Row> writers = DeltaTable.forPath(spark, location).history().select("userMetadata")
          .distinct().collectAsList();
      assertEquals(List.of(org.apache.spark.sql.RowFactory.create(firstRun)), writers,
          spec.name() + ": commits of another run than the first");
    }
    System.out.printf("[reliability] concurrency: a second pipeline started while the first held "
        + "the writer lock exited 2 after %.1f s naming the holder; the first, killed after "
        + "%.1f s, had written %d tables, every commit its own%n", secondSeconds, firstSeconds,
        tables);
  }

  /** The run id the lock file names, once the run {@code process} has taken the lock. */
  private static String holderRunId(Path lockFile, Process process)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (true) {
      if (Files.exists(lockFile)) {
        String runId = Files.readString(lockFile).lines().filter(l -> l.startsWith("run_id="))
            .map(l -> l.substring("run_id=".length())).findFirst().orElse(null);
        if (runId != null) {
          return runId;
        }
      }
      assertTrue(process.isAlive(), "the first run ended before taking the writer lock");
      assertTrue(System.nanoTime() < deadline, "no writer lock taken in 5 minutes");
      Thread.sleep(50);
    }
  }
}
