package org.critmin.run;

import org.apache.spark.sql.SparkSession;
import org.critmin.config.CritminConfig;
import org.critmin.delta.Warehouse;
import org.critmin.reference.ReferenceData;

/**
 * What every job of one run shares: the session, the validated configuration, the warehouse, the run
 * id stamped on every row written, the reference data (loaded once, on first use) and the run's counts
 * for {@code pipeline_runs}.
 */
public final class RunContext {
  private final SparkSession spark;
  private final CritminConfig config;
  private final Warehouse warehouse;
  private final String runId;
  private ReferenceData reference;
  private long rowsIn;
  private long rowsOut;
  private long rowsRejected;
  private final java.util.Map<String, String> outputs = new java.util.LinkedHashMap<>();

  public RunContext(SparkSession spark, CritminConfig config, Warehouse warehouse, String runId) {
    this.spark = spark;
    this.config = config;
    this.warehouse = warehouse;
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

  public String runId() {
    return runId;
  }

  public ReferenceData reference() {
    if (reference == null) {
      reference = ReferenceData.load(spark, config.referenceDir());
    }
    return reference;
  }

  /** Adds to the run's totals: data lines read, rows written by the main output, lines rejected. */
  public void count(long in, long out, long rejected) {
    rowsIn += in;
    rowsOut += out;
    rowsRejected += rejected;
  }

  /** Records a file output of the run (the report), shown in the summary at the end. */
  public void addOutput(String label, String location) {
    outputs.put(label, location);
  }

  java.util.Map<String, String> outputs() {
    return java.util.Map.copyOf(outputs);
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
