package org.critmin.reliability;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A deterministic Comtrade-style CSV of good rows mixed with corrupted ones, written with the line
 * number and fate the ingest rules give each physical line: kept, rejected with a given reason, or
 * filtered (commodity codes outside the HS map, aggregates). Every corrupted row has one defect on
 * an otherwise good row of a mapped code, so the reason it must get is known.
 */
final class HostileCorpus {
  static final String HEADER = "period,reporterCode,reporterISO,partnerCode,partnerISO,flowCode,"
      + "cmdCode,cmdDesc,primaryValue,netWgt,qty,qtyUnitAbbr";
  static final int TEN_MB = 10 * 1024 * 1024;
  /** Rows before this line are good and plain ASCII: format detection samples the first 64 KB. */
  private static final int PLAIN_LINES = 1500;
  private static final int[] REPORTERS = {842, 156, 36, 392, 608, 360, 124};
  private static final int[] PARTNERS = {156, 36, 392, 608, 360, 124, 842, 251, 276};

  /** One corruption: how to make a row bad, the reason the reader must give, lines it takes. */
  private record Defect(String reason, int field, String value, int lines) {}

  private static final List<Defect> DEFECTS = List.of(
      new Defect("field_count", 8, "12,5", 1),
      new Defect("bad_number", 1, "USA", 1),
      new Defect("bad_number", 3, "1.5", 1),
      new Defect("bad_number", 8, "abc", 1),
      new Defect("bad_number", 8, "\"1,000\"", 1),
      new Defect("bad_number", 8, "1e999", 1),
      new Defect("bad_number", 8, "9".repeat(400), 1),
      new Defect("bad_number", 1, "99999999999", 1),
      new Defect("bad_number", 9, "1e400", 1),
      new Defect("negative_value", 8, "-5", 1),
      new Defect("negative_value", 9, "-0.5", 1),
      new Defect("negative_value", 10, "-1e3", 1),
      new Defect("bad_number", 8, "NaN", 1),
      new Defect("bad_number", 8, "Infinity", 1),
      new Defect("bad_number", 9, "-Infinity", 1),
      new Defect("broken_quoting", 7, "Nickel \"ore\"", 1),
      new Defect("broken_quoting", 7, "\"Nickel \"ore\"\"", 1),
      new Defect("broken_quoting", 7, "\"Nickel ore", 1),
      new Defect("broken_quoting", 7, "\"Nickel\nore\"", 2),
      new Defect("bad_number", 8, "\uFF11\uFF12\uFF13", 1),
      new Defect("bad_period", 0, "\uFF12\uFF10\uFF12\uFF10", 1),
      new Defect("bad_number", 1, "\uFF18\uFF14\uFF12", 1),
      new Defect("bad_number", 8, "12\u0007", 1),
      new Defect("unknown_flow", 5, "M\u0000", 1),
      new Defect("bad_number", 9, "\u001b[31m5", 1),
      new Defect("bad_encoding", 7, "Nickel \u00ff\u00fe", 1),  // written as raw bytes FF FE
      new Defect("bad_number", 8, "1; DROP TABLE critmin_bronze.trade_records", 1),
      new Defect("unknown_flow", 5, "M'; DROP TABLE critmin_bronze.trade_records; --", 1),
      new Defect("bad_number", 1, "842 OR 1=1", 1),
      new Defect("bad_period", 0, "2020' OR '1'='1", 1),
      new Defect("unknown_flow", 5, "=cmd|' /C calc'!A0", 1),
      new Defect("bad_number", 8, "=1+1", 1),
      new Defect("bad_number", 8, "+1+1", 1),
      new Defect("bad_number", 8, "@SUM(1)", 1),
      new Defect("missing_required_field", 8, "", 1),
      new Defect("missing_required_field", 6, "", 1),
      new Defect("missing_required_field", 5, "", 1),
      new Defect("missing_required_field", 1, "", 1),
      new Defect("bad_period", 0, "20X0", 1),
      new Defect("bad_period", 0, "2020-13", 1),
      new Defect("bad_period", 0, "1900", 1),
      new Defect("bad_period", 0, "2020-00", 1),
      new Defect("unknown_country", 1, "999", 1),
      new Defect("unknown_flow", 5, "Q", 1));

  /** Text a good row may carry in its free-text fields; all of it must be kept as it is. */
  private static final List<String> HOSTILE_TEXT = List.of(
      "USA'; DROP TABLE critmin_bronze.trade_records; --",
      "\"=HYPERLINK(\"\"http://example.invalid\"\",\"\"click\"\")\"",
      "+SUM(A1:A9)", "@cmd", "-2+3",
      "Níquel 镍 никель 🚀",
      "\"Nickel \"\"ore\"\", roasted\"",
      "Robert'); DROP TABLE students;--");

  final Map<Long, String> rejected = new TreeMap<>();
  final java.util.Set<Long> kept = new java.util.TreeSet<>();
  long filtered;
  long badRows;
  double keptValue;
  /** Lines of data (the header and blank lines aside). */
  long dataLines;

