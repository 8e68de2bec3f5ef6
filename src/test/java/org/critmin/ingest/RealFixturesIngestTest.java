package org.critmin.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.CommandResult;
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real 47-column Comtrade plus fixture (latin-1, every value quoted, a trailing comma on every
 * line) and the full real nickel API extract read without a single rejected line, and the
 * extract's partner rows add up to its World rows. End-to-end tier: an ingest and a refine of their
 * own (the default suite reads the same extract's years 2010-2015 in the sample pipeline).
 */
@Tag("e2e")
class RealFixturesIngestTest {

  @TempDir
  static java.nio.file.Path dir;

  @Test
  void realFilesReadCleanly() {
    SparkSession spark = SparkTestSession.get();
    String fixtures = CommandResult.home() + "/src/test/resources/fixtures";
    // Only the stages the checks need: ingest, then refine (data_quality).
    for (String stage : List.of("ingest", "refine")) {
      CommandResult result = CommandResult.run(stage, "--warehouse", dir.toString(),
          "--input", fixtures, "--set", "database_prefix=real",
          "--set", "spark.console_progress=false");
      assertEquals(0, result.exitCode(), stage + ": " + result.err());
    }
    Row tha = spark.sql("SELECT sum(rows_read), sum(rows_kept), sum(rows_rejected), "
        + "sum(rows_out_of_scope), sum(rows_aggregate), count(DISTINCT period) "
        + "FROM real_bronze.ingest_files WHERE source_file LIKE '%THA_imports%'").first();
    // 1,178 data lines of HS 8542 (integrated circuits): four-digit codes, so all aggregates.
    assertEquals(1178L, tha.getLong(0));
    assertEquals(0L, tha.getLong(1));
    assertEquals(0L, tha.getLong(2));
    assertEquals(1178L, tha.getLong(3) + tha.getLong(4));
    assertEquals(11L, tha.getLong(5));
    Row nickel = spark.sql("SELECT sum(rows_read), sum(rows_kept), sum(rows_rejected), "
        + "count(DISTINCT period) FROM real_bronze.ingest_files "
        + "WHERE source_file LIKE '%nickel_2000-2015%'").first();
    assertEquals(9754L, nickel.getLong(0));
    assertEquals(9754L, nickel.getLong(1));
    assertEquals(0L, nickel.getLong(2));
    assertEquals(16L, nickel.getLong(3));
    assertEquals(0L, spark.sql("SELECT count(*) FROM real_bronze.rejected_records").first()
        .getLong(0));
    // Partners add up to World for every reporter, flow, code and year of the extract (the source
    // is off by 2 to 4 USD in 8 of 2,570 groups: rounding, inside the tolerance).
    Row quality = spark.sql("SELECT count(*), sum(world_total_mismatches), sum(rows_read), "
        + "sum(rows_kept + rows_rejected + rows_filtered) FROM real_gold.data_quality "
        + "WHERE source_file LIKE '%nickel_2000-2015%'").first();
    assertEquals(16L, quality.getLong(0));
    assertEquals(0L, quality.getLong(1));
    assertEquals(quality.getLong(2), quality.getLong(3));
  }
}
