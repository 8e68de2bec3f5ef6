package org.critmin.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Turns the records of one input split (CSV lines, or the records of a JSON response) into the
 * {@link IngestStream}. Every data record is classified exactly once: kept (typed), rejected with a
 * reason, or counted as filtered (a commodity code outside the map, or an aggregate code). The
 * subclass says how to get at a record's fields; the rules for what a valid record is live here,
 * the same for every format.
 *
 * @param <T> what the input iterator yields
 */
abstract class RecordReader<T> implements Iterator<Row> {

  /** Comtrade Plus flow codes (M and X and their breakdowns). */
  static final java.util.Set<String> FLOW_CODES =
      java.util.Set.of("M", "X", "RM", "RX", "DX", "FM", "MIP", "MOP", "XIP", "XOP", "MIF", "XIF");
  private static final int MIN_YEAR = 1962;
  private static final int MAX_YEAR = 2100;

  /** Signals a record to reject; cheap to throw (no stack trace). */
  static final class Reject extends Exception {
    private static final long serialVersionUID = 1L;
    final String reason;

    Reject(String reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }
  }

  protected final ParseContext context;
  protected final FileLayout layout;
  private final Iterator<T> items;
  private final Map<String, long[]> counts = new HashMap<>();
  private Iterator<Row> tail;
  private Row next;
  private boolean failed;
  /** First position (byte offset or record number) of the split; orders the splits of a file. */
  protected long splitKey = -1;
  /** Physical line (or record) number within the split, from 1. */
  protected long position;

  // Per-record parse state.
  private String period;
  private Integer year;
  private Integer month;
  private String freq;

  RecordReader(ParseContext context, Iterator<T> items) {
    this.context = context;
    this.layout = context.layout();
    this.items = items;
  }

  /** The field of the current record, decoded and trimmed; null when absent or empty. */
  protected abstract String text(ComtradeField field);

  /**
   * Reads one item: returns its kept or rejected row, or null when it was only counted (or was a
   * header or blank line). Implementations call {@link #classify} once they can address fields.
   */
  protected abstract Row read(T item);

  /** Rejects the current record if its bytes are not valid in the file's encoding. */
  protected void checkEncoding() throws Reject {}

  /** The raw text of the current record, for quarantine. */
  protected abstract String rawText();

