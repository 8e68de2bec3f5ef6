package org.critmin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.critmin.DuckDbOracle;
import org.critmin.SampleWarehouse;
import org.critmin.SparkTestSession;
import org.critmin.TableContents;
import org.critmin.delta.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * critmin's core tables of the sample pipeline against {@link DuckDbOracle}, an independent
 * computation in DuckDB SQL from the same raw files: every key on both sides, counts exact, values
 * within 1e-9 relative.
 */
class GoldOracleTest {
  private static final double TOLERANCE = 1e-9;
  private static DuckDbOracle oracle;
  private static String warehouse;

  @BeforeAll
  static void compute() throws Exception {
    warehouse = SampleWarehouse.root().toString();
    oracle = DuckDbOracle.sample();
  }

  private static Dataset<Row> table(org.critmin.delta.TableSpec spec) {
    return TableContents.read(SparkTestSession.get(), warehouse, spec);
  }

  @Test
  void worldSupplyConcentrationOnTheReconciledBasis() throws Exception {
    List<Row> rows = table(Tables.SUPPLY_CONCENTRATION).filter("basis = 'reconciled'")
        .select("mineral", "stage", "period", "n_suppliers", "total_value_usd", "hhi")
        .collectAsList();
    assertSame("supply_concentration", oracle.supply(), rows, 3, new boolean[] {true, false,
        false});
  }

  @Test
  void eachReportersPartnerConcentration() throws Exception {
    List<Row> rows = table(Tables.PARTNER_CONCENTRATION).select("reporter_iso3", "flow",
        "mineral", "stage", "period", "n_partners", "total_value_usd", "hhi").collectAsList();
    assertSame("partner_concentration", oracle.partner(), rows, 5, new boolean[] {true, false,
        false});
  }

  @Test
  void reconciledBilateralFlowsWithTheirMirrorGaps() throws Exception {
    List<Row> rows = table(Tables.BILATERAL_FLOWS).selectExpr("period", "exporter_iso3",
        "importer_iso3", "hs6", "mineral", "stage", "value_usd",
        "CASE WHEN basis = 'importer_reported' THEN 1.0 ELSE 0.0 END", "mirror_gap")
        .collectAsList();
    assertSame("bilateral_flows", oracle.bilateral(), rows, 6, new boolean[] {false, true,
        false});
    // Both sides reported many flows of the real nickel extract: the gaps were compared.
    assertTrue(rows.stream().filter(r -> !r.isNullAt(8)).count() > 100);
  }

  /**
   * Compares critmin's rows (keys, then values) with the oracle's: the same keys, and per value
   * equal (exact where {@code exact}) or within the tolerance; NaN on the oracle's side is null.
   */
  private static void assertSame(String table, Map<List<String>, double[]> expected,
      List<Row> rows, int keys, boolean[] exact) {
    assertTrue(expected.size() > 100, table + ": the oracle found " + expected.size() + " rows");
    List<String> problems = new ArrayList<>();
    TreeSet<String> onlyCritmin = new TreeSet<>();
    for (Row r : rows) {
      List<String> key = new ArrayList<>();
      for (int c = 0; c < keys; c++) {
        key.add(r.isNullAt(c) ? null : r.get(c).toString());
      }
      double[] want = expected.remove(key);
      if (want == null) {
        onlyCritmin.add(key.toString());
        continue;
      }
      for (int v = 0; v < want.length; v++) {
        Double got = r.isNullAt(keys + v) ? null : ((Number) r.get(keys + v)).doubleValue();
        double w = want[v];
        boolean same = Double.isNaN(w) ? got == null
            : got != null && (exact[v] ? got == w
                : Math.abs(got - w) <= TOLERANCE * Math.max(Math.abs(w), Math.abs(got)));
        if (!same && problems.size() < 10) {
          problems.add(key + " column " + (keys + v) + ": oracle " + w + ", critmin " + got);
        }
      }
    }
    if (!onlyCritmin.isEmpty() || !expected.isEmpty() || !problems.isEmpty()) {
      fail(table + ": " + onlyCritmin.size() + " keys only in critmin (first "
          + onlyCritmin.stream().limit(3).toList() + "), " + expected.size()
          + " only in the oracle (first " + expected.keySet().stream().limit(3).toList()
          + "), value mismatches: " + problems);
    }
    assertEquals(rows.size(), rows.stream().map(Row::toString).distinct().count());
  }
}
