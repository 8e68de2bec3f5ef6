package org.critmin.generate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
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

  /** One country of the reference table. */
  private record Country(int code, String iso3, String name) {}

  /** One commodity code with its world supplier shares. */
  private record Commodity(String hs2017, String hs2022, boolean mineral, Country[] suppliers,
      double[] shares, Country[] importers, double unitValue) {

    String hs6(int year) {
      return year >= 2022 ? hs2022 : hs2017;
    }
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
   * mapped mineral codes. Returns the number of data rows written.
   */
  public long write(Writer out, long rows, int fromYear, int toYear, boolean monthly,
      double mineralShare) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    out.write(HEADER);
    out.write('\n');
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
    StringBuilder line = new StringBuilder(400);
    List<Commodity> pool = new ArrayList<>();
    for (int p = 0; p < periods.size(); p++) {
      long budget = p == periods.size() - 1 ? Math.max(1, rows - written) : perPeriod;
      long periodRows = 0;
      for (int i = 0; periodRows < budget; i++) {
        if (i == pool.size()) {
          pool.add(commodity(random, i, mineralShare));
        }
        periodRows += writeCommodityPeriod(out, line, random, pool.get(i), periods.get(p)[0],
            periods.get(p)[1]);
      }
      written += periodRows;
    }
    return written;
  }

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
      hs2017 = String.format("%02d%04d", chapter, random.nextInt(10000));
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
        buyers.toArray(Country[]::new), unitValue);
  }

  /** All reports of one commodity in one period; returns the rows written. */
  private long writeCommodityPeriod(Writer out, StringBuilder line, SplittableRandom random,
      Commodity c, int year, int month) throws IOException {
    String classification = year >= 2022 ? "H6" : "H5";
    Country[] buyers = c.importers();
    int importers = buyers.length;
    long[][] flows = new long[c.suppliers().length][importers];
    for (int e = 0; e < c.suppliers().length; e++) {
      for (int i = 0; i < importers; i++) {
        Country importer = buyers[i];
        if (importer == c.suppliers()[e] || random.nextDouble() < 0.3) {
          continue;
        }
        double size = 2e7 / (1 + i * 0.3) * (month == 0 ? 12 : 1);
        flows[e][i] = Math.round(size * c.shares()[e] * Math.exp(random.nextGaussian() * 0.5));
      }
    }
    long rows = 0;
    // Importers' reports: partners are the suppliers, valued CIF (a few percent above FOB).
    for (int i = 0; i < importers; i++) {
      long world = 0;
      long worldKg = 0;
      StringBuilder partners = new StringBuilder();
      for (int e = 0; e < c.suppliers().length; e++) {
        if (flows[e][i] > 0) {
          long value = Math.round(flows[e][i] * (1.02 + random.nextDouble() * 0.08));
          long kg = Math.max(1, Math.round(flows[e][i] / c.unitValue()));
          row(partners, year, month, buyers[i], "M", c.suppliers()[e], classification, c,
              value, kg);
          world += value;
          worldKg += kg;
          rows++;
        }
      }
      if (world > 0) {
        row(line, year, month, buyers[i], "M", null, classification, c, world, worldKg);
        line.append(partners);
        rows++;
        out.append(line);
        line.setLength(0);
      }
    }
    // Exporters' reports: partners are the importers, valued FOB; some exporters do not report.
    for (int e = 0; e < c.suppliers().length; e++) {
      if (random.nextDouble() < 0.15) {
        continue;
      }
      long world = 0;
      long worldKg = 0;
      StringBuilder partners = new StringBuilder();
      for (int i = 0; i < importers; i++) {
        if (flows[e][i] > 0) {
          long value = Math.round(flows[e][i] * (0.97 + random.nextDouble() * 0.06));
          long kg = Math.max(1, Math.round(flows[e][i] / c.unitValue()));
          row(partners, year, month, c.suppliers()[e], "X", buyers[i], classification, c,
              value, kg);
          world += value;
          worldKg += kg;
          rows++;
        }
      }
      if (world > 0) {
        row(line, year, month, c.suppliers()[e], "X", null, classification, c, world, worldKg);
        line.append(partners);
        rows++;
        out.append(line);
        line.setLength(0);
      }
    }
    return rows;
  }

  /** Appends one 47-column row; a null partner is the World row. */
  private static void row(StringBuilder b, int year, int month, Country reporter, String flow,
      Country partner, String classification, Commodity c, long value, long kg) {
    boolean annual = month == 0;
    b.append("C,").append(annual ? 'A' : 'M').append(',')
        .append(year).append(annual ? "0101" : String.format("%02d01", month)).append(',')
        .append(year).append(',').append(annual ? 52 : month).append(',')
        .append(year);
    if (!annual) {
      b.append(month < 10 ? "0" : "").append(month);
    }
    b.append(',').append(reporter.code()).append(',').append(reporter.iso3()).append(',');
    quoted(b, reporter.name());
    b.append(',').append(flow).append(',').append(flow.equals("M") ? "Import" : "Export")
        .append(',');
    if (partner == null) {
      b.append("0,W00,World,");
    } else {
      b.append(partner.code()).append(',').append(partner.iso3()).append(',');
      quoted(b, partner.name());
      b.append(',');
    }
    b.append("0,W00,World,").append(classification).append(",HS,true,").append(c.hs6(year))
        .append(",Commodity ").append(c.hs6(year)).append(",6,true,C00,TOTAL CPC,0,0,TOTAL MOT,8,kg,")
        .append(kg).append(",false,-1,N/A,,false,").append(kg).append(",false,,false,");
    if (flow.equals("M")) {
      b.append(value).append(",,");
    } else {
      b.append(',').append(value).append(',');
    }
    b.append(value).append(",0,true,false\n");
  }

  private static void quoted(StringBuilder b, String s) {
    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0) {
      b.append('"').append(s.replace("\"", "\"\"")).append('"');
    } else {
      b.append(s);
    }
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
