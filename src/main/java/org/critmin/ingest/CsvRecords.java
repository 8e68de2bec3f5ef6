package org.critmin.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
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
          throw new Reject("broken_quoting", "a quoted field is not closed, or a quote stands "
              + "inside an unquoted field");
        }
        int fields = csv.fieldCount();
        int expected = layout.headerFields();
        boolean trailingEmpty = fields == expected + 1 && csv.isEmpty(fields - 1);
        if (fields != expected && !trailingEmpty) {
          throw new Reject("field_count", "expected " + expected + " fields as in the header, "
              + "found " + fields);
        }
        return classify(csv.hsCode(cmdIndex, layout.format().numericHsCodes),
            csv.isEmpty(cmdIndex));
      } catch (Reject r) {
        return rejected(r);
      }
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
