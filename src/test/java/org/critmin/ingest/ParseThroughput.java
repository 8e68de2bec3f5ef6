package org.critmin.ingest;

import java.io.BufferedReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.LongWritable;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Per-core throughput of critmin's line classifier ({@link CsvRecords}) without Spark, for
 * {@code jobs/benchmark} and the README's scaling figures (not a test): reads one CSV file with
 * Hadoop's line reader, as an ingest task does, and prints data lines per CPU second of the thread.
 *
 * <p>Usage: {@code ParseThroughput FILE REFERENCE_DIR}.
 */
public final class ParseThroughput {

  private ParseThroughput() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]).toAbsolutePath();
    Path reference = Path.of(args[1]);
    BitSet mapped = new BitSet(1_000_000);
    try (BufferedReader in = Files.newBufferedReader(reference.resolve("hs6_minerals.csv"))) {
      in.readLine();
      in.lines().forEach(line -> mapped.set(Integer.parseInt(line.substring(0, 6))));
    }
    Set<Integer> countries = new HashSet<>();
    try (BufferedReader in = Files.newBufferedReader(reference.resolve("countries.csv"))) {
      in.readLine();
      in.lines().forEach(line -> countries.add(Integer.parseInt(line.substring(0,
          line.indexOf(',')))));
    }
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
    FileLayout layout = FileLayout.detect(FileSystem.getLocal(conf), path,
        Files.getLastModifiedTime(file).toMillis(), conf, null);
    ParseContext context = new ParseContext(layout, mapped, countries,
        new org.critmin.config.CritminConfig.IngestLimits(4096, 1e13, 1e13, 1e13, 4 << 20, 200));
    for (int round = 1; round <= 2; round++) {
      long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      long[] rows = new long[2];
      Iterator<Row> out = new CsvRecords(context).call(lines(file));
      while (out.hasNext()) {
        Row row = out.next();
        if (row.getString(IngestStream.KIND).equals(IngestStream.COUNTS)) {
          rows[0] += row.getLong(IngestStream.N_READ);
          rows[1] += row.getLong(IngestStream.N_KEPT);
        }
      }
      double cpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e9;
      double wall = (System.nanoTime() - wall0) / 1e9;
      System.out.printf("parse round %d: %d data lines (%d kept) in %.2f s CPU, %.2f s wall: "
          + "%.0f lines per CPU second%n", round, rows[0], rows[1], cpu, wall, rows[0] / cpu);
    }
  }

  /** The file's lines as an ingest task sees them: (byte offset, line) pairs. */
  private static Iterator<Tuple2<LongWritable, BoundedLines.Line>> lines(Path file) throws Exception {
    BoundedLines.Reader reader = new BoundedLines.Reader();
    org.apache.hadoop.mapreduce.lib.input.FileSplit split =
        new org.apache.hadoop.mapreduce.lib.input.FileSplit(
            new org.apache.hadoop.fs.Path(file.toUri()), 0, Files.size(file), null);
    org.apache.hadoop.mapreduce.TaskAttemptContext task =
        new org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl(new Configuration(),
            new org.apache.hadoop.mapreduce.TaskAttemptID());
    reader.initialize(split, task);
    return new Iterator<>() {
      private Boolean ready;

      @Override
      public boolean hasNext() {
        if (ready == null) {
          try {
            ready = reader.nextKeyValue();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
        return ready;
      }

      @Override
      public Tuple2<LongWritable, BoundedLines.Line> next() {
        hasNext();
        ready = null;
        try {
          return new Tuple2<>(new LongWritable(reader.getCurrentKey().get()),
              reader.getCurrentValue());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }
}
