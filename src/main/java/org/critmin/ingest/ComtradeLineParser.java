package org.critmin.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Tuple2;

/**
 * Reads the lines of one input split of a Comtrade CSV file into the {@link IngestStream}. Every
 * data line is classified exactly once: kept, rejected with a reason, or counted as filtered (out
 * of scope or aggregate commodity code). A line that cannot be split (broken quoting, wrong number
 * of fields) is rejected whatever its commodity code.
 */
final class ComtradeLineParser
    implements FlatMapFunction<Iterator<Tuple2<LongWritable, Text>>, Row> {
  private static final long serialVersionUID = 1L;

  /** Comtrade Plus flow codes (M and X and their breakdowns). */
  static final Set<String> FLOW_CODES =
      Set.of("M", "X", "RM", "RX", "DX", "FM", "MIP", "MOP", "XIP", "XOP", "MIF", "XIF");
  private static final int MIN_YEAR = 1962;
  private static final int MAX_YEAR = 2100;

  private final FileLayout layout;
  private final BitSet mappedHs6;
  private final Set<Integer> countryCodes;
  private final int maxRawChars;

  ComtradeLineParser(FileLayout layout, BitSet mappedHs6, Set<Integer> countryCodes,
      int maxRawChars) {
    this.layout = layout;
    this.mappedHs6 = mappedHs6;
    this.countryCodes = countryCodes;
    this.maxRawChars = maxRawChars;
  }

  @Override
  public Iterator<Row> call(Iterator<Tuple2<LongWritable, Text>> lines) {
    return new SplitReader(lines);
  }

  /** Signals a line to reject; cheap to throw (no stack trace). */
  private static final class Reject extends Exception {
    private static final long serialVersionUID = 1L;
    final String reason;

    Reject(String reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }
  }

  /** Lazily walks one split, so a large split is never held in memory. */
  private final class SplitReader implements Iterator<Row> {
    private final Iterator<Tuple2<LongWritable, Text>> lines;
    private final CsvLine csv = new CsvLine(',');
    private final Charset charset = layout.charset();
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final Map<String, long[]> counts = new HashMap<>();
    private Iterator<Row> tail;
    private Row next;
    private long splitKey = -1;
    private long lineInSplit;
    private boolean failed;

    // Per-line parse state.
    private String period;
    private Integer year;
    private Integer month;
    private String freq;

    SplitReader(Iterator<Tuple2<LongWritable, Text>> lines) {
      this.lines = lines;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (tail != null) {
          if (!tail.hasNext()) {
            return false;
          }
          next = tail.next();
        } else if (!failed && advanceSafely()) {
          next = readLine(current);
        } else {
          tail = summaryRows();
        }
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = next;
      next = null;
      return row;
    }

    private Tuple2<LongWritable, Text> current;

    private boolean advanceSafely() {
      try {
        if (!lines.hasNext()) {
          return false;
        }
        current = lines.next();
        return true;
      } catch (RuntimeException e) {
        failed = true;
        next = fileFailure(e);
        return false;
      }
    }

    private Row fileFailure(Exception e) {
      Object[] v = base(IngestStream.REJECTED);
      v[IngestStream.LINE_IN_SPLIT] = null;
      v[IngestStream.REASON] = "unreadable_file";
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      v[IngestStream.DETAIL] = "reading stopped after line " + lineInSplit + " of this "
          + "split: " + root.getClass().getSimpleName()
          + (root.getMessage() == null ? "" : " (" + root.getMessage() + ")");
      return RowFactory.create(v);
    }

    /** Returns the row for one physical line, or null when it only adds to the counts. */
    private Row readLine(Tuple2<LongWritable, Text> line) {
      if (splitKey < 0) {
        splitKey = line._1().get();
      }
      lineInSplit++;
      Text text = line._2();
      byte[] bytes = text.getBytes();
      int length = text.getLength();
      if (isBlank(bytes, length) || (splitKey == 0 && lineInSplit == 1)) {
        return null;
      }
      period = null;
      year = null;
      month = null;
      freq = null;
      int cmd = -1;
      try {
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
        String periodProblem = readPeriod();
        int cmdIndex = layout.index(ComtradeField.CMD_CODE);
        cmd = csv.sixDigits(cmdIndex);
        if (cmd < 0) {
          if (csv.isEmpty(cmdIndex)) {
            throw new Reject("missing_required_field", "cmdCode is empty");
          }
          count(IngestStream.N_AGGREGATE);
          return null;
        }
        if (!mappedHs6.get(cmd)) {
          count(IngestStream.N_OUT_OF_SCOPE);
          return null;
        }
        if (periodProblem != null) {
          throw new Reject("bad_period", periodProblem);
        }
        Row kept = parseRecord(bytes, length, cmd);
        count(IngestStream.N_KEPT);
        return kept;
      } catch (Reject r) {
        count(IngestStream.N_REJECTED);
        Object[] v = base(IngestStream.REJECTED);
        v[IngestStream.PERIOD] = period;
        v[IngestStream.REASON] = r.reason;
        v[IngestStream.DETAIL] = r.getMessage();
        v[IngestStream.RAW_RECORD] = rawText(bytes, length);
        return RowFactory.create(v);
      }
    }

    private Row parseRecord(byte[] bytes, int length, int cmd) throws Reject {
      if (charset.equals(StandardCharsets.UTF_8)) {
        try {
          utf8.reset().decode(ByteBuffer.wrap(bytes, 0, length));
        } catch (CharacterCodingException e) {
          throw new Reject("bad_encoding", "the line is not valid UTF-8 (the file's encoding)");
        }
      }
      Object[] v = base(IngestStream.KEPT);
      int reporter = requiredInt(ComtradeField.REPORTER_CODE);
      if (!countryCodes.contains(reporter)) {
        throw new Reject("unknown_country", "reporterCode " + reporter
            + " is not in conf/reference/countries.csv");
      }
      int partner = requiredInt(ComtradeField.PARTNER_CODE);
      String flow = text(ComtradeField.FLOW_CODE);
      if (flow == null) {
        throw new Reject("missing_required_field", "flowCode is empty");
      }
      if (!FLOW_CODES.contains(flow)) {
        throw new Reject("unknown_flow", "flowCode '" + flow + "' is not a Comtrade flow code");
      }
      Double primary = number(ComtradeField.PRIMARY_VALUE, true);
      if (primary == null) {
        throw new Reject("missing_required_field", "primaryValue is empty");
      }
      v[IngestStream.PERIOD] = period;
      v[IngestStream.YEAR] = year;
      v[IngestStream.MONTH] = month;
      v[IngestStream.FREQ] = freq;
      v[IngestStream.REPORTER_CODE] = reporter;
      v[IngestStream.REPORTER_ISO_RAW] = text(ComtradeField.REPORTER_ISO);
      v[IngestStream.PARTNER_CODE] = partner;
      v[IngestStream.PARTNER_ISO_RAW] = text(ComtradeField.PARTNER_ISO);
      v[IngestStream.PARTNER2_CODE] = optionalInt(ComtradeField.PARTNER2_CODE);
      v[IngestStream.FLOW_CODE] = flow;
      v[IngestStream.CLASSIFICATION] = text(ComtradeField.CLASSIFICATION_CODE);
      v[IngestStream.CMD_CODE] = String.format("%06d", cmd);
      v[IngestStream.AGGR_LEVEL] = optionalInt(ComtradeField.AGGR_LEVEL);
      v[IngestStream.IS_AGGREGATE] = flag(ComtradeField.IS_AGGREGATE);
      v[IngestStream.CUSTOMS_CODE] = text(ComtradeField.CUSTOMS_CODE);
      v[IngestStream.MOT_CODE] = optionalInt(ComtradeField.MOT_CODE);
      v[IngestStream.MOS_CODE] = text(ComtradeField.MOS_CODE);
      v[IngestStream.QTY_UNIT_CODE] = optionalInt(ComtradeField.QTY_UNIT_CODE);
      v[IngestStream.QTY_UNIT] = text(ComtradeField.QTY_UNIT_ABBR);
      v[IngestStream.QTY] = number(ComtradeField.QTY, true);
      v[IngestStream.NET_WGT] = number(ComtradeField.NET_WGT, true);
      v[IngestStream.IS_NET_WGT_ESTIMATED] = flag(ComtradeField.IS_NET_WGT_ESTIMATED);
      v[IngestStream.GROSS_WGT] = number(ComtradeField.GROSS_WGT, true);
      v[IngestStream.CIF_VALUE] = number(ComtradeField.CIF_VALUE, true);
      v[IngestStream.FOB_VALUE] = number(ComtradeField.FOB_VALUE, true);
      v[IngestStream.PRIMARY_VALUE] = primary;
      return RowFactory.create(v);
    }

    /** Reads the period into the parse state; returns a problem description or null. */
    private String readPeriod() {
      freq = text(ComtradeField.FREQ_CODE);
      if (freq != null && !freq.equals("A") && !freq.equals("M")) {
        return "freqCode '" + freq + "' is neither A nor M";
      }
      String raw = text(ComtradeField.PERIOD);
      int y;
      int m = 0;
      if (raw != null) {
        if (raw.length() == 4 && isDigits(raw, 0, 4)) {
          y = Integer.parseInt(raw);
        } else if (raw.length() == 6 && isDigits(raw, 0, 6)) {
          y = Integer.parseInt(raw.substring(0, 4));
          m = Integer.parseInt(raw.substring(4));
        } else if (raw.length() == 7 && raw.charAt(4) == '-' && isDigits(raw, 0, 4)
            && isDigits(raw, 5, 7)) {
          y = Integer.parseInt(raw.substring(0, 4));
          m = Integer.parseInt(raw.substring(5));
        } else {
          return "period '" + raw + "' is not YYYY, YYYYMM or YYYY-MM";
        }
        if (raw.length() > 4 && m == 0) {
          return "period '" + raw + "' has month 00";
        }
      } else {
        String refYear = text(ComtradeField.REF_YEAR);
        if (refYear == null || refYear.length() != 4 || !isDigits(refYear, 0, 4)) {
          return "no period, and refYear '" + refYear + "' is not a year";
        }
        y = Integer.parseInt(refYear);
        if ("M".equals(freq)) {
          String refMonth = text(ComtradeField.REF_MONTH);
          if (refMonth == null || refMonth.length() > 2
              || !isDigits(refMonth, 0, refMonth.length())) {
            return "monthly record without a valid refMonth";
          }
          m = Integer.parseInt(refMonth);
        }
      }
      if (y < MIN_YEAR || y > MAX_YEAR) {
        return "year " + y + " is outside " + MIN_YEAR + ".." + MAX_YEAR;
      }
      if (m == 0) {
        if ("M".equals(freq)) {
          return "freqCode M but period '" + raw + "' has no month";
        }
        freq = "A";
        year = y;
        period = Integer.toString(y);
      } else {
        if (m > 12) {
          return "month " + m + " is outside 1..12";
        }
        if ("A".equals(freq)) {
          return "freqCode A but period '" + raw + "' has a month";
        }
        freq = "M";
        year = y;
        month = m;
        period = String.format("%04d-%02d", y, m);
      }
      return null;
    }

    private String text(ComtradeField field) {
      int index = layout.index(field);
      return index < 0 ? null : csv.text(index, charset);
    }

    private int requiredInt(ComtradeField field) throws Reject {
      Integer value = optionalInt(field);
      if (value == null) {
        throw new Reject("missing_required_field", field.header + " is empty");
      }
      return value;
    }

    private Integer optionalInt(ComtradeField field) throws Reject {
      String s = text(field);
      if (s == null) {
        return null;
      }
      String digits = s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
      if (!digits.matches("-?\\d{1,9}")) {
        throw new Reject("bad_number", field.header + " '" + abbreviate(s) + "' is not a whole "
            + "number");
      }
      return Integer.parseInt(digits);
    }

    private Double number(ComtradeField field, boolean nonNegative) throws Reject {
      String s = text(field);
      if (s == null) {
        return null;
      }
      double value;
      if (!isPlainNumber(s)) {
        throw new Reject("bad_number", field.header + " '" + abbreviate(s) + "' is not a number");
      }
      try {
        value = Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new Reject("bad_number", field.header + " '" + abbreviate(s) + "' is not a number");
      }
      if (Double.isInfinite(value)) {
        throw new Reject("bad_number", field.header + " '" + abbreviate(s) + "' is out of range");
      }
      if (nonNegative && value < 0) {
        throw new Reject("negative_value", field.header + " is negative (" + s + ")");
      }
      return value;
    }

    private Boolean flag(ComtradeField field) throws Reject {
      String s = text(field);
      if (s == null) {
        return null;
      }
      switch (s.toLowerCase(java.util.Locale.ROOT)) {
        case "true": case "1": return Boolean.TRUE;
        case "false": case "0": return Boolean.FALSE;
        default:
          throw new Reject("bad_number", field.header + " '" + abbreviate(s)
              + "' is not true or false");
      }
    }

    private void count(int column) {
      long[] c = counts.computeIfAbsent(period, p -> new long[IngestStream.WIDTH]);
      c[IngestStream.N_READ]++;
      c[column]++;
    }

    private Iterator<Row> summaryRows() {
      java.util.List<Row> rows = new java.util.ArrayList<>();
      for (Map.Entry<String, long[]> e : counts.entrySet()) {
        Object[] v = base(IngestStream.COUNTS);
        v[IngestStream.PERIOD] = e.getKey();
        for (String n : new String[] {"n_read", "n_kept", "n_rejected", "n_out_of_scope",
            "n_aggregate"}) {
          v[IngestStream.index(n)] = e.getValue()[IngestStream.index(n)];
        }
        rows.add(RowFactory.create(v));
      }
      if (splitKey >= 0) {
        Object[] v = base(IngestStream.SPLIT);
        v[IngestStream.N_LINES] = lineInSplit;
        rows.add(RowFactory.create(v));
      }
      return rows.iterator();
    }

    private Object[] base(String kind) {
      Object[] v = new Object[IngestStream.WIDTH];
      v[0] = kind;
      v[1] = layout.file();
      v[2] = Math.max(splitKey, 0);
      v[3] = lineInSplit;
      return v;
    }

    private String rawText(byte[] bytes, int length) {
      String raw = new String(bytes, 0, length, charset);
      if (raw.length() <= maxRawChars) {
        return raw;
      }
      return raw.substring(0, maxRawChars) + "...[cut: " + raw.length() + " characters]";
    }
  }

  private static boolean isBlank(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code s[from..to)} is non-empty and all ASCII digits. */
  private static boolean isDigits(String s, int from, int to) {
    if (to <= from || to > s.length()) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isPlainNumber(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
        return false;
      }
    }
    return true;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
