package org.critmin.run;

import static org.apache.spark.sql.functions.not;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.critmin.config.CritminConfig;
import org.critmin.delta.TableSpec;
import org.critmin.delta.TableWriter;
import org.critmin.delta.Warehouse;
import org.critmin.reference.ReferenceData;

/**
 * What every job of one run shares: the session, the validated configuration, the warehouse, the run
 * id stamped on every row written, the reference data (loaded once, on first use), the run's counts
 * for {@code pipeline_runs}, and the tables the run has written so far.
 *
 * <p>One data flow (docs/architecture.md, "One data flow"): when later stages of the run follow, a
 * table a stage writes is kept in memory (persisted as it is written) and handed to the stages that
 * read it, so a run never reads back a table it has just written. A stage run alone reads its
 * inputs from the warehouse; the stage code is the same.
 */
public final class RunContext {
  private static final Logger LOG = LogManager.getLogger(RunContext.class);
  private final SparkSession spark;
  private final CritminConfig config;
  private final Warehouse warehouse;
  private final RunLedger ledger;
  private final String runId;
  private ReferenceData reference;
  private long rowsIn;
  private long rowsOut;
  private long rowsRejected;
  private final Map<String, String> outputs = new LinkedHashMap<>();
  private final List<String> notices = new ArrayList<>();
  /** Tables written by this run and kept for its later stages, by table. */
  private final Map<TableSpec, Dataset<Row>> kept = new LinkedHashMap<>();
  /** Datasets persisted for {@link #kept}, released at the end of the run. */
  private final List<Dataset<Row>> persisted = new ArrayList<>();
  /** Tables handed to stages from memory, in order, with repeats. */
  private final List<String> handed = new ArrayList<>();
  private boolean keepOutputs;
  private String stage = "";

  public RunContext(SparkSession spark, CritminConfig config, Warehouse warehouse, String runId) {
    this.spark = spark;
    this.config = config;
    this.warehouse = warehouse;
    this.ledger = new RunLedger(spark, warehouse);
    this.runId = runId;
  }

  public SparkSession spark() {
    return spark;
  }

  public CritminConfig config() {
    return config;
  }

  public Warehouse warehouse() {
    return warehouse;
  }

  /** What this run read and wrote. */
  RunLedger ledger() {
    return ledger;
  }

  public String runId() {
    return runId;
  }

  public ReferenceData reference() {
    if (reference == null) {
      LOG.info("reference tables from {}", config.referenceDir());
      reference = ReferenceData.load(spark, config.referenceDir());
    }
    return reference;
  }

  /**
   * A table of the contract as this run sees it: what an earlier stage of the run wrote, from
   * memory, else the table in the warehouse, which must exist.
   */
  public Dataset<Row> table(TableSpec spec) {
    Dataset<Row> rows = kept.get(spec);
    if (rows != null) {
      handed.add(warehouse.tableName(spec));
      return rows;
    }
    return ledger.read(spec);
  }

  /** {@link #table}, or empty when the run has not written it and the warehouse lacks it. */
  public Optional<Dataset<Row>> tableIfExists(TableSpec spec) {
    return kept.containsKey(spec) || warehouse.exists(spec) ? Optional.of(table(spec))
        : Optional.empty();
  }

  /**
   * Replaces the rows of {@code spec} that match {@code scope} by {@code rows} (see
   * {@link Warehouse#replace}) and, when later stages follow, keeps the table's new contents for
   * them: the rows written, persisted as the write computes them, plus the rows outside
   * {@code scope} of the version the write replaced. Returns the rows written.
   */
  public long write(TableSpec spec, Dataset<Row> rows, Column scope) {
    describe(stage + ": " + warehouse.tableName(spec));
    try {
      return writeAndKeep(spec, rows, scope);
    } finally {
      describe(stage);
    }
  }

  private long writeAndKeep(TableSpec spec, Dataset<Row> rows, Column scope) {
    if (!keepOutputs) {
      return ledger.replace(spec, rows, scope, runId).rows();
    }
    Dataset<Row> written = TableWriter.conform(spec, rows);
    // Rows built on the driver (shock estimates, ingest's per-file counts) are a local relation
    // already; anything else is checkpointed, filled by the write's own job.
    if (!(written.queryExecution().optimizedPlan() instanceof LocalRelation)) {
      written = written.localCheckpoint(false);
      persisted.add(written);
    }
    TableWriter.Write write = ledger.replace(spec, written, scope, runId);
    long versionBefore = write.versionBefore();
    boolean whole = TableWriter.isWholeTable(scope) || versionBefore < 0;
    kept.put(spec, whole ? written
        : written.unionByName(warehouse.readVersion(spec, versionBefore).filter(not(scope))));
    return write.rows();
  }

  /**
   * Starts a stage: the Spark jobs that follow carry its name in the Spark UI and event log
   * ("critmin ingest", "critmin ingest: critmin_bronze.trade_records" while a table is written).
   */
  void beginStage(String name) {
    stage = name;
    describe(name);
  }

  private void describe(String what) {
    spark.sparkContext().setJobDescription("critmin " + what);
  }

  /** Tells the context whether stages follow the current one, which then get its outputs. */
  void keepOutputs(boolean keep) {
    keepOutputs = keep;
  }

  /** The catalog names of the tables handed to stages from memory, in order, with repeats. */
  List<String> handed() {
    return List.copyOf(handed);
  }

  /** Releases the datasets kept for later stages. */
  void release() {
    persisted.forEach(Dataset::unpersist);
    persisted.clear();
    kept.clear();
  }

  /** Adds to the run's totals: data lines read, rows written by the main output, lines rejected. */
  public void count(long in, long out, long rejected) {
    rowsIn += in;
    rowsOut += out;
    rowsRejected += rejected;
  }

  /** Records something the user should know of a run that succeeded, shown in the summary. */
  public void addNotice(String notice) {
    notices.add(notice);
  }

  List<String> notices() {
    return List.copyOf(notices);
  }

  /** Records a file output of the run (the report), shown in the summary at the end. */
  public void addOutput(String label, String location) {
    outputs.put(label, location);
  }

  Map<String, String> outputs() {
    return Map.copyOf(outputs);
  }

  long rowsIn() {
    return rowsIn;
  }

  long rowsOut() {
    return rowsOut;
  }

  long rowsRejected() {
    return rowsRejected;
  }
}
