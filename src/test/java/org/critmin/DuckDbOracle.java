package org.critmin;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent computation of critmin's core numbers in DuckDB SQL, straight from the raw
 * Comtrade files and the reference CSVs, sharing no code with critmin: the reconciled bilateral
 * flows, world supply concentration (basis {@code reconciled}) and each reporter's partner
 * concentration. The tests and {@code jobs/benchmark} compare critmin's tables with it.
 *
 * <p>The rules written again here (docs/methods.md, "UN Comtrade facts"): the mineral map's edition
 * chosen by the record's classification (H6 and later HS2022, else HS2017, by year when there is
 * none; the other edition where the code exists only there); partner World, aggregates, breakdowns
 * (partner2, customs procedure, transport and supply mode other than their totals) and flows other
 * than M and X left out; reporters resolved by the country table (inner), partners by it or kept
 * as unallocated {@code _code}; of records with the same reporter, partner, flow, code and period
 * in one file the later line wins. Both Comtrade Plus layouts are read: the 47-column bulk file and
 * the API extract with {@code period} and without the breakdown columns. Not written again, because
 * the inputs it is used on have none: rejected lines, and revisions across files (files must not
 * share a reporter, flow, code and period).
 */
public final class DuckDbOracle implements AutoCloseable {

  private final Connection db;
  private static DuckDbOracle sample;

  private DuckDbOracle(Connection db) {
    this.db = db;
  }

  /** The oracle of sample-data/ (made once per JVM; in memory, freed at exit). */
  public static synchronized DuckDbOracle sample() throws SQLException {
    if (sample == null) {
      Path comtrade = Path.of(CommandResult.home(), "sample-data", "comtrade");
      sample = of(List.of(comtrade.resolve("generated_minerals_monthly_2024.csv.gz"),
          comtrade.resolve("nickel_api_extract_2010-2015.csv")),
          Path.of(CommandResult.home(), "conf", "reference"));
    }
    return sample;
  }

