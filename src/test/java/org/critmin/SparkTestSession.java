package org.critmin;

import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession every test shares: local[2], UI off, few shuffle partitions, bound to
 * 127.0.0.1, Delta enabled, adaptive execution off as in conf/local.conf. Commands run in-process
 * (with conf/test.conf, whose settings are these) see it running and leave it open.
 */
public final class SparkTestSession {
  private static SparkSession spark;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null || spark.sparkContext().isStopped()) {
      spark = SparkSession.builder()
          .master("local[2]")
          .appName("critmin-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.ui.showConsoleProgress", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.default.parallelism", "2")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.databricks.delta.snapshotPartitions", "2")
          .config("spark.sql.codegen.cache.maxEntries", "2000")
          .config("spark.sql.adaptive.enabled", "false")
          .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", "8")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog",
              "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .getOrCreate();
    }
    return spark;
  }
}
