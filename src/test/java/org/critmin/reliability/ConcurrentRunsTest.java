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
 * corrupt or half-written, and the result equals one clean run.
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

    String root = warehouse.toUri().toString().replaceAll("/+$", "");
    long rows = TableContents.assertSameTables(spark, reference, root);
    List<Row> runs = TableContents.read(spark, root, Tables.PIPELINE_RUNS)
        .groupBy("status").count().orderBy("status").collectAsList();
    System.out.printf("[reliability] concurrency: two pipelines at once took %.1f s; exit codes "
        + "%d and %d; %d commit conflicts retried; pipeline_runs by status %s; all %d tables "
        + "equal the clean run (%d rows, EXCEPT ALL both ways)%n", seconds, first.exitValue(),
        second.exitValue(), retries, runs, TableContents.compared().size(), rows);
  }
}
