package org.critmin.run;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.critmin.config.CritminConfig;

/** Builds the one SparkSession of a command, with Delta Lake enabled. */
public final class SparkSessions {
  private static final Logger LOG = LogManager.getLogger(SparkSessions.class);

  private static final String HADOOP_PREFIX = "spark.hadoop.";

  private SparkSessions() {}

  /**
   * Returns the session for {@code config}. Under spark-submit the master and resources come from the
   * submit command; a local run uses {@code spark.master} and binds to the loopback address.
   */
  public static SparkSession create(CritminConfig config) {
    SparkConf conf = new SparkConf(true);
    boolean submitted = conf.contains("spark.master");
    if (!submitted) {
      conf.setMaster(config.sparkMaster());
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      conf.setIfMissing("spark.ui.enabled", "false");
    }
    // Precedence: what spark-submit was given (--conf, spark-defaults.conf; system properties
    // that new SparkConf(true) has read), then the configuration file, then critmin's defaults.
    Map<String, String> fromFile = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, String> setting : config.sparkSettings().entrySet()) {
      if (!conf.contains(setting.getKey())) {
        conf.set(setting.getKey(), setting.getValue());
        fromFile.put(setting.getKey(), setting.getValue());
      }
    }
    conf.setIfMissing("spark.app.name", "critmin");
    conf.set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    conf.setIfMissing("spark.sql.shuffle.partitions", Integer.toString(config.shufflePartitions()));
    conf.setIfMissing("spark.sql.adaptive.enabled", "true");
    conf.set("spark.sql.session.timeZone", "UTC");
    conf.setIfMissing("spark.ui.showConsoleProgress", Boolean.toString(config.consoleProgress()));
    conf.setIfMissing("spark.databricks.delta.snapshotPartitions", "4");
    // Spark keeps 100 compiled generated classes by default; a pipeline generates about 1,000
    // distinct ones, and each evicted class it needs again is compiled again (17 ms on average).
    // With room for all of them the 1M-row pipeline compiled 968 classes instead of 1,244.
    conf.setIfMissing("spark.sql.codegen.cache.maxEntries", "2000");
    // The ingest stream is wide; without this, plan strings are cut with a warning on every run.
    conf.setIfMissing("spark.sql.debug.maxToStringFields", "100");
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    applyHadoopSettings(spark, fromFile);
    LOG.info("Spark {} application {} on {}: {} shuffle partitions, adaptive execution {}",
        spark.version(), spark.sparkContext().applicationId(), spark.sparkContext().master(),
        spark.conf().get("spark.sql.shuffle.partitions"),
        spark.conf().get("spark.sql.adaptive.enabled"));
    return spark;
  }

  /**
   * Puts the {@code spark.hadoop.*} settings (s3a endpoint, region, credentials provider) into the
   * Hadoop configuration every file system is opened with. A new session does this itself; a session
   * that was already running (a test's, a notebook's) would otherwise keep its old Hadoop settings.
   */
  private static void applyHadoopSettings(SparkSession spark, Map<String, String> settings) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      if (setting.getKey().startsWith(HADOOP_PREFIX)) {
        hadoop.set(setting.getKey().substring(HADOOP_PREFIX.length()), setting.getValue());
      }
    }
  }

  /**
   * Stops {@code spark} unless it was already running before the command began (a test's shared
   * session, or a notebook's), which its owner stops.
   */
  public static void stopIfOwned(SparkSession spark, boolean existedBefore) {
    if (!existedBefore) {
      spark.stop();
    }
  }

  /** Whether a session is already running in this JVM. */
  public static boolean sessionRunning() {
    return SparkSession.getDefaultSession().isDefined()
        && !SparkSession.getDefaultSession().get().sparkContext().isStopped();
  }
}
