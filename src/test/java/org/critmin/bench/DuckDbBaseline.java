package org.critmin.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The DuckDB baseline of {@code jobs/benchmark} (not a test): computes from a Comtrade plus CSV the
 * same two outputs critmin's core path writes, with critmin's rules in SQL, and compares them with
 * critmin's tables exported to CSV.
 *
 * <ul>
 *   <li>{@code supply.csv}: {@code gold.supply_concentration}, basis {@code reconciled}: bilateral
 *       flows (the importer's report preferred, the exporter's as fallback) summed per exporter, per
 *       mineral, stage (and {@code all}) and period; HHI over exporters that are countries with a
 *       positive value.</li>
 *   <li>{@code partner.csv}: {@code gold.partner_concentration}: each reporter's partners per flow,
 *       mineral, stage (and {@code all}) and period, from its own reports.</li>
 * </ul>
 *
 * <p>The rules reproduced: the mineral map's edition chosen by the record's classification (H6 and
 * later HS2022, else HS2017; the other edition where the code exists only there); partner World,
 * aggregates, breakdowns (partner2, customs procedure, transport and supply mode other than their
 * totals) and flows other than M and X left out; reporters resolved by the country table (inner),
 * partners by it or kept as unallocated {@code _code}; of records with the same reporter, partner,
 * flow, code and period the later line wins (generated files have such repeats where two commodity
 * groups draw the same code). Not reproduced, because generated files have none: rejected lines and
 * revisions across files.
 *
 * <p>Usage: {@code run INPUT.csv REFERENCE_DIR OUT_DIR} (timed by the caller as a whole process) and
 * {@code compare DUCKDB_DIR CRITMIN_DIR} (reads {@code supply.csv} and {@code partner.csv} of both;
 * prints one line per output: rows compared, rows only on one side, value mismatches).
 */
public final class DuckDbBaseline {

  private DuckDbBaseline() {}

  /** Relative tolerance of the comparison. */
  static final double TOLERANCE = 1e-9;

