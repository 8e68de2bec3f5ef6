package org.critmin.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.critmin.GzipBombs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded line reader: every line once whatever the splits, LF, CR and CRLF endings, a long
 * line cut without being held (measured as bytes this thread allocated) and a decompression bomb
 * refused.
 */
class BoundedLinesTest {
  private static final Configuration HADOOP = new Configuration();
  @TempDir
  Path dir;

  @Test
  void readsEachLineWithItsOffsetWhateverTheLineEnd() throws Exception {
    Path file = dir.resolve("ends.csv");
    Files.writeString(file, "a\nbb\r\nccc\rdddd");
    List<String> lines = new ArrayList<>();
    List<Long> keys = new ArrayList<>();
    read(file, 0, Files.size(file), 1024, 200, lines, keys);
    assertEquals(List.of("a", "bb", "ccc", "dddd"), lines);
    assertEquals(List.of(0L, 2L, 6L, 10L), keys);
  }

  @Test
  void splitsAtAnyOffsetReadEveryLineExactlyOnce() throws Exception {
    StringBuilder text = new StringBuilder();
    String[] ends = {"\n", "\r\n", "\r"};
    for (int i = 0; i < 300; i++) {
      text.append("line ").append(i).append(",").append("x".repeat(i % 37)).append(ends[i % 3]);
    }
    Path file = dir.resolve("splits.csv");
    Files.writeString(file, text);
    List<String> whole = new ArrayList<>();
    read(file, 0, Files.size(file), 1024, 200, whole, new ArrayList<>());
    assertEquals(300, whole.size());
    for (long splitBytes : new long[] {5, 13, 4096}) {
      List<String> lines = new ArrayList<>();
      for (long start = 0; start < Files.size(file); start += splitBytes) {
        read(file, start, Math.min(splitBytes, Files.size(file) - start), 1024, 200, lines,
            new ArrayList<>());
      }
      assertEquals(whole, lines, "splits of " + splitBytes + " bytes");
    }
  }

  @Test
  void aLineLongerThanTheLimitIsCutWithoutBeingHeld() throws Exception {
    Path file = dir.resolve("commas.csv.gz");
    long runBytes = 256L << 20;
    GzipBombs.write(file, "header\nfirst\n", (byte) ',', runBytes, "\nlast\n");
    List<String> lines = new ArrayList<>();
    List<Long> lengths = new ArrayList<>();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocated0 = threads.getCurrentThreadAllocatedBytes();
    try (BoundedLines.Reader reader = open(file, 0, Files.size(file), 4096, 1e6)) {
      while (reader.nextKeyValue()) {
        BoundedLines.Line line = reader.getCurrentValue();
        lines.add(line.getLength() > 10 ? "cut:" + line.getLength() : line.toString());
        lengths.add(line.bytes());
      }
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - allocated0;
    assertEquals(List.of("header", "first", "cut:4096", "last"), lines);
    assertEquals(runBytes, lengths.get(2));
    assertTrue(allocated < 32L << 20, "reading a 256 MB line allocated " + allocated + " bytes");
  }

  @Test
  void aCompressedFileExpandingBeyondTheRatioIsRefused() throws Exception {
    Path file = dir.resolve("bomb.csv.gz");
    long size = GzipBombs.write(file, "header\n", (byte) ',', 256L << 20, "\n");
    try (BoundedLines.Reader reader = open(file, 0, size, 4096, 200)) {
      RecordReader.BadFile refused = assertThrows(RecordReader.BadFile.class, () -> {
        while (reader.nextKeyValue()) {
          assertFalse(reader.getCurrentValue().bytes() > 100L << 20, "read past the limit");
        }
      });
      assertTrue(refused.getMessage().contains("ingest.max_gzip_ratio 200"), refused.getMessage());
    }
  }

  private static void read(Path file, long start, long length, int maxLine, double ratio,
      List<String> lines, List<Long> keys) throws Exception {
    try (BoundedLines.Reader reader = open(file, start, length, maxLine, ratio)) {
      while (reader.nextKeyValue()) {
        lines.add(new String(reader.getCurrentValue().getBytes(), 0,
            reader.getCurrentValue().getLength(), StandardCharsets.UTF_8));
        keys.add(reader.getCurrentKey().get());
      }
    }
  }

  private static BoundedLines.Reader open(Path file, long start, long length, int maxLine,
      double ratio) throws Exception {
    Configuration conf = new Configuration(HADOOP);
    BoundedLines.configure(conf, maxLine, ratio);
    BoundedLines.Reader reader = new BoundedLines.Reader();
    reader.open(new org.apache.hadoop.fs.Path(file.toUri()), start, length, conf);
    return reader;
  }
}
