package org.critmin.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A decompressed stream that stops with {@link RecordReader.BadFile} once it has yielded more than
 * {@code ingest.max_gzip_ratio} times the compressed file's size (and at least
 * {@link #FLOOR_BYTES}): Comtrade CSV compresses 5 to 20 times, a decompression bomb 1,000 times,
 * and would otherwise keep a task busy for minutes.
 */
final class ExpansionLimit extends FilterInputStream {
  /** Expansion below this many bytes is never refused, whatever the ratio (tiny files). */
  static final long FLOOR_BYTES = 64L << 20;

  private final long compressedBytes;
  private final double maxRatio;
  private final long maxBytes;
  private long yielded;

  ExpansionLimit(InputStream decompressed, long compressedBytes, double maxRatio) {
    super(decompressed);
    this.compressedBytes = compressedBytes;
    this.maxRatio = maxRatio;
    this.maxBytes = Math.max(FLOOR_BYTES, (long) Math.min(Long.MAX_VALUE / 2.0,
        maxRatio * compressedBytes));
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    count(skipped);
    return skipped;
  }

  private void count(long n) {
    yielded += n;
    if (yielded > maxBytes) {
      throw new RecordReader.BadFile(String.format(java.util.Locale.ROOT,
          "the compressed file expands to more than %,d bytes from %,d (over "
              + "ingest.max_gzip_ratio %.0f): refused as a decompression bomb", yielded,
          compressedBytes, maxRatio));
    }
  }
}
