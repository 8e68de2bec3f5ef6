package org.critmin.generate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.critmin.config.UserInputException;
import org.critmin.ingest.CsvLine;

/**
 * Writes realistic, deterministic Comtrade "plus" bulk CSV (all 47 columns) for tests, samples and
 * benchmarks. Each commodity has a skewed world supplier structure (a few large exporters, a long
 * tail; China-linked suppliers lead many mineral codes), from which a true bilateral matrix is drawn
 * per period. Every importer then reports its imports (CIF, a little above) and every exporter its
 * exports (FOB), so mirror flows differ as they do in real data, and each reporter's partner rows
 * add up exactly to its World row. Real Comtrade country codes and real HS6 codes of the mineral map
 * are used; a configurable share of rows carries other commodities, as in a real bulk file.
 */
public final class ComtradeGenerator {

  /** The 47 columns of a Comtrade Plus bulk file, in order. */
  public static final String HEADER = "typeCode,freqCode,refPeriodId,refYear,refMonth,period,"
      + "reporterCode,reporterISO,reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,"
      + "partner2Code,partner2ISO,partner2Desc,classificationCode,classificationSearchCode,"
      + "isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,mosCode,"
      + "motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,altQtyUnitAbbr,"
      + "altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,isGrossWgtEstimated,cifvalue,"
      + "fobvalue,primaryValue,legacyEstimationFlag,isReported,isAggregate";

  /** Large traders of minerals, in rough order of size; China-linked first for many codes. */
  private static final List<String> MAJOR_TRADERS = List.of("CHN", "USA", "DEU", "JPN", "KOR",
      "AUS", "CHL", "COD", "IDN", "ZAF", "BRA", "CAN", "RUS", "IND", "PER", "PHL", "BEL", "NLD",
      "FRA", "GBR", "ITA", "ESP", "MYS", "THA", "VNM", "MEX", "TUR", "POL", "FIN", "NOR", "SWE",
      "KAZ", "ZMB", "GAB", "MOZ", "MMR", "HKG", "SGP", "ARE", "SAU", "ARG", "BOL", "ZWE", "GIN",
      "MAR", "NZL", "AUT", "CHE", "CZE", "UKR");

  /** One country of the reference table, with its code, ISO3 and name fields as CSV bytes. */
  private record Country(int code, String iso3, String name, byte[] fragment) {
    Country(int code, String iso3, String name) {
      this(code, iso3, name, ascii(code + "," + iso3 + "," + quoted(name) + ","));
    }
  }

  /** One commodity code with its world supplier shares. */
  private record Commodity(String hs2017, String hs2022, boolean mineral, Country[] suppliers,
      double[] shares, Country[] importers, double unitValue, byte[] fields2017,
      byte[] fields2022) {
  }

  private final List<Country> traders;
  private final List<String> codes2017;
  private final List<String> codes2022;
  private final long seed;

  private ComtradeGenerator(List<Country> traders, List<String> codes2017, List<String> codes2022,
      long seed) {
    this.traders = traders;
    this.codes2017 = codes2017;
    this.codes2022 = codes2022;
    this.seed = seed;
  }

  /** Reads countries.csv and hs6_minerals.csv from {@code referenceDir}. */
  public static ComtradeGenerator fromReference(Path referenceDir, long seed) {
    Map<String, Country> byIso = new LinkedHashMap<>();
    for (String[] row : readCsv(referenceDir.resolve("countries.csv"))) {
      if (row[3].equals("country") && !byIso.containsKey(row[1])) {
        byIso.put(row[1], new Country(Integer.parseInt(row[0]), row[1], row[2]));
      }
    }
    List<Country> traders = new ArrayList<>();
    for (String iso : MAJOR_TRADERS) {
      if (byIso.containsKey(iso)) {
        traders.add(byIso.get(iso));
      }
    }
    Set<String> codes2017 = new java.util.LinkedHashSet<>();
    Set<String> codes2022 = new java.util.LinkedHashSet<>();
    for (String[] row : readCsv(referenceDir.resolve("hs6_minerals.csv"))) {
      (row[1].equals("HS2022") ? codes2022 : codes2017).add(row[0]);
    }
    return new ComtradeGenerator(traders, List.copyOf(codes2017), List.copyOf(codes2022), seed);
  }

