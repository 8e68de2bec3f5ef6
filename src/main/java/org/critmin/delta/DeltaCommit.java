package org.critmin.delta;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.VersionChecksum;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.FileAction;
import org.apache.spark.sql.delta.actions.Format;
import org.apache.spark.sql.delta.actions.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One Delta commit of critmin rows, made through Delta's transaction API rather than through a
 * DataFrame writer: the rows are written as data files by one Spark job, and the commit that
 * adds them also creates the table (schema with comments and NOT NULL columns, description,
 * properties) or removes the rows it replaces.
 *
 * <p>Why not the DataFrame writer: a writer cannot create a table with NOT NULL columns and
 * comments in the commit that adds its first rows (a table created from data is all nullable),
 * so a new table took two commits; and replacing a whole table made Delta rebuild the table's
 * state with two Spark executions, to list the files it removes. Here the files to remove come
 * from the checksum file of the version read, which lists them for tables of up to
 * {@code spark.databricks.delta.allFilesInCrc.thresholdNumFiles} (50) files; only larger tables
 * rebuild the state. Measured on one 1,000-row table: 2 Spark executions to create it instead of
 * 3, and 1 instead of 5 to replace it (docs/performance.md).
 *
 * <p>Concurrency is Delta's: a replace reads the whole table, so a concurrent commit to it makes
 * this one fail with a {@link java.util.ConcurrentModificationException} (retried by
 * {@link TableWriter}); an append reads nothing and commits beside concurrent appends.
 */
final class DeltaCommit {

  /** What a commit did: its version, the rows it added, and the version it replaced (-1: none). */
  record Result(long version, long rowsAdded, long versionBefore) {
    boolean created() {
      return versionBefore < 0;
    }
  }

  private DeltaCommit() {}

  /**
   * Writes {@code rows} (already in the spec's columns and types) into the table at
   * {@code location}, creating it if it does not exist; with {@code replace} every existing row
   * is removed in the same commit. The commit carries {@code runId} as its user metadata.
   */
  static Result write(SparkSession spark, TableSpec spec, String location,
      Map<String, String> properties, Dataset<Row> rows, boolean replace, String runId) {
    DeltaLog log = DeltaLog.forTable(spark, new Path(location));
    OptimisticTransaction txn = log.startTransaction();
    long versionBefore = txn.readVersion();
    List<Action> actions = new ArrayList<>();
    if (versionBefore < 0) {
      txn.updateMetadata(newMetadata(spec, properties), false);
    } else {
      evolveSchema(txn, spec.schema());
      if (replace) {
        actions.addAll(removeAll(txn));
      }
    }
    List<FileAction> added = CollectionConverters.asJava(txn.writeFiles(rows));
    actions.addAll(added);
    SaveMode mode = replace && versionBefore >= 0 ? SaveMode.Overwrite : SaveMode.Append;
    long version = txn.commit(CollectionConverters.asScala(actions).toSeq(),
        new DeltaOperations.Write(mode, Option.empty(), Option.empty(), Option.apply(runId)));
    return new Result(version, rowsOf(added), versionBefore);
  }

  /** The table's first metadata: the spec's schema, comment and {@code properties}. */
  private static Metadata newMetadata(TableSpec spec, Map<String, String> properties) {
    return new Metadata(UUID.randomUUID().toString(), null, spec.comment(),
        new Format("parquet", scalaMap(Map.of())), spec.schema().json(),
        CollectionConverters.asScala(spec.partitionColumns()).toList(), scalaMap(properties),
        Option.apply(System.currentTimeMillis()));
  }

  /**
   * Appends to the table's schema the columns of {@code contract} it lacks (a newer critmin's
   * columns), as nullable: the rows already in the table have no value for them.
   */
  private static void evolveSchema(OptimisticTransaction txn, StructType contract) {
    Metadata current = txn.metadata();
    StructType schema = current.schema();
    StructType evolved = schema;
    for (StructField field : contract.fields()) {
      if (!List.of(schema.fieldNames()).contains(field.name())) {
        evolved = evolved.add(field.copy(field.name(), field.dataType(), true,
            field.metadata()));
      }
    }
    if (evolved != schema) {
      txn.updateMetadata(new Metadata(current.id(), current.name(), current.description(),
          current.format(), evolved.json(), current.partitionColumns(), current.configuration(),
          current.createdTime()), false);
    }
  }

  /**
   * Remove actions for every file of the version the transaction read, which it then counts as
   * read whole: from the version's checksum file where it lists the files, else from Delta's
   * state of the table.
   */
  private static List<Action> removeAll(OptimisticTransaction txn) {
    Option<VersionChecksum> checksum = txn.snapshot().checksumOpt();
    List<AddFile> files;
    if (checksum.isDefined() && checksum.get().allFiles().isDefined()) {
      txn.readWholeTable();
      files = CollectionConverters.asJava(checksum.get().allFiles().get());
    } else {
      files = CollectionConverters.asJava(txn.filterFiles());
    }
    List<Action> removes = new ArrayList<>(files.size());
    for (AddFile file : files) {
      removes.add(file.remove());
    }
    return removes;
  }

  /** Rows added by {@code actions}, from the files' statistics; -1 where a file has none. */
  private static long rowsOf(List<FileAction> actions) {
    long rows = 0;
    for (FileAction action : actions) {
      if (action instanceof AddFile add) {
        Option<Object> records = add.numLogicalRecords();
        if (records.isEmpty()) {
          return -1;
        }
        rows += (Long) records.get();
      }
    }
    return rows;
  }

  private static scala.collection.immutable.Map<String, String> scalaMap(Map<String, String> map) {
    return scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(map));
  }
}
