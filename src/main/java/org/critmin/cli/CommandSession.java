package org.critmin.cli;

import org.apache.spark.sql.SparkSession;
import org.critmin.config.CritminConfig;
import org.critmin.delta.Warehouse;
import org.critmin.delta.WriterLock;
import org.critmin.run.JobRunner;
import org.critmin.run.SparkSessions;

/**
 * The Spark session of a command that works on the warehouse directly ({@code sql},
 * {@code register}), with that warehouse. A command that only reads takes no lock; one that writes
 * ({@code sql --allow-writes}) holds the warehouse's writer lock, under a run id of its own, until
 * closed. Closing it stops the session unless one was running before the command (a test's, a
 * notebook's), which its owner stops.
 */
final class CommandSession implements AutoCloseable {
  private final boolean sessionExisted;
  private final SparkSession spark;
  private final Warehouse warehouse;
  private final String runId = JobRunner.newRunId();
  private final WriterLock lock;

  /** A session for a command that only reads the warehouse. */
  CommandSession(CritminConfig config) {
    this(config, null);
  }

  /**
   * A session for {@code writer}, the name of a command that writes the warehouse (it names the
   * holder of the writer lock), or for a reader when null.
   */
  CommandSession(CritminConfig config, String writer) {
    sessionExisted = SparkSessions.sessionRunning();
    spark = SparkSessions.create(config);
    warehouse = new Warehouse(spark, config.warehouse(), config.databasePrefix(), config.delta());
    try {
      lock = writer == null ? null : warehouse.lockForWriting(WriterLock.Holder.of(runId, writer),
          config.writerLock());
    } catch (RuntimeException e) {
      SparkSessions.stopIfOwned(spark, sessionExisted);
      throw e;
    }
  }

  SparkSession spark() {
    return spark;
  }

  Warehouse warehouse() {
    return warehouse;
  }

  /** The run id under which a writing command holds the lock and is recorded. */
  String runId() {
    return runId;
  }

  @Override
  public void close() {
    try {
      if (lock != null) {
        lock.close();
      }
    } finally {
      SparkSessions.stopIfOwned(spark, sessionExisted);
    }
  }
}
