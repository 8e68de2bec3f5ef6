package org.critmin.delta;

import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
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
import org.apache.spark.sql.types.StructField;

/**
 * The Delta warehouse: where each table lives ({@code <root>/<layer>/<table>}), its catalog name
 * ({@code <prefix>_<layer>.<table>}), and the one way critmin writes tables. Writes are atomic Delta
 * commits; {@link #replace} swaps exactly the rows a run recomputes, so a re-run never duplicates.
 */
public final class Warehouse {
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(Warehouse.class);

  /** Properties every critmin table gets at creation (STACK-NOTES 3.4). */
  private static final Map<String, String> TABLE_PROPERTIES = Map.of(
      "delta.enableChangeDataFeed", "true",
      "delta.logRetentionDuration", "interval 30 days",
      "delta.deletedFileRetentionDuration", "interval 7 days");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  private static final List<String> LAYERS = List.of("bronze", "silver", "gold");

  private final SparkSession spark;
  private final String root;
  private final String prefix;
  private final Set<String> ensured = new HashSet<>();
  private final List<String> reads = new ArrayList<>();
  private final List<Write> writes = new ArrayList<>();

  /** One write of this warehouse: the table, the rows the commit wrote, and how long it took. */
  public record Write(String table, long rows, double seconds) {}

  public Warehouse(SparkSession spark, String root, String prefix) {
    if (!IDENTIFIER.matcher(prefix).matches()) {
      throw new IllegalArgumentException("bad database prefix " + prefix);
    }
    this.spark = spark;
    this.root = qualify(spark, root);
    this.prefix = prefix;
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
   * Rows in a registered table. Delta answers a plain count from the file statistics of its log,
   * without reading the data, so this is cheap even for large tables.
   */
  public long rowCount(String tableName) {
    return spark.read().table(tableName).count();
  }

  /**
   * Creates the table with its schema, comments and properties if it does not exist, and registers
   * it in the catalog either way.
   */
  public void ensureTable(TableSpec spec) {
    if (!ensured.add(tableName(spec))) {
      return;
    }
    createDatabase(spec.layer());
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
    for (Map.Entry<String, String> property : TABLE_PROPERTIES.entrySet()) {
      builder = builder.property(property.getKey(), property.getValue());
    }
    builder.execute();
  }

  /**
   * Replaces the rows of {@code spec} that match {@code scope} by {@code rows}, in one commit. Every
   * new row must itself match {@code scope} (Delta checks it). The commit carries the run id.
   * Columns a newer critmin adds to the contract are appended to an existing table. Returns the
   * number of rows written, from the commit's metrics (no second scan of the table).
   */
  public long replace(TableSpec spec, Dataset<Row> rows, Column scope, String runId) {
    long start = System.nanoTime();
    ensureTable(spec);
    LOG.debug("{}: table ready in {} ms", tableName(spec), (System.nanoTime() - start) / 1_000_000);
    try {
      conform(spec, rows).writeTo(tableName(spec))
          .option("userMetadata", runId)
          .option("mergeSchema", "true")
          .overwrite(scope);
    } catch (NoSuchTableException e) {
      throw new IllegalStateException("table vanished while writing: " + tableName(spec), e);
    }
    return recordWrite(spec, start);
  }

  /** Appends {@code rows} to {@code spec} in one commit. */
  public void append(TableSpec spec, Dataset<Row> rows, String runId) {
    long start = System.nanoTime();
    ensureTable(spec);
    try {
      conform(spec, rows).writeTo(tableName(spec)).option("userMetadata", runId)
          .option("mergeSchema", "true").append();
    } catch (NoSuchTableException e) {
      throw new IllegalStateException("table vanished while writing: " + tableName(spec), e);
    }
    recordWrite(spec, start);
  }

  /**
   * Logs and remembers a write, with the row count Delta recorded in the commit (no recount);
   * returns that count.
   */
  private long recordWrite(TableSpec spec, long startNanos) {
    String name = tableName(spec);
    Row commit = DeltaTable.forName(spark, name).history(1).select("operationMetrics").head();
    String written = commit.isNullAt(0) ? null
        : commit.<String, String>getJavaMap(0).get("numOutputRows");
    // No numOutputRows: the last commit wrote no data (Delta skips an empty append, leaving
    // the table's CREATE as its latest commit).
    long rows = written == null ? 0 : Long.parseLong(written);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    writes.add(new Write(name, rows, seconds));
    LOG.info("wrote {}: {} rows in {} s", name, rows, String.format("%.1f", seconds));
    return rows;
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
        if (!spark.catalog().tableExists(name)) {
          spark.sql("CREATE TABLE IF NOT EXISTS " + name + " USING DELTA LOCATION "
              + sqlString(root + "/" + layer + "/" + table));
        }
        registered.add(name);
      }
    }
    return registered;
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
      spark.sql("CREATE DATABASE IF NOT EXISTS " + db);
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

  /** A SQL string literal: the value quoted, with quotes and backslashes escaped. */
  static String sqlString(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