  /**
   * The number of raw records of the mapped HS6 codes matching a SQL condition on the columns
   * file (index of the input), line, period, reporterCode, partnerCode, flowCode, cmdCode...
   */
  public long countRecords(String condition) throws SQLException {
    try (Statement sql = db.createStatement();
        ResultSet r = sql.executeQuery("SELECT count(*) FROM records WHERE " + condition)) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Loads {@code inputs} (plain or gzip) with the reference tables of {@code reference}. */
  public static DuckDbOracle of(List<Path> inputs, Path reference) throws SQLException {
    Connection db = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement sql = db.createStatement()) {
      sql.execute("CREATE TABLE countries AS SELECT * FROM read_csv(" + literal(
          reference.resolve("countries.csv")) + ", header = true, columns = {'comtrade_code': "
          + "'INTEGER', 'iso3': 'VARCHAR', 'name': 'VARCHAR', 'kind': 'VARCHAR', "
          + "'china_linked': 'BOOLEAN', 'source': 'VARCHAR'})");
      sql.execute("CREATE TABLE hs_map AS SELECT hs6, hs_edition, mineral, stage, "
          + "lumped::BOOLEAN AS lumped FROM read_csv(" + literal(reference.resolve(
              "hs6_minerals.csv")) + ", header = true, all_varchar = true)");
      // The map edition a record uses: its preferred one where the code exists there, else the
      // other.
      sql.execute("""
          CREATE TABLE edition_choice AS
          SELECT h.hs6, p.preferred,
                 CASE WHEN bool_or(h.hs_edition = p.preferred) THEN p.preferred
                      ELSE min(h.hs_edition) END AS edition
          FROM (SELECT DISTINCT hs6, hs_edition FROM hs_map) h
          CROSS JOIN (VALUES ('HS2017'), ('HS2022')) p(preferred)
          GROUP BY h.hs6, p.preferred""");
      List<String> files = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        files.add(records(sql, inputs.get(i), i));
      }
      sql.execute("CREATE TABLE records AS " + String.join(" UNION ALL BY NAME ", files));
      sql.execute("""
          CREATE TABLE trade_flows AS
          WITH kept AS (
            SELECT * FROM records
            WHERE partnerCode <> 0
              AND NOT coalesce(isAggregate, false) AND NOT coalesce(aggrLevel < 6, false)
              AND coalesce(partner2Code, 0) = 0 AND coalesce(customsCode, 'C00') = 'C00'
              AND coalesce(motCode, 0) = 0 AND coalesce(mosCode, '0') = '0'
              AND flowCode IN ('M', 'X')
            QUALIFY row_number() OVER (PARTITION BY file, reporterCode, partnerCode, flowCode,
                cmdCode, period ORDER BY line DESC) = 1)
          SELECT k.period, r.iso3 AS reporter_iso3,
                 coalesce(p.iso3, '_' || k.partnerCode::VARCHAR) AS partner_iso3,
                 CASE WHEN p.kind = 'country' THEN 'country' ELSE 'unallocated' END
                     AS partner_kind,
                 k.flowCode AS flow, m.hs6, m.mineral, m.stage, m.lumped, k.value_usd
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
          SELECT period, exporter, importer, hs6, mineral, stage,
                 CASE WHEN import_value IS NOT NULL THEN kind ELSE 'country' END AS kind,
                 coalesce(import_value, export_value) AS value_usd,
                 CASE WHEN import_value IS NOT NULL THEN 'importer_reported'
                      ELSE 'exporter_reported' END AS basis,
                 CASE WHEN import_value IS NOT NULL AND export_value IS NOT NULL
                           AND greatest(import_value, export_value) > 0
                      THEN (import_value - export_value) / greatest(import_value, export_value)
                 END AS mirror_gap
          FROM imports FULL OUTER JOIN exports
            USING (period, exporter, importer, hs6, mineral, stage, lumped)""");
    } catch (SQLException | RuntimeException e) {
      db.close();
      throw e;
    }
    return new DuckDbOracle(db);
  }

  /**
   * A select of one input file's records in one layout: line number, file index, period
   * ({@code YYYY} or {@code YYYY-MM}), preferred map edition and the fields the rules use.
   */
  private static String records(Statement sql, Path file, int index) throws SQLException {
    List<String> header = new ArrayList<>();
    try (ResultSet r = sql.executeQuery("SELECT * FROM read_csv(" + literal(file)
        + ", header = true, all_varchar = true) LIMIT 0")) {
      ResultSetMetaData meta = r.getMetaData();
      for (int c = 1; c <= meta.getColumnCount(); c++) {
        header.add(meta.getColumnName(c));
      }
    }
    boolean bulk = header.contains("freqCode");
    String period = bulk
        ? "CASE WHEN freqCode = 'M' THEN printf('%04d-%02d', refYear::INTEGER, "
            + "refMonth::INTEGER) ELSE refYear END"
        : "period";
    String year = bulk ? "refYear::INTEGER" : "period::INTEGER";
    String classification = bulk ? "classificationCode" : "NULL";
    String optional = bulk
        ? "isAggregate::BOOLEAN AS isAggregate, aggrLevel::INTEGER AS aggrLevel, "
            + "partner2Code::INTEGER AS partner2Code, customsCode, motCode::INTEGER AS motCode, "
            + "mosCode"
        : "NULL::BOOLEAN AS isAggregate, NULL::INTEGER AS aggrLevel, "
            + "NULL::INTEGER AS partner2Code, NULL AS customsCode, NULL::INTEGER AS motCode, "
            + "NULL AS mosCode";
    // Lines are numbered before any filter: a window over filtered rows of a parallel scan need
    // not follow the file's order, and the later of two repeated lines must win.
    return "SELECT " + index + " AS file, line, " + period
        + " AS period, reporterCode::INTEGER AS reporterCode, partnerCode::INTEGER AS "
        + "partnerCode, flowCode, cmdCode, primaryValue::DOUBLE AS value_usd, " + optional + ", "
        + "CASE WHEN " + classification + " IN ('H6', 'H7') THEN 'HS2022' WHEN " + classification
        + " IS NOT NULL THEN 'HS2017' WHEN " + year + " >= 2022 THEN 'HS2022' ELSE 'HS2017' END "
        + "AS preferred FROM (SELECT row_number() OVER () AS line, * FROM read_csv("
        + literal(file) + ", header = true, all_varchar = true)) "
        + "WHERE cmdCode IN (SELECT hs6 FROM hs_map)";
  }

  /**
   * World supply concentration on the reconciled basis: (mineral, stage, period) to
   * {@code [n_suppliers, total_value_usd, hhi]}, stage once as it is and once as {@code all}.
   */
  public Map<List<String>, double[]> supply() throws SQLException {
    return concentration("bilateral", "exporter", List.of("mineral", "stage", "period"));
  }

  /**
   * Each reporter's partner concentration from its own reports: (reporter_iso3, flow, mineral,
   * stage, period) to {@code [n_partners, total_value_usd, hhi]}.
   */
  public Map<List<String>, double[]> partner() throws SQLException {
    return concentration("(SELECT * RENAME (partner_kind AS kind) FROM trade_flows)",
        "partner_iso3", List.of("reporter_iso3", "flow", "mineral", "stage", "period"));
  }

  /**
   * The reconciled flows: (period, exporter, importer, hs6, mineral, stage) to {@code [value_usd,
   * importer_reported (1) or not (0), mirror_gap (NaN where absent)]}.
   */
  public Map<List<String>, double[]> bilateral() throws SQLException {
    return rows("SELECT period, exporter, importer, hs6, mineral, stage, value_usd, "
        + "CASE WHEN basis = 'importer_reported' THEN 1 ELSE 0 END, "
        + "coalesce(mirror_gap, 'NaN'::DOUBLE) FROM bilateral", 6);
  }

  /**
   * Per group of {@code keys} (stage once as it is and once as {@code all}): the number of partners
   * that are countries with a positive value, their total value and
   * {@code HHI = 10000 * sum(v^2) / sum(v)^2}.
   */
  private Map<List<String>, double[]> concentration(String rows, String partner,
      List<String> keys) throws SQLException {
    return rows(concentrationSql(rows, partner, keys), keys.size());
  }

  /** The SQL of {@link #concentration}, also exported as CSV by {@code jobs/benchmark}. */
  static String concentrationSql(String rows, String partner, List<String> keys) {
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

  /** Exports the supply and partner concentration as CSV files (the benchmark's comparison). */
  public void export(Path supplyCsv, Path partnerCsv) throws SQLException {
    try (Statement sql = db.createStatement()) {
      sql.execute("COPY (" + concentrationSql("bilateral", "exporter", List.of("mineral",
          "stage", "period")) + ") TO " + literal(supplyCsv) + " (HEADER)");
      sql.execute("COPY (" + concentrationSql("(SELECT * RENAME (partner_kind AS kind) FROM "
          + "trade_flows)", "partner_iso3", List.of("reporter_iso3", "flow", "mineral", "stage",
          "period")) + ") TO " + literal(partnerCsv) + " (HEADER)");
    }
  }

  /** The rows of a query: its first {@code keys} columns as strings to the rest as doubles. */
  private Map<List<String>, double[]> rows(String query, int keys) throws SQLException {
    Map<List<String>, double[]> out = new LinkedHashMap<>();
    try (Statement sql = db.createStatement(); ResultSet r = sql.executeQuery(query)) {
      int width = r.getMetaData().getColumnCount();
      while (r.next()) {
        List<String> key = new ArrayList<>();
        for (int c = 1; c <= keys; c++) {
          key.add(r.getString(c));
        }
        double[] values = new double[width - keys];
        for (int c = keys + 1; c <= width; c++) {
          double v = r.getDouble(c);
          values[c - keys - 1] = r.wasNull() ? Double.NaN : v;
        }
        if (out.put(key, values) != null) {
          throw new IllegalStateException("key " + key + " twice in " + query);
        }
      }
    }
    return out;
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }

  private static String literal(Path path) {
    return "'" + path.toAbsolutePath().toString().replace("'", "''") + "'";
  }
}
