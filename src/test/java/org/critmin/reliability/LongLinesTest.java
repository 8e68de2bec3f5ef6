package org.critmin.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.CommandResult;
import org.critmin.CritminProcess;
import org.critmin.GzipBombs;
import org.critmin.SparkTestSession;
import org.critmin.TableContents;
import org.critmin.delta.Tables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small gzip files that used to kill or hang a run, beside a good file: a 0.6 MB gzip holding
 * one 600 MB line of commas (it ended a 7.4 GB JVM with an OutOfMemoryError) and a 2 MB gzip
 * holding a 2 GB line (9 minutes at 100 % CPU). With the default settings (an ingest in the test
 * JVM) both are refused as decompression bombs, named in the exit-2 message, and the good file
 * loads; with the expansion limit lifted, in a JVM of 768 MB of its own, their long lines are
 * rejected as {@code line_too_long} and the lines around them load. The GC log gives its peak heap.
 */
@Tag("system")
class LongLinesTest {
  private static final Path FIXTURE =
      Path.of(CommandResult.home(), "src/test/resources/fixtures/comtrade_api_nickel_2000-2015.csv");
  private static final Pattern HEAP_BEFORE_GC = Pattern.compile("\\) (\\d+)M->\\d+M\\(");

  @TempDir
  static Path dir;

  @Test
  void longLinesAndBombsAreRefusedInBoundedMemory() throws Exception {
    List<String> lines = Files.readAllLines(FIXTURE);
    Path input = Files.createDirectories(dir.resolve("input"));
    Files.copy(FIXTURE, input.resolve("good.csv"));
    String before = lines.get(0) + "\n" + lines.get(1) + "\n";
    String after = "\n" + lines.get(2) + "\n";
    long small = GzipBombs.write(input.resolve("commas_600mb.csv.gz"), before, (byte) ',',
        600L << 20, after);
    long large = GzipBombs.write(input.resolve("commas_2gb.csv.gz"), before, (byte) ',',
        2048L << 20, after);
    System.out.printf("[reliability] long lines: %,d-byte gzip of a 600 MB line, %,d-byte gzip of "
        + "a 2 GB line%n", small, large);

    long t0 = System.nanoTime();
    CommandResult defaults = CommandResult.run("ingest", "--warehouse",
        dir.resolve("defaults").toString(), "--input", input.toString(), "--set",
        "database_prefix=longlines", "--set", "spark.console_progress=false");
    Run refused = new Run(defaults.exitCode(), defaults.err(), (System.nanoTime() - t0) / 1e9, 0);
    assertEquals(2, refused.exit, refused.log);
    assertTrue(refused.log.contains("2 input files not loaded"), refused.log);
    for (String name : List.of("commas_600mb.csv.gz", "commas_2gb.csv.gz")) {
      assertTrue(Pattern.compile(Pattern.quote(name) + ": cannot be read to the end, the "
          + "compressed file expands to more than [0-9,]+ bytes from [0-9,]+ \\(over "
          + "ingest.max_gzip_ratio 200\\)").matcher(refused.log).find(), refused.log);
    }
    Map<String, Long> loaded = keptPerFile("defaults");
    assertEquals(List.of("good.csv"), List.copyOf(loaded.keySet()));
    long good = loaded.get("good.csv");
    assertTrue(good > 9_000, "the good file's rows: " + good);

    Run read = ingest("lifted", "--set", "ingest.max_gzip_ratio=100000",
        "--set", "ingest.max_reject_ratio=0.5");
    assertEquals(0, read.exit, read.log);
    assertEquals(Map.of("good.csv", good, "commas_600mb.csv.gz", 2L,
        "commas_2gb.csv.gz", 2L), keptPerFile("lifted"));
    SparkSession spark = SparkTestSession.get();
    List<Row> rejects = TableContents.read(spark, dir.resolve("lifted").toUri().toString(),
            Tables.REJECTED_RECORDS)
        .selectExpr("regexp_extract(source_file, '[^/]+$', 0)", "line_number", "reason",
            "length(raw_record)", "detail")
        .orderBy("line_number", "source_file").collectAsList();
    assertEquals(2, rejects.size(), rejects.toString());
    for (Row reject : rejects) {
      assertEquals(3L, reject.getLong(1), "the long line is the file's third: " + reject);
      assertEquals("line_too_long", reject.getString(2));
      assertTrue(reject.getInt(3) < 4200, "raw text cut to ingest.max_raw_chars: " + reject);
    }
    assertTrue(rejects.stream().anyMatch(r -> r.getString(4).contains(
        "the line has " + (2048L << 20) + " bytes")), rejects.toString());
    System.out.printf("[reliability] long lines: refused as bombs in %.1f s (in the test JVM); "
        + "read with the 2 GB line rejected in %.1f s (peak heap %d MB), in a 768 MB JVM%n",
        refused.seconds, read.seconds, read.peakHeapMb);
    assertTrue(read.peakHeapMb > 0 && read.peakHeapMb < 768, "peak heap " + read.peakHeapMb);
  }

  private record Run(int exit, String log, double seconds, long peakHeapMb) {}

  private static Run ingest(String name, String... settings) throws Exception {
    Path gcLog = dir.resolve(name + "-gc.log");
    Path log = dir.resolve(name + ".log");
    List<String> args = new java.util.ArrayList<>(List.of("ingest", "--warehouse",
        dir.resolve(name).toString(), "--input", dir.resolve("input").toString(),
        "--set", "spark.console_progress=false"));
    args.addAll(List.of(settings));
    long t0 = System.nanoTime();
    Process process = CritminProcess.start(List.of("-Xmx768m", "-Xlog:gc:file=" + gcLog),
        log, args.toArray(String[]::new));
    assertTrue(process.waitFor(10, TimeUnit.MINUTES), "ingest did not end in 10 minutes");
    double seconds = (System.nanoTime() - t0) / 1e9;
    long peak = 0;
    Matcher m = HEAP_BEFORE_GC.matcher(Files.readString(gcLog));
    while (m.find()) {
      peak = Math.max(peak, Long.parseLong(m.group(1)));
    }
    return new Run(process.exitValue(), Files.readString(log), seconds, peak);
  }

  private static Map<String, Long> keptPerFile(String warehouse) {
    return TableContents.read(SparkTestSession.get(), dir.resolve(warehouse).toUri().toString(),
            Tables.INGEST_FILES)
        .groupBy("source_file").sum("rows_kept").collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0).replaceAll(".*/", ""), r -> r.getLong(1),
            Long::sum, TreeMap::new));
  }
}
