package org.critmin.run;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.critmin.config.CritminConfig;
import org.critmin.config.Failures;
import org.critmin.config.UserInputException;
import org.critmin.delta.TableWriter;
import org.critmin.delta.Tables;
import org.critmin.delta.Warehouse;
import org.critmin.delta.WriterLock;

/**
 * Owns the life of one command: the session, the run id, the jobs in order, the
 * {@code pipeline_runs} row, and the mapping of failures to exit codes (0 success, 2 a problem with
 * the user's input or configuration, 1 an internal failure).
 */
public final class JobRunner {
  private static final Logger LOG = LogManager.getLogger(JobRunner.class);
  private static final DateTimeFormatter RUN_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  public static final int OK = 0;
  public static final int INTERNAL_ERROR = 1;
  public static final int USER_ERROR = 2;

  private JobRunner() {}

  /** Runs {@code jobs} in order under {@code command}; returns the exit code. */
  public static int run(String command, CritminConfig config, List<Job> jobs) {
    String runId = newRunId();
    Instant started = Instant.now();
    SparkSession spark = null;
    RunContext context = null;
    WriterLock lock = null;
    boolean sessionExisted = SparkSessions.sessionRunning();
    WorkCounter work = null;
    try {
      long sessionStart = System.nanoTime();
      spark = SparkSessions.create(config);
      LOG.info("session ready in {} s", String.format("%.1f",
          (System.nanoTime() - sessionStart) / 1e9));
      Warehouse warehouse = new Warehouse(spark, config.warehouse(), config.databasePrefix(),
          config.delta());
      // Every command run here writes: one at a time per warehouse. A run refused the lock has
      // no context, so it records nothing in the warehouse another run is writing.
      lock = warehouse.lockForWriting(WriterLock.Holder.of(runId, command), config.writerLock());
      context = new RunContext(spark, config, warehouse, runId);
      LOG.info("run {}: {} into {}", runId, command, warehouse.root());
      work = WorkCounter.attach(spark.sparkContext());
      WorkCounter.Work before = work.snapshot();
      List<RunSummary.Stage> stages = new ArrayList<>();
      for (int i = 0; i < jobs.size(); i++) {
        context.keepOutputs(i < jobs.size() - 1);
        stages.add(runLogged(jobs.get(i), context, work));
      }
      if (!context.ledger().writes().isEmpty()) {
        // Plain file output, no Spark work: tools outside critmin find the tables by name. Before
        // the run is recorded, so that a storage failure here is recorded once, as the failure.
        warehouse.catalog().writeRegisterScript();
        context.addOutput("register", warehouse.catalog().registerScriptLocation());
      }
      record(context, command, started, "succeeded", "ok");
      WorkCounter.Work total = work.snapshot().minus(before);
      LOG.info("{}: {} in all", command, total);
      System.out.print(RunSummary.of(command, context, started, stages, total));
      System.out.flush();
      return OK;
    } catch (UserInputException e) {
      System.err.println("critmin " + command + ": " + Failures.printable(e.getMessage()));
      record(context, command, started, "rejected_input", e.getMessage());
      return USER_ERROR;
    } catch (Exception | Error e) {
      // Spark and Delta throw Scala exceptions that Java sees as checked (AnalysisException).
      UserInputException cause = Failures.userCause(e);
      if (cause != null) {
        System.err.println("critmin " + command + ": "
            + Failures.printable(cause.getMessage()));
        record(context, command, started, "rejected_input", cause.getMessage());
        return USER_ERROR;
      }
      LOG.error("run " + runId + " failed", e);
      // Storage that fails (S3 down, permissions, a full disk) is no input problem: exit 1 as for
      // internal failures, so that schedulers retry, but say which path failed.
      IOException storage = Failures.storageCause(e);
      String summary = storage != null
          ? "storage failure: " + firstLine(storage.getMessage())
          : "internal error: " + Failures.summary(e);
      System.err.println("critmin " + command + ": " + Failures.printable(summary));
      record(context, command, started, "failed", summary);
      return INTERNAL_ERROR;
    } finally {
      if (context != null) {
        context.release();
      }
      if (lock != null) {
        lock.close();
      }
      if (work != null) {
        work.close();
      }
      if (spark != null) {
        SparkSessions.stopIfOwned(spark, sessionExisted);
      }
    }
  }

