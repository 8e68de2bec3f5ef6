package org.critmin.ingest;

import java.io.Serializable;
import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * Splits one CSV line, given as bytes, into field boundaries without allocating. Quotes and commas
 * are ASCII, so the same scan serves UTF-8 and latin-1 files; decoding happens only for the fields a
 * kept record needs. A reused instance holds the boundaries of the last line split.
 */
public final class CsvLine implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Outcome of {@link #split}. */
  public enum Status { OK, BROKEN_QUOTING }

  private static final byte QUOTE = '"';

  private final byte delimiter;
  private int[] starts = new int[64];
  private int[] ends = new int[64];
  private boolean[] escaped = new boolean[64];
  private int count;
  private byte[] bytes;

  public CsvLine(char delimiter) {
    this.delimiter = (byte) delimiter;
  }

  /** Splits {@code line[0..length)}; quoted fields exclude their quotes. */
  public Status split(byte[] line, int length) {
    bytes = line;
    count = 0;
    int i = 0;
    while (true) {
      ensureCapacity();
      if (i < length && line[i] == QUOTE) {
        int start = i + 1;
        boolean hasEscape = false;
        int j = start;
        while (true) {
          if (j >= length) {
            return Status.BROKEN_QUOTING;
          }
          if (line[j] == QUOTE) {
            if (j + 1 < length && line[j + 1] == QUOTE) {
              hasEscape = true;
              j += 2;
              continue;
            }
            break;
          }
          j++;
        }
        starts[count] = start;
        ends[count] = j;
        escaped[count] = hasEscape;
        count++;
        i = j + 1;
        if (i == length) {
          return Status.OK;
        }
        if (line[i] != delimiter) {
          return Status.BROKEN_QUOTING;
        }
        i++;
      } else {
        int j = i;
        while (j < length && line[j] != delimiter) {
          if (line[j] == QUOTE) {
            return Status.BROKEN_QUOTING;
          }
          j++;
        }
        starts[count] = i;
        ends[count] = j;
        escaped[count] = false;
        count++;
        if (j == length) {
          return Status.OK;
        }
        i = j + 1;
      }
    }
  }

  public int fieldCount() {
    return count;
  }

  boolean isEmpty(int field) {
    return ends[field] <= starts[field];
  }

  /**
   * The HS6 code in field {@code field} as a number, or -1 when it is not six ASCII digits (five
   * are accepted when {@code numeric}: codes written as numbers lose the leading zero).
   */
  int hsCode(int field, boolean numeric) {
    int start = starts[field];
    int digits = ends[field] - start;
    if (digits != 6 && !(numeric && digits == 5)) {
      return -1;
    }
    int value = 0;
    for (int k = start; k < ends[field]; k++) {
      int d = bytes[k] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }

  /** The field decoded and trimmed; null when empty. */
  public String text(int field, Charset charset) {
    int start = starts[field];
    int end = ends[field];
    while (start < end && (bytes[start] == ' ' || bytes[start] == '\t')) {
      start++;
    }
    while (end > start && (bytes[end - 1] == ' ' || bytes[end - 1] == '\t')) {
      end--;
    }
    if (end == start) {
      return null;
    }
    String s = new String(bytes, start, end - start, charset);
    return escaped[field] ? s.replace("\"\"", "\"") : s;
  }

  private void ensureCapacity() {
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      ends = Arrays.copyOf(ends, count * 2);
      escaped = Arrays.copyOf(escaped, count * 2);
    }
  }
}
