package org.critmin.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.critmin.config.UserInputException;

/**
 * What the first bytes of an input file say about it: its encoding, its header (the column names
 * as written, trimmed) and where each Comtrade column sits. Detected on the driver from a sample,
 * once per file.
 */
record FileLayout(
    String file,
    long modifiedMillis,
    SourceFormat format,
    String charsetName,
    int headerFields,
    int[] columnIndex,
    List<String> headerNames) implements Serializable {

  private static final int SAMPLE_BYTES = 1 << 16;

  Charset charset() {
    return Charset.forName(charsetName);
  }

  /** Column position of {@code field} in this file, or -1 when the file lacks it. */
  int index(ComtradeField field) {
    return columnIndex[field.ordinal()];
  }

  /**
   * Reads the start of {@code path} and works out its layout; {@code forced} is the configured
   * format, or null to recognise it from the header. Throws {@link UserInputException} naming the
   * file when it is empty, binary, of no known format or lacks a required column.
   */
  static FileLayout detect(FileSystem fs, Path path, long modifiedMillis, Configuration conf,
      SourceFormat forced) {
    String file = path.toString();
    byte[] sample = readSample(fs, path, conf);
    if (sample.length == 0) {
      throw new UserInputException(file + ": the file is empty (no header line)");
    }
    int checked = Math.min(sample.length, 4096);
    for (int i = 0; i < checked; i++) {
      if (sample[i] == 0) {
        throw new UserInputException(file + ": this is a binary file, not a CSV text file");
      }
    }
    int offset = 0;
    Charset charset;
    if (sample.length >= 3 && (sample[0] & 0xFF) == 0xEF && (sample[1] & 0xFF) == 0xBB
        && (sample[2] & 0xFF) == 0xBF) {
      offset = 3;
      charset = StandardCharsets.UTF_8;
    } else {
      charset = isUtf8(sample) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    }
    int end = offset;
    while (end < sample.length && sample[end] != '\n' && sample[end] != '\r') {
      end++;
    }
    String header = new String(sample, offset, end - offset, charset);
    boolean json = new String(sample, offset, Math.min(sample.length - offset, 256), charset)
        .stripLeading().startsWith("{");
    if (json || forced == SourceFormat.COMTRADE_JSON) {
      if (!json) {
        throw new UserInputException(file + ": ingest.format is comtrade_json but the file does "
            + "not start with a JSON object");
      }
      int[] none = new int[ComtradeField.values().length];
      Arrays.fill(none, -1);
      return new FileLayout(file, modifiedMillis, SourceFormat.COMTRADE_JSON, "UTF-8", 0, none,
          List.of());
    }
    CsvLine line = new CsvLine(',');
    byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
    if (line.split(headerBytes, headerBytes.length) != CsvLine.Status.OK) {
      throw new UserInputException(file + ": the header line has broken quoting");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < line.fieldCount(); i++) {
      String name = line.text(i, StandardCharsets.UTF_8);
      names.add(name == null ? "" : name);
    }
    while (!names.isEmpty() && names.get(names.size() - 1).isEmpty()) {
      names.remove(names.size() - 1);
    }
    SourceFormat format = forced != null ? forced : SourceFormat.detect(names);
    int[] index = new int[ComtradeField.values().length];
    Arrays.fill(index, -1);
    Map<String, Integer> byLowerName = new java.util.HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      byLowerName.putIfAbsent(names.get(i).trim().toLowerCase(Locale.ROOT), i);
    }
    for (ComtradeField field : ComtradeField.values()) {
      String name = format.header(field);
      index[field.ordinal()] = name == null ? -1
          : byLowerName.getOrDefault(name.toLowerCase(Locale.ROOT), -1);
    }
    List<String> missing = new ArrayList<>();
    for (ComtradeField field : format.required()) {
      if (index[field.ordinal()] < 0) {
        missing.add(format.header(field));
      }
    }
    if (index[ComtradeField.PERIOD.ordinal()] < 0 && index[ComtradeField.REF_YEAR.ordinal()] < 0) {
      missing.add(format.header(ComtradeField.PERIOD) + " (or "
          + format.header(ComtradeField.REF_YEAR) + ")");
    }
    if (!missing.isEmpty()) {
      String hint = "";
      if (names.size() == 1 && (header.contains(";") || header.contains("\t")
          || header.contains("|"))) {
        hint = " (the header has one column: the delimiter looks like '"
            + (header.contains(";") ? ";" : header.contains("\t") ? "\\t" : "|")
            + "', expected ',')";
      }
      throw new UserInputException(file + ": missing required column"
          + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + " of the "
          + format.id + " format" + hint);
    }
    return new FileLayout(file, modifiedMillis, format, charset.name(), names.size(), index,
        names.stream().map(String::trim).toList());
  }

  private static boolean isUtf8(byte[] sample) {
    // A multi-byte character may be cut at the end of the sample: ignore the last 3 bytes.
    int length = Math.max(0, sample.length - 3);
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(sample, 0, length));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] readSample(FileSystem fs, Path path, Configuration conf) {
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
    try (InputStream raw = fs.open(path);
        InputStream in = codec == null ? raw : codec.createInputStream(raw)) {
      return in.readNBytes(SAMPLE_BYTES);
    } catch (IOException e) {
      throw new UserInputException(path + ": cannot be read (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileLayout other && file.equals(other.file);
  }

  @Override
  public int hashCode() {
    return file.hashCode();
  }

  @Override
  public String toString() {
    return "FileLayout[" + file + ", " + format.id + ", " + charsetName + ", " + headerFields
        + " columns]";
  }
}