  /**
   * Runs one job, logging its start and its end with the elapsed time, rows in and rows out and
   * the Spark work it did; returns its time and work.
   */
  private static RunSummary.Stage runLogged(Job job, RunContext context, WorkCounter work) {
    WorkCounter.Work workBefore = work.snapshot();
    RunLedger ledger = context.ledger();
    int readsBefore = ledger.reads().size();
    int handedBefore = context.handed().size();
    int writesBefore = ledger.writes().size();
    long linesBefore = context.rowsIn();
    long t0 = System.nanoTime();
    long cpu0 = processCpuNanos();
    LOG.info("{}: started", job.name());
    context.beginStage(job.name());
    job.run(context);
    List<TableWriter.Write> written = ledger.writes().subList(writesBefore,
        ledger.writes().size());
    List<String> writtenNames = written.stream().map(TableWriter.Write::table).toList();
    List<String> read = new ArrayList<>(ledger.reads().subList(readsBefore,
        ledger.reads().size()));
    read.addAll(context.handed().subList(handedBefore, context.handed().size()));
    read = read.stream().distinct().filter(t -> !writtenNames.contains(t)).toList();
    StringBuilder in = new StringBuilder();
    long lines = context.rowsIn() - linesBefore;
    if (lines > 0) {
      in.append(lines).append(" input lines");
    }
    for (String table : read) {
      in.append(in.length() > 0 ? ", " : "").append(table).append(' ')
          .append(ledger.rowCount(table));
    }
    StringBuilder out = new StringBuilder();
    for (TableWriter.Write write : written) {
      out.append(out.length() > 0 ? ", " : "").append(write.table()).append(' ')
          .append(write.rows());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    WorkCounter.Work done = work.snapshot().minus(workBefore);
    // CPU time beside wall time: on a shared machine the wall time depends on the load.
    LOG.info("{}: finished in {} s ({} s of process CPU, {}); rows in: {}; rows out: {}",
        job.name(), String.format("%.1f", seconds),
        String.format("%.1f", (processCpuNanos() - cpu0) / 1e9), done,
        in.length() == 0 ? "none" : in, out.length() == 0 ? "none" : out);
    return new RunSummary.Stage(job.name(), seconds, done);
  }

  /**
   * Records a command that ran outside the stages (an administrator's {@code sql
   * --allow-writes}) in {@code pipeline_runs} of {@code warehouse}, as run {@code runId}.
   */
  public static void recordCommand(SparkSession spark, CritminConfig config, Warehouse warehouse,
      String runId, String command, Instant started, String status, String message) {
    record(new RunContext(spark, config, warehouse, runId), command, started, status, message);
  }

  private static void record(RunContext context, String command, Instant started, String status,
      String message) {
    if (context == null) {
      return;
    }
    try {
      Row row = RowFactory.create(context.runId(), command, Timestamp.from(started),
          Timestamp.from(Instant.now()), status, String.join(",", context.config().inputs()),
          context.config().digest(), Version.VERSION, context.rowsIn(), context.rowsOut(),
          context.rowsRejected(), message, context.spark().sparkContext().applicationId());
      context.ledger().append(Tables.PIPELINE_RUNS,
          context.spark().createDataFrame(List.of(row), Tables.PIPELINE_RUNS.schema()),
          context.runId());
    } catch (Exception e) {
      LOG.warn("could not record run {} in pipeline_runs: {}", context.runId(),
          Failures.summary(e));
    }
  }

  /** CPU time of the whole process (all threads), or 0 where the JVM does not report it. */
  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  /** A new run id: the UTC start time and a random suffix. */
  public static String newRunId() {
    return RUN_ID_TIME.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
