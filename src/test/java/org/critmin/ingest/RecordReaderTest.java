package org.critmin.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The record reader's small text helpers, which replace String.format on the per-line path. */
class RecordReaderTest {

  @Test
  void zeroPaddingWritesWhatFormatWould() {
    for (int value : new int[] {0, 1, 9, 10, 12, 260400, 10121, 2023, 99999, 1000000}) {
      assertEquals(String.format("%06d", value), RecordReader.zeroPadded(value, 6));
      assertEquals(String.format("%02d", value), RecordReader.zeroPadded(value, 2));
      assertEquals(String.format("%04d", value), RecordReader.zeroPadded(value, 4));
    }
  }
}
