package org.critmin.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.CommandResult;
import org.critmin.CritminProcess;
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a generated file of 10,000 corrupted rows (truncated, wrong types, huge, negative,
 * NaN, broken quotes, embedded newlines, unicode, control characters, invalid UTF-8, SQL and
 * formula injection, 10 MB lines) mixed with good rows that carry hostile text: the run completes,
 * every bad line is quarantined with the reason its defect calls for, every good row is kept with
 * its text as written, and the counts reconcile.
 */
@Tag("system")
class HostileInputTest {
  private static final int MAX_RAW = 500;

  @TempDir
  static Path dir;

  @Test
  void hostileCorpusIsQuarantinedLineByLineAndCountsReconcile() throws Exception {
    SparkSession spark = SparkTestSession.get();
    long t0 = System.nanoTime();
    Path file = dir.resolve("hostile.csv");
    HostileCorpus corpus = HostileCorpus.write(file, 3_000, 10_000);
    double generated = (System.nanoTime() - t0) / 1e9;

    long t1 = System.nanoTime();
    List<String> args = new ArrayList<>(List.of(CritminProcess.pipeline(dir.resolve("warehouse"),
        file.toString(), "hostile")));
    args.addAll(List.of("--set", "ingest.max_reject_ratio=0.9",
        "--set", "ingest.max_raw_chars=" + MAX_RAW));
    CommandResult result = CommandResult.run(args.toArray(String[]::new));
    double seconds = (System.nanoTime() - t1) / 1e9;
    assertEquals(0, result.exitCode(), result.err());

    Map<Long, String> rejected = new HashMap<>();
    long longest = 0;
    for (Row r : spark.sql("SELECT line_number, reason, length(raw_record), length(detail) "
        + "FROM hostile_bronze.rejected_records").collectAsList()) {
      rejected.put(r.getLong(0), r.getString(1));
      longest = Math.max(longest, r.getInt(2));
      assertTrue(r.getInt(3) > 0 && r.getInt(3) < 300, "a short detail: " + r);
    }
    assertEquals(corpus.rejected.size(), rejected.size(), "rejected lines");
    assertEquals(corpus.rejected, new java.util.TreeMap<>(rejected));
    assertTrue(longest <= MAX_RAW + "...[cut: 10485760 characters]".length(),
        "raw_record cut at ingest.max_raw_chars: " + longest);

    List<Long> keptLines = spark.sql("SELECT line_number FROM hostile_bronze.trade_records")
        .collectAsList().stream().map(r -> r.getLong(0)).toList();
    assertEquals(corpus.kept, new TreeSet<>(keptLines), "kept lines");
    assertEquals(corpus.kept.size(), keptLines.size(), "each kept once");
    // Bound as parameters: Spark SQL reads 'a''b' as two adjacent literals, not an escaped quote.
    Row bronze = spark.sql("SELECT sum(primary_value), count_if(reporter_iso_raw = :injection), "
        + "count_if(partner_iso_raw = :formula) FROM hostile_bronze.trade_records",
        Map.<String, Object>of("injection", "USA'; DROP TABLE critmin_bronze.trade_records; --",
            "formula", "=1+1")).first();
    assertEquals(corpus.keptValue, bronze.getDouble(0), 1e-6 * corpus.keptValue);
    assertTrue(bronze.getLong(1) > 0 && bronze.getLong(2) > 0, "hostile text kept verbatim");

    Row counts = spark.sql("SELECT sum(rows_read), sum(rows_kept), sum(rows_rejected), "
        + "sum(rows_out_of_scope) + sum(rows_aggregate) FROM hostile_bronze.ingest_files").first();
    assertEquals(corpus.dataLines, counts.getLong(0), "lines read");
    assertEquals(corpus.kept.size(), counts.getLong(1));
    assertEquals(corpus.rejected.size(), counts.getLong(2));
    assertEquals(corpus.filtered, counts.getLong(3));
    Row quality = spark.sql("SELECT sum(rows_read), sum(rows_kept), sum(rows_rejected), "
        + "sum(rows_filtered) FROM hostile_gold.data_quality").first();
    assertEquals(corpus.dataLines, quality.getLong(0));
    assertEquals(quality.getLong(0), quality.getLong(1) + quality.getLong(2) + quality.getLong(3),
        "read = kept + rejected + filtered in data_quality");
    List<Row> reasons = spark.sql("SELECT reason, count(*) FROM hostile_bronze.rejected_records "
        + "GROUP BY reason ORDER BY reason").collectAsList();
    System.out.printf("[reliability] hostile input: %d corrupted rows (%d lines) + %d good + %d "
        + "filtered, file %.1f MB generated in %.1f s; pipeline %.1f s; data_quality read %d = "
        + "kept %d + rejected %d + filtered %d; reasons %s%n", corpus.badRows,
        corpus.rejected.size(), corpus.kept.size(), corpus.filtered,
        java.nio.file.Files.size(file) / 1e6, generated, seconds, quality.getLong(0),
        quality.getLong(1), quality.getLong(2), quality.getLong(3), reasons);
  }
}
