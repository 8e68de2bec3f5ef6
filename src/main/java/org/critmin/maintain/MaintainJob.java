package org.critmin.maintain;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.config.UserInputException;
import org.critmin.delta.Catalog;
import org.critmin.delta.TableSpec;
import org.critmin.delta.Tables;
import org.critmin.delta.Warehouse;
import org.critmin.run.Job;
import org.critmin.run.RunContext;

/**
 * {@code jobs/critmin maintain}: for every table of the contract, sets the configured table
 * properties, compacts the data files with OPTIMIZE (Z-ordered on the table's
 * {@link TableSpec#zorderColumns()}), removes files no version within
 * {@code maintain.vacuum_retention_hours} needs with VACUUM, and prints each table's history.
 *
 * <p>It runs under the warehouse's {@link WriterLock}, like every command that writes, so that no
 * other critmin run writes meanwhile: OPTIMIZE is a commit like any other (a concurrent writer would
 * retry), but VACUUM with a short retention can delete the files of a write that has not committed
 * yet. Where the lock is only advisory (S3), schedule it when nothing else writes. A retention below Delta's safe default of 168 hours is refused
 * unless forced, because readers of older versions (time travel, long queries) lose their files.
 */
public final class MaintainJob implements Job {
  private static final Logger LOG = LogManager.getLogger(MaintainJob.class);

  /** Delta's default {@code delta.deletedFileRetentionDuration}, below which VACUUM is unsafe. */
  public static final int SAFE_RETENTION_HOURS = 168;

  private final boolean force;
  private final PrintStream out;

  public MaintainJob(boolean force, PrintStream out) {
    this.force = force;
    this.out = out;
  }

  /** Refuses a retention below the safe default unless {@code force}; says why. */
  public static void checkRetention(int hours, boolean force) {
    if (hours < SAFE_RETENTION_HOURS && !force) {
      throw new UserInputException("maintain.vacuum_retention_hours = " + hours + " is below "
          + "Delta's safe default of " + SAFE_RETENTION_HOURS + " hours: VACUUM would delete files "
          + "that time travel to older versions and long-running readers still need; use --force "
          + "to vacuum anyway");
    }
  }

  /** What maintenance found and did for one table. */
  record Summary(String table, long versions, String lastOperation, String lastRun,
      long filesBefore, long filesOptimized, long onDiskBefore, long onDiskAfter) {}

  @Override
  public String name() {
    return "maintain";
  }

  @Override
  public void run(RunContext context) {
    int hours = context.config().delta().vacuumRetentionHours();
    checkRetention(hours, force);
    Warehouse warehouse = context.warehouse();
    List<Summary> summaries = new ArrayList<>();
    for (TableSpec spec : Tables.ALL) {
      if (warehouse.exists(spec)) {
        summaries.add(maintain(context.spark(), warehouse, spec, hours));
      }
    }
    print(summaries, hours);
    context.count(summaries.size(), summaries.size(), 0);
  }

  private Summary maintain(SparkSession spark, Warehouse warehouse, TableSpec spec, int hours) {
    String name = warehouse.tableName(spec);
    DeltaTable table = DeltaTable.forPath(spark, warehouse.location(spec));
    Row last = table.history(1).select("version", "operation", "userMetadata").first();
    long filesBefore = numFiles(table);
    long onDiskBefore = dataFilesOnDisk(spark, warehouse.location(spec));

    warehouse.withRetries(name, "set properties", () -> setProperties(spark, warehouse, spec,
        table));
    warehouse.withRetries(name, "optimize", () -> {
      if (spec.zorderColumns().isEmpty()) {
        table.optimize().executeCompaction();
      } else {
        table.optimize().executeZOrderBy(spec.zorderColumns().toArray(String[]::new));
      }
    });
    long filesOptimized = numFiles(table);
    vacuum(spark, table, hours);
    long onDiskAfter = dataFilesOnDisk(spark, warehouse.location(spec));
    LOG.info("{}: {} -> {} files, {} -> {} on disk", name, filesBefore, filesOptimized,
        onDiskBefore, onDiskAfter);
    return new Summary(name, last.getLong(0) + 1, last.getString(1),
        last.isNullAt(2) ? "" : last.getString(2), filesBefore, filesOptimized, onDiskBefore,
        onDiskAfter);
  }

  /** Sets the configured properties that differ on the table (older tables, changed config). */
  private static void setProperties(SparkSession spark, Warehouse warehouse, TableSpec spec,
      DeltaTable table) {
    Map<String, String> current = table.detail().select("properties").first().getJavaMap(0);
    String changed = warehouse.tableProperties().entrySet().stream()
        .filter(p -> !p.getValue().equals(current.get(p.getKey())))
        .sorted(Map.Entry.comparingByKey())
        .map(p -> Catalog.sqlString(p.getKey()) + " = " + Catalog.sqlString(p.getValue()))
        .collect(Collectors.joining(", "));
    if (!changed.isEmpty()) {
      spark.sql("ALTER TABLE delta." + Catalog.quoteIdentifier(warehouse.location(spec))
          + " SET TBLPROPERTIES (" + changed + ")");
    }
  }

  /**
   * VACUUM keeping {@code hours}; Delta's own guard against short retentions is lifted only for
   * this call, and only when {@link #checkRetention} let a forced short retention through.
   */
  private static void vacuum(SparkSession spark, DeltaTable table, int hours) {
    String guard = "spark.databricks.delta.retentionDurationCheck.enabled";
    boolean lift = hours < SAFE_RETENTION_HOURS;
    String before = spark.conf().get(guard, "true");
    if (lift) {
      spark.conf().set(guard, "false");
    }
    try {
      table.vacuum(hours);
    } finally {
      spark.conf().set(guard, before);
    }
  }

  private static long numFiles(DeltaTable table) {
    return table.detail().select("numFiles").first().getLong(0);
  }

  /** Data files under the table's folder (the commit log not counted), referenced or not. */
  private static long dataFilesOnDisk(SparkSession spark, String location) {
    Path dir = new Path(location);
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      long n = 0;
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(dir, true);
      while (files.hasNext()) {
        Path file = files.next().getPath();
        if (file.getName().endsWith(".parquet")
            && !file.toString().contains("/_delta_log/")) {
          n++;
        }
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private void print(List<Summary> summaries, int hours) {
    out.printf("%-40s %8s  %-18s %-26s %16s %18s%n", "table", "versions", "last operation",
        "last run", "files optimized", "on disk vacuumed");
    for (Summary s : summaries) {
      out.printf("%-40s %8d  %-18s %-26s %7d -> %-6d %8d -> %-6d%n", s.table(), s.versions(),
          s.lastOperation(), s.lastRun(), s.filesBefore(), s.filesOptimized(), s.onDiskBefore(),
          s.onDiskAfter());
    }
    out.printf("%d tables: OPTIMIZE (Z-ordered where the table names columns), VACUUM RETAIN %d "
        + "HOURS%n", summaries.size(), hours);
  }
}