  /** The columns of a Comtrade plus bulk file the baseline reads, with their types. */
  private static final String PLUS_COLUMNS = String.join(", ",
      "'typeCode': 'VARCHAR'", "'freqCode': 'VARCHAR'", "'refPeriodId': 'VARCHAR'",
      "'refYear': 'INTEGER'", "'refMonth': 'INTEGER'", "'period': 'VARCHAR'",
      "'reporterCode': 'INTEGER'", "'reporterISO': 'VARCHAR'", "'reporterDesc': 'VARCHAR'",
      "'flowCode': 'VARCHAR'", "'flowDesc': 'VARCHAR'", "'partnerCode': 'INTEGER'",
      "'partnerISO': 'VARCHAR'", "'partnerDesc': 'VARCHAR'", "'partner2Code': 'INTEGER'",
      "'partner2ISO': 'VARCHAR'", "'partner2Desc': 'VARCHAR'", "'classificationCode': 'VARCHAR'",
      "'classificationSearchCode': 'VARCHAR'", "'isOriginalClassification': 'VARCHAR'",
      "'cmdCode': 'VARCHAR'", "'cmdDesc': 'VARCHAR'", "'aggrLevel': 'INTEGER'",
      "'isLeaf': 'VARCHAR'", "'customsCode': 'VARCHAR'", "'customsDesc': 'VARCHAR'",
      "'mosCode': 'VARCHAR'", "'motCode': 'INTEGER'", "'motDesc': 'VARCHAR'",
      "'qtyUnitCode': 'INTEGER'", "'qtyUnitAbbr': 'VARCHAR'", "'qty': 'DOUBLE'",
      "'isQtyEstimated': 'VARCHAR'", "'altQtyUnitCode': 'VARCHAR'", "'altQtyUnitAbbr': 'VARCHAR'",
      "'altQty': 'VARCHAR'", "'isAltQtyEstimated': 'VARCHAR'", "'netWgt': 'DOUBLE'",
      "'isNetWgtEstimated': 'VARCHAR'", "'grossWgt': 'VARCHAR'", "'isGrossWgtEstimated': 'VARCHAR'",
      "'cifvalue': 'DOUBLE'", "'fobvalue': 'DOUBLE'", "'primaryValue': 'DOUBLE'",
      "'legacyEstimationFlag': 'VARCHAR'", "'isReported': 'VARCHAR'",
      "'isAggregate': 'BOOLEAN'");

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
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = db.createStatement()) {
      sql.execute("CREATE TABLE countries AS SELECT * FROM read_csv(" + literal(
          reference.resolve("countries.csv")) + ", header = true, columns = {'comtrade_code': "
          + "'INTEGER', 'iso3': 'VARCHAR', 'name': 'VARCHAR', 'kind': 'VARCHAR', "
          + "'china_linked': 'BOOLEAN', 'source': 'VARCHAR'})");
      sql.execute("CREATE TABLE hs_map AS SELECT hs6, hs_edition, mineral, stage, "
          + "lumped::BOOLEAN AS lumped FROM read_csv(" + literal(reference.resolve(
              "hs6_minerals.csv")) + ", header = true, all_varchar = true)");
      // The map edition a record uses: its preferred one where the code exists there, else the other.
      sql.execute("""
          CREATE TABLE edition_choice AS
          SELECT h.hs6, p.preferred,
                 CASE WHEN bool_or(h.hs_edition = p.preferred) THEN p.preferred
                      ELSE min(h.hs_edition) END AS edition
          FROM (SELECT DISTINCT hs6, hs_edition FROM hs_map) h
          CROSS JOIN (VALUES ('HS2017'), ('HS2022')) p(preferred)
          GROUP BY h.hs6, p.preferred""");
      sql.execute("CREATE TABLE trade_flows AS "
          + "WITH lines AS (SELECT row_number() OVER () AS line, * FROM read_csv("
          + literal(input) + ", header = true, columns = {" + PLUS_COLUMNS + "})), "
          + "raw AS (SELECT * FROM lines WHERE cmdCode IN (SELECT hs6 FROM hs_map)), "
          + """
          kept AS (
            SELECT CASE WHEN freqCode = 'M' THEN printf('%04d-%02d', refYear, refMonth)
                        ELSE refYear::VARCHAR END AS period,
                   reporterCode, partnerCode, flowCode AS flow, cmdCode,
                   CASE WHEN classificationCode IN ('H6', 'H7') THEN 'HS2022'
                        WHEN classificationCode IS NOT NULL THEN 'HS2017'
                        WHEN refYear >= 2022 THEN 'HS2022' ELSE 'HS2017' END AS preferred,
                   primaryValue AS value_usd
            FROM raw
            WHERE partnerCode <> 0
              AND NOT coalesce(isAggregate, false) AND NOT coalesce(aggrLevel < 6, false)
              AND coalesce(partner2Code, 0) = 0 AND coalesce(customsCode, 'C00') = 'C00'
              AND coalesce(motCode, 0) = 0 AND coalesce(mosCode, '0') = '0'
              AND flowCode IN ('M', 'X')
            -- Same reporter, partner, flow, code and period more than once: the later line wins.
            QUALIFY row_number() OVER (PARTITION BY reporterCode, partnerCode, flowCode, cmdCode,
                period ORDER BY line DESC) = 1)
          SELECT k.period, r.iso3 AS reporter_iso3,
                 coalesce(p.iso3, '_' || k.partnerCode::VARCHAR) AS partner_iso3,
                 CASE WHEN p.kind = 'country' THEN 'country' ELSE 'unallocated' END
                     AS partner_kind,
                 k.flow, m.hs6, m.mineral, m.stage, m.lumped, k.value_usd
          FROM kept k
          JOIN edition_choice e ON e.hs6 = k.cmdCode AND e.preferred = k.preferred
          JOIN hs_map m ON m.hs6 = k.cmdCode AND m.hs_edition = e.edition
          JOIN countries r ON r.comtrade_code = k.reporterCode
          LEFT JOIN countries p ON p.comtrade_code = k.partnerCode""");
      sql.execute("""
          CREATE TABLE bilateral AS
          WITH imports AS (
            SELECT period, partner_iso3 AS exporter, reporter_iso3 AS importer, hs6, mineral,
                   stage, lumped, sum(value_usd) AS import_value, first(partner_kind) AS kind
            FROM trade_flows WHERE flow = 'M' GROUP BY ALL),
          exports AS (
            SELECT period, reporter_iso3 AS exporter, partner_iso3 AS importer, hs6, mineral,
                   stage, lumped, sum(value_usd) AS export_value
            FROM trade_flows WHERE flow = 'X' GROUP BY ALL)
          SELECT period, exporter, mineral, stage,
                 CASE WHEN import_value IS NOT NULL THEN kind ELSE 'country' END AS kind,
                 coalesce(import_value, export_value) AS value_usd
          FROM imports FULL OUTER JOIN exports
            USING (period, exporter, importer, hs6, mineral, stage, lumped)""");
      sql.execute("COPY (" + concentration("bilateral", "exporter", List.of("mineral", "stage",
          "period")) + ") TO " + literal(out.resolve("supply.csv")) + " (HEADER)");
      sql.execute("COPY (" + concentration("(SELECT * RENAME (partner_kind AS kind) FROM "
          + "trade_flows)", "partner_iso3", List.of("reporter_iso3", "flow", "mineral", "stage",
          "period")) + ") TO " + literal(out.resolve("partner.csv")) + " (HEADER)");
    }
    System.out.printf("duckdb: computed in %.2f s%n", (System.nanoTime() - start) / 1e9);
  }

  /**
   * Per group of {@code keys} (stage once as it is and once as {@code all}): the number of partners
   * that are countries with a positive value, their total value and
   * {@code HHI = 10000 * sum(v^2) / sum(v)^2}.
   */
  private static String concentration(String rows, String partner, List<String> keys) {
    String keyList = String.join(", ", keys);
    String counted = "kind = 'country' AND v > 0";
    return "WITH staged AS (SELECT * FROM " + rows + " UNION ALL BY NAME "
        + "SELECT * REPLACE ('all' AS stage) FROM " + rows + "), "
        + "per_partner AS (SELECT " + keyList + ", " + partner + ", kind, sum(value_usd) AS v "
        + "FROM staged GROUP BY ALL) "
        + "SELECT " + keyList + ", count(*) FILTER (WHERE " + counted + ") AS n, "
        + "coalesce(sum(v) FILTER (WHERE " + counted + "), 0) AS total_value_usd, "
        + "10000 * sum(v * v) FILTER (WHERE " + counted + ") / (sum(v) FILTER (WHERE " + counted
        + ") ^ 2) AS hhi FROM per_partner GROUP BY ALL ORDER BY ALL";
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
