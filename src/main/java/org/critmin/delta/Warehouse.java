package org.critmin.delta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.config.CritminConfig.DeltaSettings;
import org.critmin.config.CritminConfig.WriterLockSettings;

/**
 * The Delta warehouse: where each table lives ({@code <root>/<layer>/<table>}) and the one way
 * critmin reads and writes tables, by location, so a run needs no catalog. Names and registration
 * are the {@link Catalog}'s, commits and their retries the {@link TableWriter}'s, what a table's
 * log says the {@link TableLog}'s; what one run read and wrote is the run's own ledger.
 *
 * <p>A command that writes holds the warehouse's {@link WriterLock} ({@link #lockForWriting}), so
 * runs take turns. Where that lock is only advisory (S3) two runs can still meet, and that is safe
 * too: Delta's optimistic concurrency lets one commit win and makes the other fail with a
 * {@link java.util.ConcurrentModificationException}; the loser's write is then retried. A retried
 * {@link #replace} recomputes and swaps the same scope again, so the result is the same as if the
 * runs had taken turns.
 *
 * <p>A table folder whose {@code _delta_log} holds no committed version (a run died between Delta
 * making the folder and the first commit) is no table: {@link #exists} is false, SQL registration
 * skips it with a warning, and a write under the writer lock removes it before creating the
 * table.
 */
public final class Warehouse {
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(Warehouse.class);

  static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  private final SparkSession spark;
  private final String root;
  private final Catalog catalog;
  private final TableWriter writer;
  /** The writer lock this warehouse writes under, once {@link #lockForWriting} took it. */
  private WriterLock writerLock;

  public Warehouse(SparkSession spark, String root, String prefix) {
    this(spark, root, prefix, DeltaSettings.DEFAULTS);
  }

  public Warehouse(SparkSession spark, String root, String prefix, DeltaSettings settings) {
    if (!IDENTIFIER.matcher(prefix).matches()) {
      throw new IllegalArgumentException("bad database prefix " + prefix);
    }
    this.spark = spark;
    this.root = qualify(spark, root);
    this.catalog = new Catalog(spark, this.root, prefix);
    this.writer = new TableWriter(spark, settings);
  }

  /** The names of the tables and their registration. */
  public Catalog catalog() {
    return catalog;
  }

  /** Properties every critmin table gets at creation ({@link TableWriter#tableProperties}). */
  public Map<String, String> tableProperties() {
    return writer.tableProperties();
  }

  /**
   * Takes the warehouse's writer lock for {@code holder}, waiting for another run's as
   * {@link WriterLock} says; the caller closes it when its command ends.
   */
  public WriterLock lockForWriting(WriterLock.Holder holder, WriterLockSettings lockSettings) {
    writerLock = WriterLock.acquire(root, hadoopConf(), holder, lockSettings);
    return writerLock;
  }

  /** The warehouse root as a fully qualified URI (file:/... or s3a://...). */
  public String root() {
    return root;
  }

  /** The catalog name analysts query ({@link Catalog#tableName}). */
  public String tableName(TableSpec spec) {
    return catalog.tableName(spec);
  }

  public String location(TableSpec spec) {
    return root + "/" + spec.layer() + "/" + spec.name();
  }

  /**
   * Whether the table exists: its {@code _delta_log} holds a committed version. A folder without
   * one is a run's that died creating the table, and counts as absent.
   */
  public boolean exists(TableSpec spec) {
    return TableLog.hasCommittedVersion(hadoopConf(), new Path(location(spec)));
  }

  /** Reads the newest version of a table of the contract, by location; it must exist. */
  public Dataset<Row> read(TableSpec spec) {
    if (!exists(spec)) {
      throw new IllegalStateException("table " + tableName(spec) + " does not exist at "
          + location(spec));
    }
    return spark.read().format("delta").load(location(spec));
  }

  /** Reads one version of a table of the contract (Delta time travel). */
  public Dataset<Row> readVersion(TableSpec spec, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(location(spec));
  }

  /**
   * Replaces the rows of {@code spec} that match {@code scope} by {@code rows}, in one commit,
   * creating the table (with its schema, comments and properties) if it does not exist. Every new
   * row must itself match {@code scope}. The commit carries the run id. Columns a newer critmin
   * adds to the contract are appended to an existing table. The write's row count comes from the
   * commit (no second scan).
   *
   * <p>A whole-table replace ({@code scope} is {@code lit(true)}) and the first write of a table
   * go through {@link DeltaCommit}; a narrower replace of an existing table is Delta's own
   * overwrite by condition, which rewrites the files holding both kinds of rows.
   */
  public TableWriter.Write replace(TableSpec spec, Dataset<Row> rows, Column scope,
      String runId) {
    removeUncommittedFolder(spec);
    return writer.replace(spec, tableName(spec), location(spec), rows, scope, runId);
  }

  /** Appends {@code rows} to {@code spec} in one commit, creating the table if needed. */
  public TableWriter.Write append(TableSpec spec, Dataset<Row> rows, String runId) {
    removeUncommittedFolder(spec);
    return writer.append(spec, tableName(spec), location(spec), rows, runId);
  }

  /** Runs a commit of {@code table} other than a write (maintenance), with the write's retries. */
  public void withRetries(String table, String operation, Runnable commit) {
    writer.retried(table, operation, () -> {
      commit.run();
      return null;
    });
  }

  /**
   * Removes the folder of {@code spec} if it holds no committed version: a run killed after Delta
   * made the folder (and its {@code _delta_log}) but before the first commit leaves one, and
   * Delta then refuses to create the table there, run after run. Only under the writer lock,
   * which no live run creating the table can be without; without it the folder is left alone.
   */
  private void removeUncommittedFolder(TableSpec spec) {
    if (writerLock == null || !writerLock.held() || exists(spec)) {
      return;
    }
    Path folder = new Path(location(spec));
    try {
      FileSystem fs = folder.getFileSystem(hadoopConf());
      if (fs.exists(folder)) {
        LOG.warn("removing the folder {}: it holds no committed version of {} (a run died "
            + "creating the table), which is created anew", folder, tableName(spec));
        fs.delete(folder, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the uncommitted table folder " + folder, e);
    }
  }

  private Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  private static String qualify(SparkSession spark, String path) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.makeQualified(p).toString().replaceAll("/+$", "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve warehouse path " + path, e);
    }
  }
}
