package org.critmin.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.delta.DeltaErrors$;
import org.critmin.SparkTestSession;
import org.critmin.config.CritminConfig.DeltaSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit retry with the exceptions Delta really throws. The one of a table that another run is
 * creating is an AnalysisException, checked to Java and thrown undeclared by Scala code: a retry
 * that caught only RuntimeException let it through (seen in the concurrent-runs system test), as
 * did the error of a table whose log folder exists without its first commit.
 */
class WarehouseRetryTest {
  @TempDir
  Path dir;

  private Warehouse warehouse(int retries) {
    return new Warehouse(SparkTestSession.get(), dir.toString(), "retry",
        new DeltaSettings(30, 168, retries, 168));
  }

  private static Throwable tableBeingCreated() {
    return DeltaErrors$.MODULE$.createTableWithNonEmptyLocation("`retry_bronze`.`t`",
        "file:/tmp/warehouse/bronze/t");
  }

  @Test
  void aTableAnotherRunIsCreatingIsRetried() {
    AtomicInteger attempts = new AtomicInteger();
    warehouse(3).withRetries("retry_bronze.t", "create", () -> {
      if (attempts.incrementAndGet() == 1) {
        throw TableWriter.rethrow(tableBeingCreated());
      }
    });
    assertEquals(2, attempts.get(), "the second attempt found the table and went through");
  }

  @Test
  void aTableWhoseLogAnotherRunHasNotCommittedYetIsRetried() {
    Throwable noCommitYet = DeltaErrors$.MODULE$.createExternalTableWithoutLogException(
        new org.apache.hadoop.fs.Path("file:/tmp/warehouse/bronze/t/_delta_log"),
        "`retry_bronze`.`t`", SparkTestSession.get());
    AtomicInteger attempts = new AtomicInteger();
    warehouse(3).withRetries("retry_bronze.t", "create", () -> {
      if (attempts.incrementAndGet() == 1) {
        throw TableWriter.rethrow(noCommitYet);
      }
    });
    assertEquals(2, attempts.get());
  }

  @Test
  void otherAnalysisErrorsPassThroughAtOnceAsTheyAre() {
    Throwable notARace = DeltaErrors$.MODULE$.notADeltaTableException("OPTIMIZE");
    assertTrue(notARace instanceof org.apache.spark.sql.AnalysisException, "checked to Java too");
    AtomicInteger attempts = new AtomicInteger();
    Throwable thrown = assertThrows(Throwable.class, () -> warehouse(3).withRetries(
        "retry_bronze.t", "replace", () -> {
          attempts.incrementAndGet();
          throw TableWriter.rethrow(notARace);
        }));
    assertSame(notARace, thrown);
    assertEquals(1, attempts.get());
  }

  @Test
  void aRaceLostEveryTimeEndsWithTheOneLineMessage() {
    AtomicInteger attempts = new AtomicInteger();
    TableWriter.ConcurrentWriteFailure failure = assertThrows(TableWriter.ConcurrentWriteFailure.class,
        () -> warehouse(1).withRetries("retry_bronze.t", "create", () -> {
          attempts.incrementAndGet();
          throw TableWriter.rethrow(tableBeingCreated());
        }));
    assertEquals(2, attempts.get(), "the first attempt and one retry");
    assertTrue(failure.getMessage().startsWith("retry_bronze.t: create lost the commit race to "
        + "another writer 2 times"), failure.getMessage());
  }
}
