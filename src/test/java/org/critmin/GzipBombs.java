package org.critmin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * Writes gzip files that expand to far more than they hold, fast: a gzip file may be a sequence of
 * members, so a long run of one byte is one small member written many times.
 */
public final class GzipBombs {
  private static final int RUN_BYTES = 16 << 20;

  private GzipBombs() {}

  /**
   * Writes {@code before}, then {@code runBytes} (a multiple of 16 MiB) copies of {@code fill},
   * then {@code after}, as one gzip file; returns its size in bytes.
   */
  public static long write(Path file, String before, byte fill, long runBytes, String after)
      throws IOException {
    byte[] run = new byte[RUN_BYTES];
    Arrays.fill(run, fill);
    byte[] member = member(run);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(member(before.getBytes(StandardCharsets.UTF_8)));
      for (long written = 0; written < runBytes; written += RUN_BYTES) {
        out.write(member);
      }
      out.write(member(after.getBytes(StandardCharsets.UTF_8)));
    }
    return Files.size(file);
  }

  private static byte[] member(byte[] content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(content);
    }
    return bytes.toByteArray();
  }
}
