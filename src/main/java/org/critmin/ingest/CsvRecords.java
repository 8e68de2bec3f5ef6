package org.critmin.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.io.LongWritable;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Reads the lines of one input split of a CSV trade file (Comtrade plus, legacy or BACI). A line
 * that cannot be split (broken quoting, wrong number of fields) is rejected whatever its commodity
 * code; only then is the code tested, on the raw bytes, so out-of-scope lines cost one scan.
 */
final class CsvRecords implements FlatMapFunction<Iterator<Tuple2<LongWritable, BoundedLines.Line>>, Row> {
  private static final long serialVersionUID = 1L;

  private final ParseContext context;

  CsvRecords(ParseContext context) {
    this.context = context;
  }

  @Override
  public Iterator<Row> call(Iterator<Tuple2<LongWritable, BoundedLines.Line>> lines) {
    return new Reader(context, lines);
  }

  private static final class Reader extends RecordReader<Tuple2<LongWritable, BoundedLines.Line>> {
    private final CsvLine csv = new CsvLine(',');
    private final Charset charset;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final int cmdIndex;
    private byte[] bytes;
    private int length;
    /** The header's column names in lower case, made when a line first looks like a header. */
    private Set<String> headerNames;

    Reader(ParseContext context, Iterator<Tuple2<LongWritable, BoundedLines.Line>> lines) {
      super(context, lines);
      this.charset = layout.charset();
      this.cmdIndex = layout.index(ComtradeField.CMD_CODE);
    }

    @Override
    protected Row read(Tuple2<LongWritable, BoundedLines.Line> line) {
      if (splitKey < 0) {
        splitKey = line._1().get();
      }
      position++;
      bytes = line._2().getBytes();
      length = line._2().getLength();
      if (isBlank(bytes, length) || (splitKey == 0 && position == 1)) {
        return null;
      }
      startRecord();
      try {
        if (line._2().isCut()) {
          throw new Reject("line_too_long", "the line has " + line._2().bytes() + " bytes, "
              + "above ingest.max_line_bytes " + length + "; only its start was read");
        }
        if (csv.split(bytes, length) == CsvLine.Status.BROKEN_QUOTING) {
          return rejected(new Reject("broken_quoting", "a quoted field is not closed, or a quote "
              + "stands inside an unquoted field"), mayBeInScope());
        }
        int fields = csv.fieldCount();
        int expected = layout.headerFields();
        boolean trailingEmpty = fields == expected + 1 && csv.isEmpty(fields - 1);
        if (fields != expected && !trailingEmpty) {
          if (isRepeatedHeader(line._1().get())) {
            return null;
          }
          return rejected(new Reject("field_count", "expected " + expected + " fields as in the "
              + "header, found " + fields), mayBeInScope());
        }
        int hs6 = csv.hsCode(cmdIndex, layout.format().numericHsCodes);
        if (hs6 < 0 && !csv.isEmpty(cmdIndex) && isRepeatedHeader(line._1().get())) {
          return null;
        }
        return classify(hs6, csv.isEmpty(cmdIndex));
      } catch (Reject r) {
        return rejected(r);
      }
    }

    /**
     * Whether a line that could not be split by the header may be a mineral's: false only when
     * its commodity column holds a six-digit code outside the map.
     */
    private boolean mayBeInScope() {
      if (csv.fieldCount() <= cmdIndex) {
        return true;
      }
      int hs6 = csv.hsCode(cmdIndex, layout.format().numericHsCodes);
      return hs6 < 0 || context.mappedHs6().get(hs6);
    }

    /**
     * Whether the current line is the file's header again (files joined with {@code cat}): then
     * it is counted and skipped. A header line naming other columns, or the same in another order,
     * ends the file as a bad file: the rows after it would otherwise be read by the first header,
     * with value and weight swapped.
     */
    private boolean isRepeatedHeader(long offset) {
      List<String> header = layout.headerNames();
      if (headerNames == null) {
        headerNames = new HashSet<>();
        header.forEach(name -> headerNames.add(name.toLowerCase(Locale.ROOT)));
      }
      int fields = csv.fieldCount();
      int named = 0;
      boolean same = fields >= header.size();
      for (int i = 0; i < fields; i++) {
        String text = csv.text(i, charset);
        String name = text == null ? "" : text.trim();
        if (!name.isEmpty() && headerNames.contains(name.toLowerCase(Locale.ROOT))) {
          named++;
        }
        if (i < header.size() ? !header.get(i).equals(name) : !name.isEmpty()) {
          same = false;
        }
      }
      if (named * 2 < header.size()) {
        return false;
      }
      if (same) {
        countRepeatedHeader();
        return true;
      }
      throw new BadFile("the header is repeated at byte " + offset + " with other columns or "
          + "another order (" + abbreviated(fields) + "); the rows after it cannot be read by the "
          + "first header, so the file is refused");
    }

    private String abbreviated(int fields) {
      StringBuilder names = new StringBuilder();
      for (int i = 0; i < fields && names.length() < 120; i++) {
        String text = csv.text(i, charset);
        names.append(i > 0 ? "," : "").append(text == null ? "" : text.trim());
      }
      return names.length() < 120 ? names.toString() : names.substring(0, 120) + "...";
    }

    @Override
    protected String text(ComtradeField field) {
      int index = layout.index(field);
      return index < 0 ? null : csv.text(index, charset);
    }

    @Override
    protected void checkEncoding() throws Reject {
      if (charset.equals(StandardCharsets.UTF_8)) {
        try {
          utf8.reset().decode(ByteBuffer.wrap(bytes, 0, length));
        } catch (CharacterCodingException e) {
          throw new Reject("bad_encoding", "the line is not valid UTF-8 (the file's encoding)");
        }
      }
    }

    @Override
    protected String rawText() {
      return new String(bytes, 0, length, charset);
    }
  }
}
