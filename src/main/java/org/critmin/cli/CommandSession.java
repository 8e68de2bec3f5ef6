package org.critmin.cli;

import org.apache.spark.sql.SparkSession;
import org.critmin.config.CritminConfig;
import org.critmin.delta.SparkSessions;
import org.critmin.delta.Warehouse;

/**
 * The Spark session of a command that works on the warehouse directly ({@code sql},
 * {@code register}), with that warehouse. Closing it stops the session unless one was running
 * before the command (a test's, a notebook's), which its owner stops.
 */
final class CommandSession implements AutoCloseable {
  private final boolean sessionExisted;
  private final SparkSession spark;
  private final Warehouse warehouse;

  CommandSession(CritminConfig config) {
    sessionExisted = SparkSessions.sessionRunning();
    spark = SparkSessions.create(config);
    warehouse = new Warehouse(spark, config.warehouse(), config.databasePrefix());
  }

  SparkSession spark() {
    return spark;
  }

  Warehouse warehouse() {
    return warehouse;
  }

  @Override
  public void close() {
    SparkSessions.stopIfOwned(spark, sessionExisted);
  }
}
