package org.critmin.delta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.CommitInfo;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.critmin.config.CritminConfig.DeltaSettings;
import org.critmin.config.CritminConfig.WriterLockSettings;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The Delta warehouse: where each table lives ({@code <root>/<layer>/<table>}), its catalog name
 * ({@code <prefix>_<layer>.<table>}), and the one way critmin reads and writes tables. Tables are
 * read and written by location, so a run needs no catalog; {@link #registerAll} puts them in the
 * session's catalog for SQL. Writes are atomic Delta commits, one per table and write
 * ({@link DeltaCommit}); {@link #replace} swaps exactly the rows a run recomputes, so a re-run
 * never duplicates.
 *
 * <p>A command that writes holds the warehouse's {@link WriterLock} ({@link #lockForWriting}), so
 * runs take turns. Where that lock is only advisory (S3) two runs can still meet, and that is safe
 * too: Delta's optimistic concurrency lets one commit win and makes the other fail with a
 * {@link java.util.ConcurrentModificationException}; the loser's write is then retried
 * ({@code tables.commit_retries} times, with a growing pause, each attempt logged). A retried
 * {@link #replace} recomputes and swaps the same scope again, so the result is the same as if the
 * runs had taken turns.
 *
 * <p>A table folder whose {@code _delta_log} holds no committed version (a run died between Delta
 * making the folder and the first commit) is no table: {@link #exists} is false, SQL registration
 * skips it with a warning, and a write under the writer lock removes it before creating the
 * table.
 *
 * <p>Identifiers (the validated prefix, {@link TableSpec} names) are quoted wherever they enter
 * SQL, and every table location stays under the root.
 */
public final class Warehouse {
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(Warehouse.class);

  static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  private static final List<String> LAYERS = List.of("bronze", "silver", "gold");
  private static final long RETRY_PAUSE_MILLIS = 500;
  /**
   * Delta's errors when a table folder, or its log folder, exists without a first commit: another
   * run is creating the table (creating it, or registering it, respectively).
   */
  private static final Set<String> CREATE_RACES = Set.of(
      "DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION", "DELTA_CREATE_EXTERNAL_TABLE_WITHOUT_TXN_LOG");
  /** A file of {@code _delta_log} that makes a version: a commit, or a checkpoint of any kind. */
  private static final Pattern VERSION_FILE =
      Pattern.compile("\\d{20}\\.(json|checkpoint\\..*(parquet|json))");

  private final SparkSession spark;
  private final String root;
  private final String prefix;
  private final DeltaSettings settings;
  /** The tables this warehouse has read or written, by catalog name. */
  private final Map<String, TableSpec> touched = new HashMap<>();
  private final List<String> reads = new ArrayList<>();
  private final List<Write> writes = new ArrayList<>();
  /** Row counts known without a query: counted once, or written whole, since the last write. */
  private final Map<String, Long> knownRows = new HashMap<>();
  /** The writer lock this warehouse writes under, once {@link #lockForWriting} took it. */
  private WriterLock writerLock;

  /**
   * One write of this warehouse: the table, the rows the commit wrote (-1 if unknown), how long it
   * took, and the table version it replaced (-1 when the write created the table).
   */
  public record Write(String table, long rows, double seconds, long versionBefore) {}

  public Warehouse(SparkSession spark, String root, String prefix) {
    this(spark, root, prefix, DeltaSettings.DEFAULTS);
  }

  public Warehouse(SparkSession spark, String root, String prefix, DeltaSettings settings) {
    if (!IDENTIFIER.matcher(prefix).matches()) {
      throw new IllegalArgumentException("bad database prefix " + prefix);
    }
    this.spark = spark;
    this.root = qualify(spark, root);
    this.prefix = prefix;
    this.settings = settings;
  }

  /**
   * Properties every critmin table gets at creation (docs/architecture.md, "Tables"): the change
   * data feed on, and the log and deleted-file retentions of the configuration.
   */
  public Map<String, String> tableProperties() {
    return Map.of(
        "delta.enableChangeDataFeed", "true",
        "delta.logRetentionDuration", "interval " + settings.logRetentionDays() + " days",
        "delta.deletedFileRetentionDuration",
        "interval " + settings.deletedFileRetentionHours() + " hours");
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

  public String database(String layer) {
    return prefix + "_" + layer;
  }

  /** The catalog name analysts query, e.g. {@code critmin_gold.supply_concentration}. */
  public String tableName(TableSpec spec) {
    return database(spec.layer()) + "." + spec.name();
  }

  public String location(TableSpec spec) {
    return root + "/" + spec.layer() + "/" + spec.name();
  }

  /**
   * Whether the table exists: its {@code _delta_log} holds a committed version. A folder without
   * one is a run's that died creating the table, and counts as absent.
   */
  public boolean exists(TableSpec spec) {
    return hasCommittedVersion(new Path(location(spec)));
  }

  /** Reads the newest version of a table of the contract, by location; it must exist. */
  public Dataset<Row> read(TableSpec spec) {
    String name = tableName(spec);
    if (!exists(spec)) {
      throw new IllegalStateException("table " + name + " does not exist at " + location(spec));
    }
    touched.put(name, spec);
    reads.add(name);
    return spark.read().format("delta").load(location(spec));
  }

  /** Reads one version of a table of the contract (Delta time travel). */
  public Dataset<Row> readVersion(TableSpec spec, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(location(spec));
  }

  /** The catalog names of the tables read so far through {@link #read}, in order, with repeats. */
  public List<String> reads() {
    return List.copyOf(reads);
  }

  /** The writes so far through {@link #replace} and {@link #append}, in order. */
  public List<Write> writes() {
    return List.copyOf(writes);
  }

  /**
   * Rows in a table this warehouse has read or written (each stage logs the rows it read). A
   * whole-table {@link #replace} supplies the count from its commit; otherwise it comes from the
   * checksum file of the table's newest version where that lists the files (Delta writes the list
   * for tables of up to 50 files), else from a count query. The answer is kept until this
   * warehouse writes the table again.
   */
  public long rowCount(String tableName) {
    return knownRows.computeIfAbsent(tableName, name -> {
      TableSpec spec = touched.get(name);
      if (spec == null) {
        return spark.read().table(name).count();
      }
      long counted = DeltaCommit.checksumRows(spark, location(spec));
      return counted >= 0 ? counted : read(spec).count();
    });
  }

  /**
   * Replaces the rows of {@code spec} that match {@code scope} by {@code rows}, in one commit,
   * creating the table (with its schema, comments and properties) if it does not exist. Every new
   * row must itself match {@code scope}. The commit carries the run id. Columns a newer critmin
   * adds to the contract are appended to an existing table. Returns the number of rows written,
   * from the commit (no second scan).
   *
   * <p>A whole-table replace ({@code scope} is {@code lit(true)}) and the first write of a table
   * go through {@link DeltaCommit}; a narrower replace of an existing table is Delta's own
   * overwrite by condition, which rewrites the files holding both kinds of rows.
   */
  public long replace(TableSpec spec, Dataset<Row> rows, Column scope, String runId) {
    long start = System.nanoTime();
    String name = tableName(spec);
    touched.put(name, spec);
    Dataset<Row> conformed = conform(spec, rows);
    removeUncommittedFolder(spec);
    DeltaCommit.Result result = retried(name, "replace", () -> {
      if (isWholeTable(scope)) {
        return DeltaCommit.write(spark, spec, location(spec), tableProperties(), conformed, true,
            runId);
      }
      long before = DeltaCommit.currentVersion(spark, location(spec));
      if (before < 0) {
        return DeltaCommit.write(spark, spec, location(spec), tableProperties(), conformed,
            false, runId);
      }
      return overwriteWhere(spec, conformed, scope, runId, before);
    });
    long written = recordWrite(spec, result, start);
    if (isWholeTable(scope) && written >= 0) {
      knownRows.put(name, written);
    } else {
      knownRows.remove(name);
    }
    return written;
  }

  /** Whether {@code scope} is {@code lit(true)}: the write replaced the whole table. */
  public static boolean isWholeTable(Column scope) {
    return functions.lit(true).equals(scope);
  }

  /** Appends {@code rows} to {@code spec} in one commit, creating the table if needed. */
  public void append(TableSpec spec, Dataset<Row> rows, String runId) {
    long start = System.nanoTime();
    String name = tableName(spec);
    touched.put(name, spec);
    Dataset<Row> conformed = conform(spec, rows);
    removeUncommittedFolder(spec);
    DeltaCommit.Result result = retried(name, "append", () -> DeltaCommit.write(spark, spec,
        location(spec), tableProperties(), conformed, false, runId));
    recordWrite(spec, result, start);
    knownRows.remove(name);
  }

  /**
   * Delta's overwrite of the rows matching {@code scope} in the existing table, as one commit
   * tagged with the run id; its version and row count are read back from the commit's
   * {@code commitInfo} (the first commit after {@code versionBefore} that carries the run id),
   * or 0 rows at the same version when there was nothing to commit.
   */
  private DeltaCommit.Result overwriteWhere(TableSpec spec, Dataset<Row> rows, Column scope,
      String runId, long versionBefore) {
    String pathIdentifier = "delta." + quoteIdentifier(location(spec));
    try {
      rows.writeTo(pathIdentifier).option("userMetadata", runId).overwrite(scope);
    } catch (NoSuchTableException e) {
      throw new IllegalStateException("table vanished while writing: " + tableName(spec), e);
    }
    DeltaLog log = DeltaLog.forTable(spark, new Path(location(spec)));
    var changes = log.getChanges(versionBefore + 1, false);
    while (changes.hasNext()) {
      Tuple2<Object, scala.collection.immutable.Seq<Action>> commit = changes.next();
      for (Action action : CollectionConverters.asJava(commit._2())) {
        if (action instanceof CommitInfo info && runId.equals(info.userMetadata().getOrElse(
            () -> null))) {
          String rowsOut = info.operationMetrics().isDefined()
              ? info.operationMetrics().get().get("numOutputRows").getOrElse(() -> "-1") : "-1";
          return new DeltaCommit.Result((Long) commit._1(), Long.parseLong(rowsOut),
              versionBefore);
        }
      }
    }
    // Delta commits nothing when there was nothing to remove and nothing to add.
    return new DeltaCommit.Result(versionBefore, 0, versionBefore);
  }

  /**
   * Runs one commit of {@code table} and returns its result; when it loses a race with another
   * writer, runs it again, at most {@code tables.commit_retries} times, pausing 0.5 s, 1 s, 1.5 s... (plus jitter, so two
   * losers do not collide again). Other failures pass through at once.
   */
  <T> T retried(String table, String operation, java.util.function.Supplier<T> commit) {
    for (int attempt = 1; ; attempt++) {
      try {
        T result = commit.get();
        if (attempt > 1) {
          LOG.info("{}: {} committed on attempt {}", table, operation, attempt);
        }
        return result;
      } catch (Exception e) {
        // Not only RuntimeException: Delta reports a table another run is creating with an
        // AnalysisException, which Java sees as checked and Scala throws undeclared.
        if (!isCommitConflict(e)) {
          throw rethrow(e);
        }
        if (attempt > settings.commitRetries()) {
          throw new ConcurrentWriteFailure(table + ": " + operation + " lost the commit race to "
              + "another writer " + attempt + " times (tables.commit_retries = "
              + settings.commitRetries() + "); the table is unchanged by this run. Last conflict: "
              + org.critmin.config.Failures.summary(e));
        }
        long pause = RETRY_PAUSE_MILLIS * attempt
            + java.util.concurrent.ThreadLocalRandom.current().nextLong(RETRY_PAUSE_MILLIS);
        LOG.warn("{}: {} conflicted with a concurrent writer ({}); retry {} of {} in {} ms",
            table, operation, org.critmin.config.Failures.summary(e), attempt,
            settings.commitRetries(), pause);
        try {
          Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw rethrow(e);
        }
      }
    }
  }

  /** {@link #retried} for a commit without result. */
  public void withRetries(String table, String operation, Runnable commit) {
    retried(table, operation, () -> {
      commit.run();
      return null;
    });
  }

  /** Throws {@code t} as it is, checked or not, so that callers see Spark's own exception. */
  @SuppressWarnings("unchecked")
  static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
    throw (T) t;
  }

  /**
   * Whether {@code e} says another writer committed first: Delta's concurrent-modification
   * exceptions, a commit file (or table) that a concurrent run created between check and write, or
   * a table folder that a concurrent run is creating.
   */
  static boolean isCommitConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.util.ConcurrentModificationException
          || t instanceof java.nio.file.FileAlreadyExistsException
          || t instanceof org.apache.hadoop.fs.FileAlreadyExistsException
          || t instanceof org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException) {
        return true;
      }
      // Another run is creating the table: its folder exists, its first commit not yet.
      if (t instanceof org.apache.spark.SparkThrowable spark
          && CREATE_RACES.contains(spark.getCondition())) {
        return true;
      }
    }
    return false;
  }

  /**
   * A write that kept losing commit races to another run, after every retry. It carries no cause,
   * so that the one-line error the user sees is this message, not the last Delta exception's.
   */
  public static final class ConcurrentWriteFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConcurrentWriteFailure(String message) {
      super(message);
    }
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

  /** Logs and remembers a write, with the row count of its commit (no recount); returns it. */
  private long recordWrite(TableSpec spec, DeltaCommit.Result result, long startNanos) {
    String name = tableName(spec);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    writes.add(new Write(name, result.rowsAdded(), seconds, result.versionBefore()));
    LOG.info("wrote {}: {} rows in {} s (version {}{})", name, result.rowsAdded(),
        String.format("%.1f", seconds), result.version(), result.created() ? ", created" : "");
    return result.rowsAdded();
  }

  /**
   * Registers every Delta table found under the warehouse root in the catalog, so that SQL sees
   * them by name; tables of other versions or added by hand are registered too.
   */
  public List<String> registerAll() {
    List<String> registered = new ArrayList<>();
    for (String layer : LAYERS) {
      for (String table : listTables(layer)) {
        if (!IDENTIFIER.matcher(table).matches()) {
          continue;
        }
        createDatabase(layer);
        String name = database(layer) + "." + table;
        register(name, root + "/" + layer + "/" + table);
        registered.add(name);
      }
    }
    return registered;
  }

  /** Where {@link #writeRegisterScript} puts the script: {@code <root>/register.sql}. */
  public String registerScriptLocation() {
    return root + "/register.sql";
  }

  /**
   * Writes {@code <root>/register.sql}: one {@code CREATE DATABASE} per layer and one
   * {@code CREATE TABLE ... USING DELTA LOCATION} per table of the warehouse, for catalogs critmin
   * does not reach (a notebook's session, {@code spark-sql -i register.sql}, a metastore an
   * administrator loads). Returns the number of tables it names.
   */
  public int writeRegisterScript() {
    StringBuilder script = new StringBuilder("-- The tables of the critmin warehouse " + root
        + ", by name, for a Spark session with Delta Lake.\n-- Written by critmin; run it with "
        + "spark-sql -i register.sql, or statement by statement in a notebook.\n");
    int tables = 0;
    for (String layer : LAYERS) {
      List<String> names = listTables(layer).stream()
          .filter(t -> IDENTIFIER.matcher(t).matches()).toList();
      if (names.isEmpty()) {
        continue;
      }
      script.append("CREATE DATABASE IF NOT EXISTS ").append(quoteIdentifier(database(layer)))
          .append(";\n");
      for (String table : names) {
        script.append("CREATE TABLE IF NOT EXISTS ").append(quoteIdentifier(database(layer)))
            .append('.').append(quoteIdentifier(table)).append(" USING DELTA LOCATION ")
            .append(sqlString(root + "/" + layer + "/" + table)).append(";\n");
        tables++;
      }
    }
    Path file = new Path(registerScriptLocation());
    try (java.io.OutputStream out = file.getFileSystem(hadoopConf()).create(file, true)) {
      out.write(script.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return tables;
  }

  /** Registers the Delta table at {@code location} as {@code name} unless the catalog has it. */
  private void register(String name, String location) {
    if (!spark.catalog().tableExists(name)) {
      int dot = name.indexOf('.');
      spark.sql("CREATE TABLE IF NOT EXISTS " + quoteIdentifier(name.substring(0, dot)) + "."
          + quoteIdentifier(name.substring(dot + 1)) + " USING DELTA LOCATION "
          + sqlString(location));
    }
  }

  private List<String> listTables(String layer) {
    Path dir = new Path(root + "/" + layer);
    List<String> tables = new ArrayList<>();
    try {
      FileSystem fs = dir.getFileSystem(hadoopConf());
      if (!fs.exists(dir)) {
        return tables;
      }
      for (FileStatus status : fs.listStatus(dir)) {
        FileStatus[] versions = status.isDirectory() ? versionFiles(status.getPath()) : null;
        if (versions == null) {
          continue;
        }
        if (versions.length > 0) {
          tables.add(status.getPath().getName());
        } else {
          LOG.warn("skipped {}: its _delta_log holds no committed version (a run died creating "
              + "the table); the next command that writes the table replaces the folder",
              status.getPath());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    tables.sort(String::compareTo);
    return tables;
  }

  /** Whether the table folder's {@code _delta_log} holds a commit or a checkpoint. */
  private boolean hasCommittedVersion(Path table) {
    FileStatus[] versions = versionFiles(table);
    return versions != null && versions.length > 0;
  }

  /**
   * The commits and checkpoints in the table folder's {@code _delta_log}, or null when there is
   * no {@code _delta_log}: one listing.
   */
  private FileStatus[] versionFiles(Path table) {
    Path log = new Path(table, "_delta_log");
    try {
      return log.getFileSystem(hadoopConf()).listStatus(log,
          file -> VERSION_FILE.matcher(file.getName()).matches());
    } catch (java.io.FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }

  private void createDatabase(String layer) {
    String db = database(layer);
    if (!spark.catalog().databaseExists(db)) {
      spark.sql("CREATE DATABASE IF NOT EXISTS " + quoteIdentifier(db));
    }
  }

  private Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /** Selects the spec's columns in its order, cast to its types; a missing column is a bug. */
  public static Dataset<Row> conform(TableSpec spec, Dataset<Row> rows) {
    Column[] columns = new Column[spec.schema().size()];
    for (int i = 0; i < columns.length; i++) {
      StructField field = spec.schema().fields()[i];
      columns[i] = rows.col(field.name()).cast(field.dataType()).as(field.name());
    }
    return rows.select(columns);
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

  /** A SQL identifier in backquotes, backquotes inside doubled. */
  public static String quoteIdentifier(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** A SQL string literal: the value quoted, with quotes and backslashes escaped. */
  public static String sqlString(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
