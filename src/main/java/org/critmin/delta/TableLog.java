package org.critmin.delta;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.VersionChecksum;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.CommitInfo;
import scala.Option;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What a table's {@code _delta_log} says, read without rebuilding the table's state where that can
 * be avoided: whether a folder holds a committed version, the newest version, the rows of the
 * newest version from its checksum file, and the commit a run made.
 */
public final class TableLog {
  /** A file of {@code _delta_log} that makes a version: a commit, or a checkpoint of any kind. */
  private static final Pattern VERSION_FILE =
      Pattern.compile("\\d{20}\\.(json|checkpoint\\..*(parquet|json))");

  /** A commit: its version and the rows it wrote (-1 where Delta did not record them). */
  public record Commit(long version, long rows) {}

  private TableLog() {}

  /**
   * Whether the table folder's {@code _delta_log} holds a commit or a checkpoint. A folder with an
   * empty log is a run's that died creating the table, and holds no table.
   */
  public static boolean hasCommittedVersion(Configuration conf, Path table) {
    FileStatus[] versions = versionFiles(conf, table);
    return versions != null && versions.length > 0;
  }

  /**
   * The commits and checkpoints in the table folder's {@code _delta_log}, or null when there is
   * no {@code _delta_log}: one listing.
   */
  static FileStatus[] versionFiles(Configuration conf, Path table) {
    Path log = new Path(table, "_delta_log");
    try {
      return log.getFileSystem(conf).listStatus(log,
          file -> VERSION_FILE.matcher(file.getName()).matches());
    } catch (FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }

  /** The version of the table at {@code location} now, or -1 if there is no table. */
  public static long currentVersion(SparkSession spark, String location) {
    return DeltaLog.forTable(spark, new Path(location)).update(false, Option.empty(),
        Option.empty()).version();
  }

  /**
   * Rows of the newest version of the table at {@code location}, from the record counts of its
   * files in the version's checksum file; -1 where the checksum does not list the files.
   */
  public static long checksumRows(SparkSession spark, String location) {
    Option<VersionChecksum> checksum = DeltaLog.forTable(spark, new Path(location))
        .update(false, Option.empty(), Option.empty()).checksumOpt();
    if (checksum.isEmpty() || checksum.get().allFiles().isEmpty()) {
      return -1;
    }
    long rows = 0;
    for (AddFile file : CollectionConverters.asJava(checksum.get().allFiles().get())) {
      Option<Object> records = file.numLogicalRecords();
      if (records.isEmpty()) {
        return -1;
      }
      rows += (Long) records.get();
    }
    return rows;
  }

  /**
   * The first commit after {@code versionBefore} that carries {@code runId} as its user metadata,
   * with the rows its {@code commitInfo} reports; empty when there is none.
   */
  public static Optional<Commit> commitOfRun(SparkSession spark, String location,
      long versionBefore, String runId) {
    DeltaLog log = DeltaLog.forTable(spark, new Path(location));
    var changes = log.getChanges(versionBefore + 1, false);
    while (changes.hasNext()) {
      Tuple2<Object, scala.collection.immutable.Seq<Action>> commit = changes.next();
      for (Action action : CollectionConverters.asJava(commit._2())) {
        if (action instanceof CommitInfo info
            && runId.equals(info.userMetadata().getOrElse(() -> null))) {
          String rowsOut = info.operationMetrics().isDefined()
              ? info.operationMetrics().get().get("numOutputRows").getOrElse(() -> "-1") : "-1";
          return Optional.of(new Commit((Long) commit._1(), Long.parseLong(rowsOut)));
        }
      }
    }
    return Optional.empty();
  }
}