  /**
   * Writes about {@code rows} data rows (whole reporter groups, so slightly more) for the years
   * {@code fromYear..toYear}, monthly or annual; {@code mineralShare} of the commodity groups are
   * mapped mineral codes. Returns the number of data rows written. Rows are assembled as bytes from
   * fragments computed once per country, commodity and period (no per-field formatting), so the
   * generator writes several hundred thousand rows a second.
   */
  public long write(OutputStream out, long rows, int fromYear, int toYear, boolean monthly,
      double mineralShare) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    out.write((HEADER + "\n").getBytes(StandardCharsets.UTF_8));
    List<int[]> periods = new ArrayList<>();
    for (int y = fromYear; y <= toYear; y++) {
      if (monthly) {
        for (int m = 1; m <= 12; m++) {
          periods.add(new int[] {y, m});
        }
      } else {
        periods.add(new int[] {y, 0});
      }
    }
    // Every period gets an equal share of the rows; the same commodities recur from period to
    // period (a new one joins the pool only when a period needs more rows), as in a real panel.
    long perPeriod = Math.max(1, rows / periods.size());
    long written = 0;
    Rows buffers = new Rows();
    List<Commodity> pool = new ArrayList<>();
    for (int p = 0; p < periods.size(); p++) {
      long budget = p == periods.size() - 1 ? Math.max(1, rows - written) : perPeriod;
      int year = periods.get(p)[0];
      int month = periods.get(p)[1];
      Period period = new Period(year, month);
      long periodRows = 0;
      for (int i = 0; periodRows < budget; i++) {
        if (i == pool.size()) {
          pool.add(commodity(random, i, mineralShare));
        }
        periodRows += writeCommodityPeriod(buffers, random, pool.get(i), period);
        if (buffers.out.length() >= FLUSH_BYTES) {
          buffers.out.writeTo(out);
        }
      }
      written += periodRows;
    }
    buffers.out.writeTo(out);
    return written;
  }

  private static final int FLUSH_BYTES = 1 << 20;

  private Commodity commodity(SplittableRandom random, long index, double mineralShare) {
    boolean mineral = random.nextDouble() < mineralShare;
    String hs2017;
    String hs2022;
    if (mineral) {
      hs2017 = codes2017.get((int) ((index * 37) % codes2017.size()));
      hs2022 = codes2022.get((int) ((index * 37) % codes2022.size()));
    } else {
      // A code of chapters 1-24, far from the mineral codes (chapters 25-28, 71-81, 85).
      int chapter = 1 + random.nextInt(24);
      int heading = random.nextInt(10000);
      hs2017 = (chapter < 10 ? "0" : "") + chapter + String.valueOf(10000 + heading).substring(1);
      hs2022 = hs2017;
    }
    int n = 4 + random.nextInt(Math.min(20, traders.size() - 4));
    List<Country> shuffled = new ArrayList<>(traders);
    for (int i = shuffled.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Country t = shuffled.get(i);
      shuffled.set(i, shuffled.get(j));
      shuffled.set(j, t);
    }
    if (mineral && random.nextDouble() < 0.6) {
      Country china = traders.get(0);
      shuffled.remove(china);
      shuffled.add(0, china);
    }
    Country[] suppliers = shuffled.subList(0, n).toArray(Country[]::new);
    // Importers: a random subset, larger traders more likely.
    List<Country> buyers = new ArrayList<>();
    for (int i = 0; i < traders.size(); i++) {
      if (random.nextDouble() < 0.5 / (1 + i * 0.05)) {
        buyers.add(traders.get(i));
      }
    }
    if (buyers.isEmpty()) {
      buyers.add(traders.get(1));
    }
    double[] shares = new double[n];
    double exponent = 0.8 + random.nextDouble() * 1.6;
    double total = 0;
    for (int i = 0; i < n; i++) {
      shares[i] = 1.0 / Math.pow(i + 1, exponent);
      total += shares[i];
    }
    for (int i = 0; i < n; i++) {
      shares[i] /= total;
    }
    double unitValue = Math.exp(random.nextDouble() * 8 - 1);
    return new Commodity(hs2017, hs2022, mineral, suppliers, shares,
        buyers.toArray(Country[]::new), unitValue, commodityFields("H5", hs2017),
        commodityFields("H6", hs2022));
  }

  /** The fields from partner2 to the quantity unit, which depend only on the commodity. */
  private static byte[] commodityFields(String classification, String hs6) {
    return ascii("0,W00,World," + classification + ",HS,true," + hs6 + ",Commodity " + hs6
        + ",6,true,C00,TOTAL CPC,0,0,TOTAL MOT,8,kg,");
  }

  /** All reports of one commodity in one period; returns the rows written. */
  private long writeCommodityPeriod(Rows b, SplittableRandom random, Commodity c, Period period) {
    int month = period.month;
    Country[] buyers = c.importers();
    Country[] suppliers = c.suppliers();
    int importers = buyers.length;
    long[][] flows = new long[suppliers.length][importers];
    for (int e = 0; e < suppliers.length; e++) {
      for (int i = 0; i < importers; i++) {
        Country importer = buyers[i];
        if (importer == suppliers[e] || random.nextDouble() < 0.3) {
          continue;
        }
        double size = 2e7 / (1 + i * 0.3) * (month == 0 ? 12 : 1);
        flows[e][i] = Math.round(size * c.shares()[e] * Math.exp(random.nextGaussian() * 0.5));
      }
    }
    byte[] fields = period.year >= 2022 ? c.fields2022() : c.fields2017();
    long rows = 0;
    // Importers' reports: partners are the suppliers, valued CIF (a few percent above FOB).
    for (int i = 0; i < importers; i++) {
      long world = 0;
      long worldKg = 0;
      b.partners.reset();
      for (int e = 0; e < suppliers.length; e++) {
        if (flows[e][i] > 0) {
          long value = Math.round(flows[e][i] * (1.02 + random.nextDouble() * 0.08));
          long kg = Math.max(1, Math.round(flows[e][i] / c.unitValue()));
          row(b.partners, period, buyers[i], true, suppliers[e].fragment(), fields, value, kg);
          world += value;
          worldKg += kg;
          rows++;
        }
      }
      if (world > 0) {
        row(b.out, period, buyers[i], true, WORLD_PARTNER, fields, world, worldKg);
        b.out.append(b.partners);
        rows++;
      }
    }
    // Exporters' reports: partners are the importers, valued FOB; some exporters do not report.
    for (int e = 0; e < suppliers.length; e++) {
      if (random.nextDouble() < 0.15) {
        continue;
      }
      long world = 0;
      long worldKg = 0;
      b.partners.reset();
      for (int i = 0; i < importers; i++) {
        if (flows[e][i] > 0) {
          long value = Math.round(flows[e][i] * (0.97 + random.nextDouble() * 0.06));
          long kg = Math.max(1, Math.round(flows[e][i] / c.unitValue()));
          row(b.partners, period, suppliers[e], false, buyers[i].fragment(), fields, value, kg);
          world += value;
          worldKg += kg;
          rows++;
        }
      }
      if (world > 0) {
        row(b.out, period, suppliers[e], false, WORLD_PARTNER, fields, world, worldKg);
        b.out.append(b.partners);
        rows++;
      }
    }
    return rows;
  }

  private static final byte[] WORLD_PARTNER = ascii("0,W00,World,");
  private static final byte[] IMPORT = ascii("M,Import,");
  private static final byte[] EXPORT = ascii("X,Export,");
  private static final byte[] AFTER_QTY = ascii(",false,-1,N/A,,false,");
  private static final byte[] AFTER_NET_WGT = ascii(",false,,false,");
  private static final byte[] ROW_END = ascii(",0,true,false\n");

  /** Appends one 47-column row; {@code partner} is the partner's code, ISO3 and name fields. */
  private static void row(ByteRow b, Period period, Country reporter, boolean imports,
      byte[] partner, byte[] commodityFields, long value, long kg) {
    b.append(period.fields).append(reporter.fragment()).append(imports ? IMPORT : EXPORT)
        .append(partner).append(commodityFields)
        .append(kg).append(AFTER_QTY).append(kg).append(AFTER_NET_WGT);
    if (imports) {
      b.append(value).append((byte) ',').append((byte) ',');
    } else {
      b.append((byte) ',').append(value).append((byte) ',');
    }
    b.append(value).append(ROW_END);
  }

  /** The leading period fields of every row of one period (typeCode to period). */
  private record Period(int year, int month, byte[] fields) {
    Period(int year, int month) {
      this(year, month, ascii(month == 0
          ? "C,A," + year + "0101," + year + ",52," + year + ","
          : "C,M," + year + (month < 10 ? "0" : "") + month + "01," + year + "," + month + ","
              + year + (month < 10 ? "0" : "") + month + ","));
    }
  }

  /** The output buffer and the buffer of one reporter's partner rows (written after its World row). */
  private static final class Rows {
    final ByteRow out = new ByteRow(FLUSH_BYTES + (1 << 16));
    final ByteRow partners = new ByteRow(1 << 14);
  }

  /** A growable byte buffer with decimal formatting of longs, without allocation per field. */
  private static final class ByteRow {
    private byte[] bytes;
    private int length;

    ByteRow(int capacity) {
      bytes = new byte[capacity];
    }

    ByteRow append(byte[] fragment) {
      ensure(fragment.length);
      System.arraycopy(fragment, 0, bytes, length, fragment.length);
      length += fragment.length;
      return this;
    }

    ByteRow append(ByteRow other) {
      ensure(other.length);
      System.arraycopy(other.bytes, 0, bytes, length, other.length);
      length += other.length;
      return this;
    }

    ByteRow append(byte b) {
      ensure(1);
      bytes[length++] = b;
      return this;
    }

    /** Appends a non-negative long in decimal. */
    ByteRow append(long value) {
      ensure(20);
      if (value == 0) {
        bytes[length++] = '0';
        return this;
      }
      int digits = 0;
      for (long v = value; v > 0; v /= 10) {
        digits++;
      }
      int pos = length + digits;
      for (long v = value; v > 0; v /= 10) {
        bytes[--pos] = (byte) ('0' + (v % 10));
      }
      length += digits;
      return this;
    }

    int length() {
      return length;
    }

    void reset() {
      length = 0;
    }

    void writeTo(OutputStream out) throws IOException {
      out.write(bytes, 0, length);
      length = 0;
    }

    private void ensure(int extra) {
      if (length + extra > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
      }
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String quoted(String s) {
    return s.indexOf(',') >= 0 || s.indexOf('"') >= 0 ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  private static List<String[]> readCsv(Path file) {
    List<String[]> rows = new ArrayList<>();
    CsvLine csv = new CsvLine(',');
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null) {
        throw new UserInputException(file + ": empty reference file");
      }
      String line;
      while ((line = in.readLine()) != null) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (csv.split(bytes, bytes.length) != CsvLine.Status.OK) {
          throw new UserInputException(file + ": broken line " + line);
        }
        String[] values = new String[csv.fieldCount()];
        for (int i = 0; i < values.length; i++) {
          values[i] = csv.text(i, StandardCharsets.UTF_8);
        }
        rows.add(values);
      }
    } catch (IOException e) {
      throw new UserInputException("cannot read reference file " + file + ": " + e.getMessage());
    }
    return rows;
  }
}
