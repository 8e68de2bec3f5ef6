package org.critmin.delta;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.critmin.config.CritminConfig.DeltaSettings;
import org.critmin.config.Failures;

/**
 * Writes rows of the contract as Delta commits, one per write: the rows conformed to the spec's
 * columns and types, the table created with its schema, comments and properties on its first
 * write, whole-table replaces through {@link DeltaCommit}, scoped ones through Delta's overwrite
 * by condition; and a commit that loses a race with another writer retried
 * ({@code tables.commit_retries} times, with a growing pause).
 */
public final class TableWriter {
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(TableWriter.class);
  private static final long RETRY_PAUSE_MILLIS = 500;
  /**
   * Delta's errors when a table folder, or its log folder, exists without a first commit: another
   * run is creating the table (creating it, or registering it, respectively).
   */
  private static final Set<String> CREATE_RACES = Set.of(
      "DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION", "DELTA_CREATE_EXTERNAL_TABLE_WITHOUT_TXN_LOG");

  /**
   * One write: the table's catalog name, the rows the commit wrote (-1 if unknown), how long it
   * took, and the table version it replaced (-1 when the write created the table).
   */
  public record Write(String table, long rows, double seconds, long versionBefore) {}

  private final SparkSession spark;
  private final DeltaSettings settings;

  TableWriter(SparkSession spark, DeltaSettings settings) {
    this.spark = spark;
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
   * Replaces the rows of {@code spec} at {@code location} that match {@code scope} by
   * {@code rows}, in one commit carrying the run id; see {@link Warehouse#replace}.
   */
  Write replace(TableSpec spec, String name, String location, Dataset<Row> rows, Column scope,
      String runId) {
    long start = System.nanoTime();
    Dataset<Row> conformed = conform(spec, rows);
    DeltaCommit.Result result = retried(name, "replace", () -> {
      if (isWholeTable(scope)) {
        return DeltaCommit.write(spark, spec, location, tableProperties(), conformed, true, runId);
      }
      long before = TableLog.currentVersion(spark, location);
      if (before < 0) {
        return DeltaCommit.write(spark, spec, location, tableProperties(), conformed, false,
            runId);
      }
      return overwriteWhere(name, location, conformed, scope, runId, before);
    });
    return logged(name, result, start);
  }

  /** Appends {@code rows} to {@code spec} at {@code location} in one commit. */
  Write append(TableSpec spec, String name, String location, Dataset<Row> rows, String runId) {
    long start = System.nanoTime();
    Dataset<Row> conformed = conform(spec, rows);
    DeltaCommit.Result result = retried(name, "append", () -> DeltaCommit.write(spark, spec,
        location, tableProperties(), conformed, false, runId));
    return logged(name, result, start);
  }

  /**
   * Delta's overwrite of the rows matching {@code scope} in the existing table, as one commit
   * tagged with the run id; its version and row count come from the commit's {@code commitInfo},
   * or 0 rows at the same version when there was nothing to commit.
   */
  private DeltaCommit.Result overwriteWhere(String name, String location, Dataset<Row> rows,
      Column scope, String runId, long versionBefore) {
    try {
      rows.writeTo("delta." + Catalog.quoteIdentifier(location)).option("userMetadata", runId)
          .overwrite(scope);
    } catch (NoSuchTableException e) {
      throw new IllegalStateException("table vanished while writing: " + name, e);
    }
    // Delta commits nothing when there was nothing to remove and nothing to add.
    return TableLog.commitOfRun(spark, location, versionBefore, runId)
        .map(c -> new DeltaCommit.Result(c.version(), c.rows(), versionBefore))
        .orElse(new DeltaCommit.Result(versionBefore, 0, versionBefore));
  }

  private static Write logged(String name, DeltaCommit.Result result, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    LOG.info("wrote {}: {} rows in {} s (version {}{})", name, result.rowsAdded(),
        String.format("%.1f", seconds), result.version(), result.created() ? ", created" : "");
    return new Write(name, result.rowsAdded(), seconds, result.versionBefore());
  }

  /**
   * Runs one commit of {@code table} and returns its result; when it loses a race with another
   * writer, runs it again, at most {@code tables.commit_retries} times, pausing 0.5 s, 1 s,
   * 1.5 s... (plus jitter, so two losers do not collide again). Other failures pass through.
   */
  <T> T retried(String table, String operation, Supplier<T> commit) {
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
              + Failures.summary(e));
        }
        long pause = RETRY_PAUSE_MILLIS * attempt
            + ThreadLocalRandom.current().nextLong(RETRY_PAUSE_MILLIS);
        LOG.warn("{}: {} conflicted with a concurrent writer ({}); retry {} of {} in {} ms",
            table, operation, Failures.summary(e), attempt, settings.commitRetries(), pause);
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

  /** Whether {@code scope} is {@code lit(true)}: the write replaces the whole table. */
  public static boolean isWholeTable(Column scope) {
    return functions.lit(true).equals(scope);
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
}
