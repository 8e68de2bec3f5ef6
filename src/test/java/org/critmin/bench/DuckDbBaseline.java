package org.critmin.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.critmin.DuckDbOracle;

/**
 * The DuckDB baseline of {@code jobs/benchmark} (not a test): {@link DuckDbOracle} computes from
 * a Comtrade plus CSV the same two outputs critmin's core path writes, with critmin's rules in
 * SQL, and this class exports them as CSV and compares them with critmin's tables exported to CSV.
 *
 * <ul>
 *   <li>{@code supply.csv}: {@code gold.supply_concentration}, basis {@code reconciled}.</li>
 *   <li>{@code partner.csv}: {@code gold.partner_concentration}.</li>
 * </ul>
 *
 * <p>Usage: {@code run INPUT.csv REFERENCE_DIR OUT_DIR} (timed by the caller as a whole process) and
 * {@code compare DUCKDB_DIR CRITMIN_DIR} (reads {@code supply.csv} and {@code partner.csv} of both;
 * prints one line per output: rows compared, rows only on one side, value mismatches).
 */
public final class DuckDbBaseline {

  private DuckDbBaseline() {}

  /** Relative tolerance of the comparison. */
  static final double TOLERANCE = 1e-9;

  public static void main(String[] args) throws Exception {
    if (args.length == 4 && args[0].equals("run")) {
      run(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
    } else if (args.length == 3 && args[0].equals("compare")) {
      System.exit(compare(Path.of(args[1]), Path.of(args[2])) ? 0 : 3);
    } else {
      System.err.println("usage: DuckDbBaseline run INPUT.csv REFERENCE_DIR OUT_DIR | "
          + "compare DUCKDB_DIR CRITMIN_DIR");
      System.exit(2);
    }
  }

  private static void run(Path input, Path reference, Path out) throws SQLException,
      java.io.IOException {
    Files.createDirectories(out);
    long start = System.nanoTime();
    try (DuckDbOracle oracle = DuckDbOracle.of(List.of(input), reference)) {
      oracle.export(out.resolve("supply.csv"), out.resolve("partner.csv"));
    }
    System.out.printf("duckdb: computed in %.2f s%n", (System.nanoTime() - start) / 1e9);
  }

  /** Compares both outputs; prints a line each; true when they match everywhere. */
  private static boolean compare(Path duckdb, Path critmin) throws SQLException {
    boolean same = true;
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = db.createStatement()) {
      same &= compareOne(sql, "supply_concentration", duckdb.resolve("supply.csv"),
          critmin.resolve("supply.csv"), List.of("mineral", "stage", "period"));
      same &= compareOne(sql, "partner_concentration", duckdb.resolve("partner.csv"),
          critmin.resolve("partner.csv"), List.of("reporter_iso3", "flow", "mineral", "stage",
              "period"));
    }
    return same;
  }

  private static boolean compareOne(Statement sql, String name, Path duckdb, Path critmin,
      List<String> keys) throws SQLException {
    String side = "SELECT %1$s, true AS %2$s_in, n::BIGINT AS %2$s_n, "
        + "total_value_usd::DOUBLE AS %2$s_total, hhi::DOUBLE AS %2$s_hhi "
        + "FROM read_csv(%3$s, header = true, all_varchar = true)";
    String keyList = String.join(", ", keys);
    String joined = "SELECT coalesce(d_in, false) AS d_in, coalesce(c_in, false) AS c_in, "
        + "d_n, c_n, d_total, c_total, d_hhi, c_hhi FROM ("
        + String.format(side, keyList, "d", literal(duckdb)) + ") FULL OUTER JOIN ("
        + String.format(side, keyList, "c", literal(critmin)) + ") USING (" + keyList + ")";
    String differs = "((d_%1$s IS NULL) <> (c_%1$s IS NULL) OR abs(d_%1$s - c_%1$s) > "
        + TOLERANCE + " * greatest(abs(d_%1$s), abs(c_%1$s)))";
    String query = "SELECT count(*) FILTER (WHERE d_in AND c_in), "
        + "count(*) FILTER (WHERE d_in AND NOT c_in), "
        + "count(*) FILTER (WHERE c_in AND NOT d_in), "
        + "count(*) FILTER (WHERE d_in AND c_in AND " + String.format(differs, "hhi") + "), "
        + "count(*) FILTER (WHERE d_in AND c_in AND " + String.format(differs, "total") + "), "
        + "count(*) FILTER (WHERE d_in AND c_in AND d_n <> c_n), "
        + "coalesce(max(abs(d_hhi - c_hhi) / greatest(abs(d_hhi), abs(c_hhi))), 0) "
        + "FROM (" + joined + ")";
    try (ResultSet r = sql.executeQuery(query)) {
      r.next();
      long both = r.getLong(1);
      long onlyDuckdb = r.getLong(2);
      long onlyCritmin = r.getLong(3);
      long hhi = r.getLong(4);
      long total = r.getLong(5);
      long n = r.getLong(6);
      double maxDiff = r.getDouble(7);
      boolean same = both > 0 && onlyDuckdb == 0 && onlyCritmin == 0 && hhi == 0 && total == 0
          && n == 0;
      System.out.printf("compare %s: %d rows on both sides, %d only in duckdb, %d only in critmin;"
          + " mismatches (relative tolerance %.0e): hhi %d, total_value_usd %d, n %d; largest "
          + "relative hhi difference %.1e -> %s%n", name, both, onlyDuckdb, onlyCritmin,
          TOLERANCE, hhi, total, n, maxDiff, same ? "EQUAL" : "DIFFERENT");
      return same;
    }
  }

  private static String literal(Path path) {
    return "'" + path.toAbsolutePath().toString().replace("'", "''") + "'";
  }
}