  private final Random random = new Random(20261127L);
  /** The physical line last written (the header is line 1). */
  private long line;

  /** Writes {@code badRows} corrupted rows mixed with {@code goodRows} good and some filtered. */
  static HostileCorpus write(Path file, int goodRows, int corruptRows) throws IOException {
    HostileCorpus corpus = new HostileCorpus();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      corpus.emit(out, HEADER);
      corpus.dataLines = 0;
      int good = 0;
      int bad = 0;
      while (good < goodRows || bad < corruptRows) {
        boolean plain = corpus.line < PLAIN_LINES;
        if (plain || bad >= corruptRows || (good < goodRows && corpus.random.nextInt(5) == 0)) {
          corpus.good(out, plain);
          good++;
        } else if (corpus.random.nextInt(50) == 0) {
          corpus.filteredRow(out);
        } else {
          corpus.corrupt(out);
          bad++;
        }
      }
      corpus.tenMegabyteLines(out);
    }
    return corpus;
  }

  private String[] goodFields(boolean plain) {
    double value = 1 + random.nextInt(1_000_000) / 100.0;
    String text = plain ? "Nickel ores"
        : HOSTILE_TEXT.get(random.nextInt(HOSTILE_TEXT.size()));
    return new String[] {
        Integer.toString(2015 + random.nextInt(6)),
        Integer.toString(REPORTERS[random.nextInt(REPORTERS.length)]),
        plain ? "ABC" : (random.nextBoolean() ? text : "X\u0001Y\u001bZ\u0000"),
        Integer.toString(PARTNERS[random.nextInt(PARTNERS.length)]),
        plain ? "DEF" : "=1+1",
        random.nextBoolean() ? "M" : "X",
        random.nextBoolean() ? "260400" : "750110",
        text,
        Double.toString(value),
        Integer.toString(random.nextInt(1000)),
        random.nextInt(3) == 0 ? "" : "1e15",
        "kg"};
  }

  private void good(OutputStream out, boolean plain) throws IOException {
    String[] f = goodFields(plain);
    keptValue += Double.parseDouble(f[8]);
    kept.add(line + 1);
    emit(out, String.join(",", f));
  }

  private void filteredRow(OutputStream out) throws IOException {
    String[] f = goodFields(false);
    f[6] = random.nextBoolean() ? "010121" : "2604";
    f[8] = "NaN";  // not checked: lines outside the map are only counted
    filtered++;
    emit(out, String.join(",", f));
  }

  private void corrupt(OutputStream out) throws IOException {
    badRows++;
    String[] f = goodFields(false);
    if (random.nextInt(10) == 0) {
      f[2] = "ABC";
      f[7] = "Nickel ores";  // no quoted field for the cut to land in
      String whole = String.join(",", f);
      int lastComma = whole.lastIndexOf(',');
      rejected.put(line + 1, "field_count");
      emit(out, whole.substring(0, 1 + random.nextInt(lastComma)));
      return;
    }
    Defect d = DEFECTS.get(random.nextInt(DEFECTS.size()));
    f[d.field()] = d.value();
    if (d.field() == 7 || d.field() == 2) {
      f[2] = "ABC";  // keep other text fields free of quotes, which would hide the defect
    }
    for (int i = 0; i < d.lines(); i++) {
      rejected.put(line + 1 + i, d.reason());
    }
    String row = String.join(",", f);
    if (d.reason().equals("bad_encoding")) {
      byte[] bytes = row.getBytes(StandardCharsets.ISO_8859_1);
      line++;
      dataLines++;
      out.write(bytes);
      out.write('\n');
    } else {
      emit(out, row);
    }
  }

  private void tenMegabyteLines(OutputStream out) throws IOException {
    badRows += 3;
    // Beyond ingest.max_line_bytes (4 MiB): rejected whole, whatever else is wrong with them.
    rejected.put(line + 1, "line_too_long");
    emit(out, "A".repeat(TEN_MB));
    String[] f = goodFields(true);
    f[8] = "1".repeat(TEN_MB);
    rejected.put(line + 1, "line_too_long");
    emit(out, String.join(",", f));
    f = goodFields(true);
    f[0] = "2".repeat(TEN_MB);
    rejected.put(line + 1, "line_too_long");
    emit(out, String.join(",", f));
    // Under the limit, a 3 MB description is text like any other.
    f = goodFields(true);
    f[7] = "\"" + "Nickel, ".repeat(3 * (1 << 20) / 8) + "\"";
    keptValue += Double.parseDouble(f[8]);
    kept.add(line + 1);
    emit(out, String.join(",", f));
  }

  /** Writes one record as UTF-8; its embedded newlines make more physical lines. */
  private void emit(OutputStream out, String record) throws IOException {
    out.write(record.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
    long lines = record.chars().filter(c -> c == '\n').count() + 1;
    line += lines;
    dataLines += lines;
  }
}
