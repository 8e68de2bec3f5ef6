package org.critmin.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.CritminProcess;
import org.critmin.SparkTestSession;
import org.critmin.TableContents;
import org.critmin.delta.Tables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two pipeline processes started together on one empty warehouse: they race to create every table
 * and to replace the same rows. Delta lets one commit win each race; the loser retries
 * ({@code tables.commit_retries}) or fails with a message that says so. Either way no table is
 * corrupt or half-written, and the result equals one clean run. The test checks that the runs did
 * overlap and that at least one commit race happened, so it cannot pass by the runs taking turns.
 */
@Tag("system")
class ConcurrentRunsTest {
  private static final String PREFIX = "conc";

  @TempDir
  static Path dir;

  @Test
  void twoPipelinesAtOnceEqualOneCleanRun() throws Exception {
    SparkSession spark = SparkTestSession.get();
    String reference = ReferenceRun.warehouse();
    Path warehouse = dir.resolve("warehouse");
    String[] args = CritminProcess.pipeline(warehouse, ReferenceRun.INPUT, PREFIX);

    long t0 = System.nanoTime();
    Process first = CritminProcess.start(dir.resolve("first.log"), args);
    Process second = CritminProcess.start(dir.resolve("second.log"), args);
    assertTrue(first.waitFor(30, TimeUnit.MINUTES) && second.waitFor(5, TimeUnit.MINUTES),
        "the two runs did not end within 35 minutes");
    double seconds = (System.nanoTime() - t0) / 1e9;

    int succeeded = 0;
    int retries = 0;
    for (Process p : List.of(first, second)) {
      String log = Files.readString(dir.resolve(p == first ? "first.log" : "second.log"));
      retries += log.split("conflicted with a concurrent writer", -1).length - 1;
      if (p.exitValue() == 0) {
        succeeded++;
      } else {
        // The loser may give up only with the message that names the race.
        assertTrue(log.contains("lost the commit race to another writer"),
            "exit " + p.exitValue() + " without the concurrent-write message:\n" + log);
      }
    }
    assertTrue(succeeded >= 1, "neither run succeeded");
    assertTrue(retries >= 1, "no commit race happened: the runs did not contend for a table");

    // The runs overlapped: each started before the other finished (pipeline_runs, one row each).
    List<Row> intervals = TableContents.read(spark, warehouse.toUri().toString(),
        Tables.PIPELINE_RUNS).select("started_at", "finished_at").collectAsList();
    assertEquals(2, intervals.size(), "one pipeline_runs row per run: " + intervals);
    java.sql.Timestamp laterStart = max(intervals.get(0).getTimestamp(0),
        intervals.get(1).getTimestamp(0));
    java.sql.Timestamp earlierEnd = min(intervals.get(0).getTimestamp(1),
        intervals.get(1).getTimestamp(1));
    assertTrue(laterStart.before(earlierEnd), "the runs did not overlap: " + intervals);

    String root = warehouse.toUri().toString().replaceAll("/+$", "");
    long rows = TableContents.assertSameTables(spark, reference, root);
    List<Row> runs = TableContents.read(spark, root, Tables.PIPELINE_RUNS)
        .groupBy("status").count().orderBy("status").collectAsList();
    System.out.printf("[reliability] concurrency: two overlapping pipelines took %.1f s; exit codes "
        + "%d and %d; %d commit conflicts retried; pipeline_runs by status %s; all %d tables "
        + "equal the clean run (%d rows, EXCEPT ALL both ways)%n", seconds, first.exitValue(),
        second.exitValue(), retries, runs, TableContents.compared().size(), rows);
  }

  private static java.sql.Timestamp max(java.sql.Timestamp a, java.sql.Timestamp b) {
    return a.after(b) ? a : b;
  }

  private static java.sql.Timestamp min(java.sql.Timestamp a, java.sql.Timestamp b) {
    return a.before(b) ? a : b;
  }
}
