package org.critmin.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriterV2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.critmin.config.CritminConfig.DeltaSettings;

/**
 * The Delta warehouse: where each table lives ({@code <root>/<layer>/<table>}), its catalog name
 * ({@code <prefix>_<layer>.<table>}), and the one way critmin writes tables. Writes are atomic Delta
 * commits; {@link #replace} swaps exactly the rows a run recomputes, so a re-run never duplicates.
 *
 * <p>Two runs writing one warehouse at once are safe: Delta's optimistic concurrency lets one commit
 * win and makes the other fail with a {@link java.util.ConcurrentModificationException}; the loser's
 * write is then retried ({@code tables.commit_retries} times, with a growing pause, each attempt
 * logged). A retried {@link #replace} recomputes and swaps the same scope again, so the result is the
 * same as if the runs had taken turns. Identifiers (the validated prefix, {@link TableSpec} names)
 * are quoted wherever they enter SQL, and every table location stays under the root.
 */
public final class Warehouse {
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(Warehouse.class);

  static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  /** A commit file of the Delta log: the version in 20 digits. */
  private static final Pattern COMMIT_FILE = Pattern.compile("[0-9]{20}\\.json");
  /** The version of a table's first write: version 0 is its creation. */
  private static final long FIRST_WRITE_VERSION = 1;
  /** No such commit, or no commit at all. */
  private static final long NO_COMMIT = -1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> LAYERS = List.of("bronze", "silver", "gold");
  private static final long RETRY_PAUSE_MILLIS = 500;
  /**
   * Delta's errors when a table folder, or its log folder, exists without a first commit: another
   * run is creating the table (creating it, or registering it, respectively).
   */
  private static final Set<String> CREATE_RACES = Set.of(
      "DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION", "DELTA_CREATE_EXTERNAL_TABLE_WITHOUT_TXN_LOG");

  private final SparkSession spark;
  private final String root;
  private final String prefix;
  private final DeltaSettings settings;
  /** Tables this warehouse has created or registered, by catalog name, with their locations. */
  private final Map<String, String> ensured = new HashMap<>();
  private final List<String> reads = new ArrayList<>();
  private final List<Write> writes = new ArrayList<>();
  /** Row counts known without a query: counted once, or written whole, since the last write. */
  private final Map<String, Long> knownRows = new HashMap<>();
  /**
   * Tables this warehouse created and has not written yet. Their first replace is an append,
   * checked afterwards (see {@link #replace}).
   */
  private final Set<String> createdUnwritten = new HashSet<>();