  @Override
  public boolean hasNext() {
    while (next == null) {
      if (tail != null) {
        if (!tail.hasNext()) {
          return false;
        }
        next = tail.next();
      } else if (!failed && advanceSafely()) {
        next = currentRow;
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

  private Row currentRow;

  /** Reads the next item; a failure of the input itself (broken gzip, I/O) ends the split. */
  private boolean advanceSafely() {
    try {
      do {
        if (!items.hasNext()) {
          return false;
        }
        currentRow = read(items.next());
      } while (currentRow == null);
      return true;
    } catch (Exception e) {
      // Hadoop's readers throw IOExceptions (a broken gzip) through Scala iterators unchecked.
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
    v[IngestStream.DETAIL] = root instanceof BadFile
        ? root.getMessage()
        : "reading stopped after record " + position + " of this split: "
            + root.getClass().getSimpleName()
            + (root.getMessage() == null ? "" : " (" + root.getMessage() + ")");
    return RowFactory.create(v);
  }

  /** A file whose structure makes it no trade file (an API error body, a broken count). */
  static final class BadFile extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadFile(String message) {
      super(message);
    }
  }

  /** Starts a new record: clears the parse state. */
  protected final void startRecord() {
    period = null;
    year = null;
    month = null;
    freq = null;
  }

  /**
   * Classifies the current record, whose structure (quoting, field count) is already checked:
   * {@code hs6} is its commodity code as a number, or -1 when it is not a six-digit code.
   */
  protected final Row classify(int hs6, boolean cmdEmpty) throws Reject {
    String periodProblem = readPeriod();
    if (hs6 < 0) {
      if (cmdEmpty) {
        throw new Reject("missing_required_field", columnName(ComtradeField.CMD_CODE)
            + " is empty");
      }
      count(IngestStream.N_AGGREGATE);
      return null;
    }
    if (!context.mappedHs6().get(hs6)) {
      count(IngestStream.N_OUT_OF_SCOPE);
      return null;
    }
    if (periodProblem != null) {
      throw new Reject("bad_period", periodProblem);
    }
    checkEncoding();
    Row kept = typedRecord(hs6);
    count(IngestStream.N_KEPT);
    return kept;
  }

  /** The quarantine row of the current record, a mineral's or one of unknown commodity code. */
  protected final Row rejected(Reject r) {
    return rejected(r, true);
  }

  /**
   * The quarantine row of the current record; {@code inScope} is false when its commodity code
   * was read and is outside the map, so it does not count against the file's in-scope ratio.
   */
  protected final Row rejected(Reject r, boolean inScope) {
    count(IngestStream.N_REJECTED);
    if (inScope) {
      counts.get(period)[IngestStream.N_REJECTED_IN_SCOPE]++;
    }
    Object[] v = base(IngestStream.REJECTED);
    v[IngestStream.PERIOD] = period;
    v[IngestStream.REASON] = r.reason;
    v[IngestStream.DETAIL] = r.getMessage();
    String raw = rawText();
    int max = context.limits().maxRawChars();
    v[IngestStream.RAW_RECORD] = raw == null || raw.length() <= max ? raw
        : raw.substring(0, max) + "...[cut: " + raw.length() + " characters]";
    return RowFactory.create(v);
  }

  private Row typedRecord(int hs6) throws Reject {
    double maxUsd = context.limits().maxValueUsd();
    double maxKg = context.limits().maxNetKg();
    Object[] v = base(IngestStream.KEPT);
    int reporter = countryCode(ComtradeField.REPORTER_CODE);
    if (!context.countryCodes().contains(reporter)) {
      throw new Reject("unknown_country", columnName(ComtradeField.REPORTER_CODE) + " " + reporter
          + " is not in conf/reference/countries.csv");
    }
    int partner = countryCode(ComtradeField.PARTNER_CODE);
    String flow = layout.format().flowCode(text(ComtradeField.FLOW_CODE));
    if (flow == null) {
      throw new Reject("missing_required_field", columnName(ComtradeField.FLOW_CODE)
          + " is empty");
    }
    if (!FLOW_CODES.contains(flow)) {
      throw new Reject("unknown_flow", columnName(ComtradeField.FLOW_CODE) + " '"
          + abbreviate(flow) + "' is not a Comtrade flow code");
    }
    double valueScale = layout.format().valueScale;
    double weightScale = layout.format().weightScale;
    Double primary = number(ComtradeField.PRIMARY_VALUE, true, valueScale, maxUsd);
    if (primary == null) {
      throw new Reject("missing_required_field", columnName(ComtradeField.PRIMARY_VALUE)
          + " is empty");
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
    v[IngestStream.CMD_CODE] = zeroPadded(hs6, 6);
    v[IngestStream.AGGR_LEVEL] = optionalInt(ComtradeField.AGGR_LEVEL);
    v[IngestStream.IS_AGGREGATE] = flag(ComtradeField.IS_AGGREGATE);
    v[IngestStream.CUSTOMS_CODE] = text(ComtradeField.CUSTOMS_CODE);
    v[IngestStream.MOT_CODE] = optionalInt(ComtradeField.MOT_CODE);
    v[IngestStream.MOS_CODE] = text(ComtradeField.MOS_CODE);
    v[IngestStream.QTY_UNIT_CODE] = optionalInt(ComtradeField.QTY_UNIT_CODE);
    v[IngestStream.QTY_UNIT] = text(ComtradeField.QTY_UNIT_ABBR);
    v[IngestStream.QTY] = number(ComtradeField.QTY, true, 1.0, context.limits().maxQty());
    v[IngestStream.NET_WGT] = number(ComtradeField.NET_WGT, true, weightScale, maxKg);
    v[IngestStream.IS_NET_WGT_ESTIMATED] = flag(ComtradeField.IS_NET_WGT_ESTIMATED);
    v[IngestStream.GROSS_WGT] = number(ComtradeField.GROSS_WGT, true, 1.0, maxKg);
    v[IngestStream.CIF_VALUE] = number(ComtradeField.CIF_VALUE, true, valueScale, maxUsd);
    v[IngestStream.FOB_VALUE] = number(ComtradeField.FOB_VALUE, true, valueScale, maxUsd);
    v[IngestStream.PRIMARY_VALUE] = primary;
    return RowFactory.create(v);
  }

  /** The column name of {@code field} in this file's format, for messages. */
  protected final String columnName(ComtradeField field) {
    String name = layout.format().header(field);
    return name == null ? field.header : name;
  }

  /** Reads the period into the parse state; returns a problem description or null. */
  private String readPeriod() {
    freq = text(ComtradeField.FREQ_CODE);
    if (freq != null && !freq.equals("A") && !freq.equals("M")) {
      return "freqCode '" + abbreviate(freq) + "' is neither A nor M";
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
        return "period '" + abbreviate(raw) + "' is not YYYY, YYYYMM or YYYY-MM";
      }
      if (raw.length() > 4 && m == 0) {
        return "period '" + raw + "' has month 00";
      }
    } else {
      String refYear = text(ComtradeField.REF_YEAR);
      if (refYear == null || refYear.length() != 4 || !isDigits(refYear, 0, 4)) {
        return "no period, and refYear '" + (refYear == null ? null : abbreviate(refYear))
            + "' is not a year";
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
      period = zeroPadded(y, 4) + "-" + zeroPadded(m, 2);
    }
    return null;
  }

  /** A Comtrade country code: a whole number, never signed ({@code -0} is not World, 0). */
  private int countryCode(ComtradeField field) throws Reject {
    String s = text(field);
    if (s != null && (s.startsWith("-") || s.startsWith("+"))) {
      throw new Reject("bad_number", columnName(field) + " '" + abbreviate(s) + "' is not a "
          + "country code (a signed number)");
    }
    return requiredInt(field);
  }

  private int requiredInt(ComtradeField field) throws Reject {
    Integer value = optionalInt(field);
    if (value == null) {
      throw new Reject("missing_required_field", columnName(field) + " is empty");
    }
    return value;
  }

  private Integer optionalInt(ComtradeField field) throws Reject {
    String s = text(field);
    if (s == null) {
      return null;
    }
    String digits = s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    // -?[0-9]{1,9}, without a regular expression: this runs several times per kept line.
    int sign = digits.startsWith("-") ? 1 : 0;
    if (digits.length() - sign > 9 || !isDigits(digits, sign, digits.length())) {
      throw new Reject("bad_number", columnName(field) + " '" + abbreviate(s) + "' is not a whole "
          + "number");
    }
    return Integer.parseInt(digits);
  }

  /**
   * A number of {@code field} times {@code scale}: rejected ({@code bad_number}) when it is no
   * plain number, infinite or beyond {@code plausibleMax} (ingest.max_value_usd, max_net_kg,
   * max_qty),
   * ({@code negative_value}) when negative where it may not be.
   */
  private Double number(ComtradeField field, boolean nonNegative, double scale,
      double plausibleMax) throws Reject {
    String s = text(field);
    if (s == null || (scale != 1.0 && s.equals("NA"))) {
      return null;
    }
    double value;
    if (!isPlainNumber(s)) {
      throw new Reject("bad_number", columnName(field) + " '" + abbreviate(s) + "' is not a number");
    }
    try {
      value = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new Reject("bad_number", columnName(field) + " '" + abbreviate(s) + "' is not a number");
    }
    if (Double.isInfinite(value)) {
      throw new Reject("bad_number", columnName(field) + " '" + abbreviate(s) + "' is out of range");
    }
    if (nonNegative && value < 0) {
      throw new Reject("negative_value", columnName(field) + " is negative (" + abbreviate(s)
          + ")");
    }
    if (Math.abs(value * scale) > plausibleMax) {
      throw new Reject("bad_number", columnName(field) + " '" + abbreviate(s) + "' is beyond the "
          + "plausible " + String.format(java.util.Locale.ROOT, "%.0e", plausibleMax)
          + " of one flow (ingest.max_value_usd, ingest.max_net_kg, ingest.max_qty)");
    }
    return value * scale;
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
        throw new Reject("bad_number", columnName(field) + " '" + abbreviate(s)
            + "' is not true or false");
    }
  }

  /** Counts a line that repeats the file's header: skipped, and no data line. */
  protected final void countRepeatedHeader() {
    counts.computeIfAbsent(null, p -> new long[IngestStream.WIDTH])
        [IngestStream.N_REPEATED_HEADER]++;
  }

  private void count(int column) {
    long[] c = counts.computeIfAbsent(period, p -> new long[IngestStream.WIDTH]);
    c[IngestStream.N_READ]++;
    c[column]++;
  }

  private Iterator<Row> summaryRows() {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      Object[] v = base(IngestStream.COUNTS);
      v[IngestStream.PERIOD] = e.getKey();
      for (int column : new int[] {IngestStream.N_READ, IngestStream.N_KEPT,
          IngestStream.N_REJECTED, IngestStream.N_OUT_OF_SCOPE, IngestStream.N_AGGREGATE,
          IngestStream.N_REJECTED_IN_SCOPE, IngestStream.N_REPEATED_HEADER}) {
        v[column] = e.getValue()[column];
      }
      rows.add(RowFactory.create(v));
    }
    if (splitKey >= 0) {
      Object[] v = base(IngestStream.SPLIT);
      v[IngestStream.N_LINES] = position;
      rows.add(RowFactory.create(v));
    }
    return rows.iterator();
  }

  private Object[] base(String kind) {
    Object[] v = new Object[IngestStream.WIDTH];
    v[IngestStream.KIND] = kind;
    v[IngestStream.SOURCE_FILE] = layout.file();
    v[IngestStream.SPLIT_KEY] = Math.max(splitKey, 0);
    v[IngestStream.LINE_IN_SPLIT] = position;
    return v;
  }

  static boolean isBlank(byte[] bytes, int length) {
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

  /** {@code value} (not negative) in at least {@code width} digits, as {@code %0<width>d}. */
  static String zeroPadded(int value, int width) {
    String digits = Integer.toString(value);
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
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
