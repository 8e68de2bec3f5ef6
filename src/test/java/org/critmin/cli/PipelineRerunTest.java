package org.critmin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.critmin.CommandResult;
import org.critmin.SampleWarehouse;
import org.critmin.SparkTestSession;
import org.critmin.TableContents;
import org.critmin.delta.TableSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sample pipeline run a second time into its warehouse (a second pipeline, so in the e2e
 * tier): every table holds as many rows as before, and pipeline_runs one more run.
 */
@Tag("e2e")
class PipelineRerunTest {

  @Test
  void runningAgainChangesNoTable() {
    SparkSession spark = SparkTestSession.get();
    String warehouse = SampleWarehouse.root().toString();
    Map<String, Long> before = counts(spark, warehouse);
    long runs = runs(spark, warehouse);
    CommandResult again = SampleWarehouse.runAgain();
    assertEquals(0, again.exitCode(), again.err());
    assertEquals(before, counts(spark, warehouse));
    assertEquals(runs + 1, runs(spark, warehouse));
  }

  private static Map<String, Long> counts(SparkSession spark, String warehouse) {
    Map<String, Long> counts = new HashMap<>();
    for (TableSpec spec : TableContents.compared()) {
      counts.put(spec.name(), TableContents.read(spark, warehouse, spec).count());
    }
    return counts;
  }

  private static long runs(SparkSession spark, String warehouse) {
    return TableContents.read(spark, warehouse, org.critmin.delta.Tables.PIPELINE_RUNS)
        .filter("status = 'succeeded' AND command = 'pipeline'").count();
  }
}