  /** One write of this warehouse: the table, the rows the commit wrote, and how long it took. */
  public record Write(String table, long rows, double seconds) {}

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
   * Properties every critmin table gets at creation (STACK-NOTES 3.4): the change data feed on,
   * and the log and deleted-file retentions of the configuration.
   */
  public Map<String, String> tableProperties() {
    return Map.of(
        "delta.enableChangeDataFeed", "true",
        "delta.logRetentionDuration", "interval " + settings.logRetentionDays() + " days",
        "delta.deletedFileRetentionDuration",
        "interval " + settings.deletedFileRetentionHours() + " hours");
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

  public boolean exists(TableSpec spec) {
    return isDeltaTable(location(spec));
  }

  /** Reads a table of the contract; it must exist. */
  public Dataset<Row> read(TableSpec spec) {
    ensureTable(spec);
    reads.add(tableName(spec));
    return spark.read().table(tableName(spec));
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
   * Rows in a registered table (each stage logs the rows it read). A whole-table {@link #replace}
   * supplies the count from its commit; otherwise it comes from the checksum file of the table's
   * newest version where that lists the files, else from a count query. The answer is kept until
   * this warehouse writes the table again.
   */
  public long rowCount(String tableName) {
    return knownRows.computeIfAbsent(tableName, table -> {
      String location = ensured.get(table);
      OptionalLong counted = location == null ? OptionalLong.empty()
          : checksumRowCount(location);
      return counted.isPresent() ? counted.getAsLong() : spark.read().table(table).count();
    });
  }

  /**
   * The rows of the newest version of the table at {@code location}, summed from the file
   * statistics in that version's checksum file (Delta protocol, "Version Checksum File": its
   * optional {@code allFiles} lists the add action of every file; Delta writes it for tables of
   * up to {@code spark.databricks.delta.allFilesInCrc.thresholdNumFiles} files, 50 by default).
   * Empty when the file, its file list or a file's record count is missing, or a file has a
   * deletion vector: the caller then counts with a query. A count query costs a Spark execution
   * of about 0.3 s even though Delta answers it from the same statistics.
   */
  OptionalLong checksumRowCount(String location) {
    Path log = new Path(location, "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(hadoopConf());
      FileStatus[] commits = newestFirst(commitFiles(fs, log));
      if (commits.length == 0) {
        return OptionalLong.empty();
      }
      // The checksum file of a version is named like its commit file: NNN.crc beside NNN.json.
      Path checksum = new Path(log, commits[0].getPath().getName().replace(".json", ".crc"));
      if (!fs.exists(checksum)) {
        return OptionalLong.empty();
      }
      JsonNode crc;
      try (InputStream in = fs.open(checksum)) {
        crc = JSON.readTree(in);
      }
      JsonNode files = crc.path("allFiles");
      if (!files.isArray() || files.size() != crc.path("numFiles").asLong(-1)) {
        return OptionalLong.empty();
      }
      long rows = 0;
      for (JsonNode file : files) {
        JsonNode records = file.path("stats").isTextual()
            ? JSON.readTree(file.path("stats").asText()).path("numRecords") : null;
        if (records == null || !records.canConvertToLong() || file.hasNonNull("deletionVector")) {
          return OptionalLong.empty();
        }
        rows += records.asLong();
      }
      return OptionalLong.of(rows);
    } catch (IOException | RuntimeException e) {
      LOG.debug("no row count from the checksum of {}: {}", location, e.toString());
      return OptionalLong.empty();
    }
  }

  /**
   * Creates the table with its schema, comments and properties if it does not exist, and registers
   * it in the catalog either way. A table an earlier run created is only registered: its
   * properties are those of its creation (or of the last {@code maintain}), and columns a newer
   * contract adds arrive with the next write. Two runs creating the same table at once is a commit
   * race like any other and is retried.
   */
  public void ensureTable(TableSpec spec) {
    if (ensured.containsKey(tableName(spec))) {
      return;
    }
    createDatabase(spec.layer());
    withRetries(tableName(spec), "create", () -> {
      if (exists(spec)) {
        register(tableName(spec), location(spec));
      } else {
        create(spec);
        createdUnwritten.add(tableName(spec));
      }
    });
    ensured.put(tableName(spec), location(spec));
  }

  private void create(TableSpec spec) {
    DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark)
        .tableName(tableName(spec))
        .location(location(spec))
        .comment(spec.comment());
    for (StructField field : spec.schema().fields()) {
      builder = builder.addColumn(DeltaTable.columnBuilder(spark, field.name())
          .dataType(field.dataType())
          .nullable(field.nullable())
          .comment(field.getComment().getOrElse(() -> ""))
          .build());
    }
    if (!spec.partitionColumns().isEmpty()) {
      builder = builder.partitionedBy(spec.partitionColumns().toArray(String[]::new));
    }
    for (Map.Entry<String, String> property : tableProperties().entrySet()) {
      builder = builder.property(property.getKey(), property.getValue());
    }
    builder.execute();
  }

  /**
   * Replaces the rows of {@code spec} that match {@code scope} by {@code rows}, in one commit. Every
   * new row must itself match {@code scope} (Delta checks it). The commit carries the run id.
   * Columns a newer critmin adds to the contract are appended to an existing table. Returns the
   * number of rows written, from the commit's metrics (no second scan of the table).
   *
   * <p>The first replace of a table this warehouse has just created is an append: replacing
   * nothing needs no list of the table's files, and Delta builds that list with two Spark
   * executions (0.5-1 s a table, 17 tables on a fresh warehouse). The append counts only if its
   * commit is version 1, right after the creation; if another run wrote in between, the rows are
   * written again as a replace, so the table never keeps both runs' rows. (Delta's check that new
   * rows match {@code scope} is not made for that append.)
   */
  public long replace(TableSpec spec, Dataset<Row> rows, Column scope, String runId) {
    long start = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    ensureTable(spec);
    String name = tableName(spec);
    LOG.debug("{}: table ready in {} ms", name, (System.nanoTime() - start) / 1_000_000);
    Commit commit;
    if (createdUnwritten.remove(name)) {
      write(spec, rows, runId, null);
      commit = committed(spec, runId, startMillis);
      // An empty append commits nothing; the table, still at its creation, then holds the rows.
      boolean appended = commit.version() == FIRST_WRITE_VERSION
          || commit.version() == NO_COMMIT && commit.logVersion() == 0;
      if (!appended) {
        LOG.info("{}: another run wrote the new table before this run's first write; replacing "
            + "its rows", name);
        write(spec, rows, runId, scope);
        commit = committed(spec, runId, startMillis);
      }
    } else {
      write(spec, rows, runId, scope);
      commit = committed(spec, runId, startMillis);
    }
    long written = recordWrite(spec, commit.rows(), start);
    if (isWholeTable(scope)) {
      knownRows.put(name, written);
    } else {
      knownRows.remove(name);
    }
    return written;
  }

  /** Whether {@code scope} is {@code lit(true)}: the write replaced the whole table. */
  static boolean isWholeTable(Column scope) {
    return functions.lit(true).equals(scope);
  }

  /** Appends {@code rows} to {@code spec} in one commit. */
  public void append(TableSpec spec, Dataset<Row> rows, String runId) {
    long start = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    ensureTable(spec);
    createdUnwritten.remove(tableName(spec));
    write(spec, rows, runId, null);
    recordWrite(spec, committedRows(spec, runId, startMillis), start);
    knownRows.remove(tableName(spec));
  }

  /**
   * One commit of {@code rows}, tagged with the run id: replacing the rows that match
   * {@code scope}, or appended where {@code scope} is null. Retried on commit races.
   */
  private void write(TableSpec spec, Dataset<Row> rows, String runId, Column scope) {
    String name = tableName(spec);
    withRetries(name, scope == null ? "append" : "replace", () -> {
      try {
        DataFrameWriterV2<Row> writer = conform(spec, rows).writeTo(name)
            .option("userMetadata", runId)
            .option("mergeSchema", "true");
        if (scope == null) {
          writer.append();
        } else {
          writer.overwrite(scope);
        }
      } catch (NoSuchTableException e) {
        throw new IllegalStateException("table vanished while writing: " + name, e);
      }
    });
  }

  /**
   * Runs one commit of {@code table}; when it loses a race with another writer, runs it again, at
   * most {@code tables.commit_retries} times, pausing 0.5 s, 1 s, 1.5 s... (plus jitter, so two
   * losers do not collide again). Other failures pass through at once.
   */
  void withRetries(String table, String operation, Runnable commit) {
    for (int attempt = 1; ; attempt++) {
      try {
        commit.run();
        if (attempt > 1) {
          LOG.info("{}: {} committed on attempt {}", table, operation, attempt);
        }
        return;
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
              + org.critmin.run.Failures.summary(e));
        }
        long pause = RETRY_PAUSE_MILLIS * attempt
            + java.util.concurrent.ThreadLocalRandom.current().nextLong(RETRY_PAUSE_MILLIS);
        LOG.warn("{}: {} conflicted with a concurrent writer ({}); retry {} of {} in {} ms",
            table, operation, org.critmin.run.Failures.summary(e), attempt,
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
   * Logs and remembers a write, with the row count Delta recorded in the commit (no recount);
   * returns that count.
   */
  private long recordWrite(TableSpec spec, long rows, long startNanos) {
    String name = tableName(spec);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    writes.add(new Write(name, rows, seconds));
    LOG.info("wrote {}: {} rows in {} s", name, rows, String.format("%.1f", seconds));
    return rows;
  }

  /**
   * The rows this run's newest commit of {@code spec} wrote, read from the table's JSON commit
   * files rather than by a Spark query on its history (Delta protocol: one action a line; the
   * {@code commitInfo} action carries {@code operationMetrics.numOutputRows}, and
   * {@code userMetadata}, which critmin's writes set to the run id). Newest commits are read
   * first, down to the first one older than the write; another run's commits are passed over.
   * 0 when this run made no commit since {@code sinceMillis} (Delta commits nothing for an empty
   * append) or the commit reports no rows.
   */
  long committedRows(TableSpec spec, String runId, long sinceMillis) {
    return committed(spec, runId, sinceMillis).rows();
  }

  /**
   * A commit of this run: its version ({@link #NO_COMMIT} if none) and the rows it wrote, with
   * the newest version of the log it was found in ({@link #NO_COMMIT} for an empty log).
   */
  private record Commit(long version, long rows, long logVersion) {}

  /** This run's newest commit of {@code spec} since {@code sinceMillis} (see committedRows). */
  private Commit committed(TableSpec spec, String runId, long sinceMillis) {
    Path log = new Path(location(spec), "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(hadoopConf());
      FileStatus[] commits = newestFirst(commitFiles(fs, log));
      long logVersion = commits.length == 0 ? NO_COMMIT : version(commits[0]);
      for (FileStatus commit : commits) {
        JsonNode info = commitInfo(fs, commit.getPath());
        if (info == null) {
          continue;
        }
        if (info.path("timestamp").asLong(Long.MAX_VALUE) < sinceMillis) {
          break;
        }
        if (runId.equals(info.path("userMetadata").asText(null))) {
          JsonNode rows = info.path("operationMetrics").path("numOutputRows");
          return new Commit(version(commit),
              rows.isMissingNode() ? 0 : Long.parseLong(rows.asText()), logVersion);
        }
      }
      return new Commit(NO_COMMIT, 0, logVersion);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the commits of " + tableName(spec) + " in "
          + log, e);
    }
  }

  /** The version of a JSON commit file (its name is the zero-padded version). */
  private static long version(FileStatus commit) {
    String name = commit.getPath().getName();
    return Long.parseLong(name.substring(0, name.indexOf('.')));
  }

  /** The JSON commit files of the Delta log folder {@code log}. */
  private static FileStatus[] commitFiles(FileSystem fs, Path log) throws IOException {
    return fs.listStatus(log, p -> COMMIT_FILE.matcher(p.getName()).matches());
  }

  /** {@code commits} sorted from the newest version down (names are zero-padded versions). */
  private static FileStatus[] newestFirst(FileStatus[] commits) {
    Arrays.sort(commits,
        Comparator.comparing((FileStatus f) -> f.getPath().getName()).reversed());
    return commits;
  }

  /** The {@code commitInfo} action of one commit file, or null if it has none. */
  private static JsonNode commitInfo(FileSystem fs, Path commit) throws IOException {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(fs.open(commit), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("{\"commitInfo\"")) {
          return JSON.readTree(line).get("commitInfo");
        }
      }
    }
    return null;
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
        if (status.isDirectory() && fs.exists(new Path(status.getPath(), "_delta_log"))) {
          tables.add(status.getPath().getName());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    tables.sort(String::compareTo);
    return tables;
  }

  private boolean isDeltaTable(String location) {
    Path log = new Path(location, "_delta_log");
    try {
      return log.getFileSystem(hadoopConf()).exists(log);
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
  private static Dataset<Row> conform(TableSpec spec, Dataset<Row> rows) {
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
  static String quoteIdentifier(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** A SQL string literal: the value quoted, with quotes and backslashes escaped. */
  static String sqlString(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
