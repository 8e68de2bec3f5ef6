package org.critmin.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.critmin.SparkTestSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Estimates, standard errors, test statistics and sample facts against R (lm / glm with one dummy per
 * fixed-effect level, sandwich::vcovCL and vcovHC), from make_golden.R. Coefficients within 1e-6
 * (absolute or relative), standard errors and statistics within 1e-4 relative, for every variance
 * type and small-sample convention the script covers; each model fitted once in the driver's
 * memory and once on the executors, which must both match R.
 */
class GoldenRegressionTest {

  static final double COEF_TOL = 1e-6;
  static final double SE_TOL = 1e-4;
  /** p-values from R's own statistic: both sides compute exact tail probabilities. */
  static final double P_TOL = 1e-6;

  /** Where the fit runs: in memory, or on the executors (no sample is small enough). */
  enum Mode {
    IN_MEMORY(Regression.DEFAULT_IN_MEMORY_ROWS), DISTRIBUTED(0);

    final long inMemoryRows;

    Mode(long inMemoryRows) {
      this.inMemoryRows = inMemoryRows;
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void gravityPpmlClusteredByPairHeteroAndIid(Mode mode) {
    Dataset<Row> data = GoldenData.read("gravity", GoldenData.GRAVITY);
    Fit fit = Regression.estimate(data,
        "y ~ policy + tariff | exporter^year + importer^year", "ppml",
        List.of("pair", "exporter", "importer"), mode.inMemoryRows);
    assertEquals(7, fit.droppedSeparated(), "the all-zero exporter-year C08 2016");
    assertTrue(fit.converged());
    check(fit, "gravity_ppml");
    check(fit, "gravity_ppml_2way");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eventStudyOlsTwoFixedEffects(Mode mode) {
    Dataset<Row> data = GoldenData.read("event_panel", GoldenData.EVENT_PANEL);
    Fit fit = Regression.estimate(data, "y ~ i(rel_period, ref = -1) + x | unit + year", "ols",
        List.of("unit"), mode.inMemoryRows);
    assertEquals(0, fit.droppedSingletons());
    check(fit, "event_ols");

    RegressionResult r = Regression.result(fit, Variance.Type.CLUSTER, Variance.Ssc.NESTED);
    List<Row> rows = r.toDataset(SparkTestSession.get(), "event").collectAsList();
    assertEquals(RegressionResult.SCHEMA, r.toDataset(SparkTestSession.get(), "event").schema());
    assertEquals(9, rows.size());
    Row first = rows.get(0);
    assertEquals("rel_period::-4", first.getAs("term"));
    assertEquals("cluster(unit)", first.getAs("se_type"));
    assertEquals("nested", first.getAs("ssc"));
    assertEquals(60L, (long) first.getAs("n_clusters"));
    assertEquals("unit + year", first.getAs("fixed_effects"));
    assertEquals("ols", first.getAs("estimator"));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void olsThreeFixedEffectsLogsAndInteraction(Mode mode) {
    Dataset<Row> data = GoldenData.read("three_fe", GoldenData.THREE_FE);
    Fit fit = Regression.estimate(data,
        "log(y) ~ x1 + log(x2) + x1:x2 | firm + product + year", "ols", List.of("firm"),
        mode.inMemoryRows);
    check(fit, "three_fe_ols");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void twoWayClusteringOlsAndPpml(Mode mode) {
    Dataset<Row> data = GoldenData.read("twoway", GoldenData.TWOWAY);
    List<String> clusters = List.of("exporter", "importer", "pair");
    check(Regression.estimate(data, "log(y) ~ ldist + fta | exporter + importer + year", "ols",
        clusters, mode.inMemoryRows), "twoway_ols");
    check(Regression.estimate(data, "y ~ ldist + fta | exporter + importer + year", "ppml",
        clusters, mode.inMemoryRows), "twoway_ppml");
    check(Regression.estimate(data, "y ~ ldist + fta", "ppml", List.of(), mode.inMemoryRows),
        "twoway_ppml_nofe");
  }

  /** Compares every (variance, clusters, ssc) of a model in expected.csv with the fit. */
  static void check(Fit fit, String model) {
    Map<String, List<GoldenData.Expected>> groups = new LinkedHashMap<>();
    for (GoldenData.Expected e : GoldenData.expected(model)) {
      groups.computeIfAbsent(e.seType() + "|" + e.clusters() + "|" + e.ssc(),
          g -> new java.util.ArrayList<>()).add(e);
    }
    Map<String, Map<Variance.Ssc, RegressionResult>> computed = new HashMap<>();
    for (List<GoldenData.Expected> group : groups.values()) {
      GoldenData.Expected first = group.get(0);
      RegressionResult r = computed.computeIfAbsent(first.seType() + first.clusters(),
          key -> Regression.results(fit, Variance.Type.parse(first.seType()), first.clusters()))
          .get(Variance.Ssc.parse(first.ssc()));
      assertEquals(first.ssc(), r.ssc());
      String where = model + " " + first.seType() + first.clusters() + " " + first.ssc();
      assertEquals(first.nObs(), r.nObs(), where + " n_obs");
      assertEquals(first.formula(), r.formula(), where + " formula");
      if (!first.nClusters().isEmpty()) {
        assertEquals(first.nClusters(), r.nClusters(), where + " n_clusters");
      }
      if (first.kUsed() != null) {
        assertEquals(first.kUsed().longValue(), r.kUsed(), where + " K");
      }
      if (first.r2Within() != null) {
        close(first.r2Within(), r.r2Within(), COEF_TOL, where + " r2_within");
      }
      if (first.pseudoR2() != null) {
        close(first.pseudoR2(), r.pseudoR2(), COEF_TOL, where + " pseudo_r2");
      }
      assertEquals(first.df(), r.df(), 1e-9, where + " df");
      for (GoldenData.Expected e : group) {
        String t = where + " " + e.term();
        close(e.estimate(), r.estimate(e.term()), COEF_TOL, t + " estimate");
        relative(e.stdError(), r.stdError(e.term()), SE_TOL, t + " std_error");
        relative(e.statistic(), r.statistic(e.term()), SE_TOL, t + " statistic");
        relative(e.pValue(), RegressionResult.pValue(e.statistic(), r.df()), P_TOL,
            t + " p_value of R's statistic");
        // The fitted p-value moves with the statistic: d log p / dt is about -t.
        double logTolerance = SE_TOL * (1 + e.statistic() * e.statistic()) + P_TOL;
        assertTrue(Math.abs(Math.log(r.pValue(e.term())) - Math.log(e.pValue())) <= logTolerance,
            t + " p_value: expected " + e.pValue() + ", got " + r.pValue(e.term()));
        relative(e.ciLow(), r.ciLow(e.term()), SE_TOL, t + " ci_low");
        relative(e.ciHigh(), r.ciHigh(e.term()), SE_TOL, t + " ci_high");
      }
    }
  }

  /** Within tol absolutely or relatively. */
  static void close(double expected, double actual, double tol, String what) {
    double diff = Math.abs(expected - actual);
    assertTrue(diff <= tol || diff <= tol * Math.abs(expected),
        what + ": expected " + expected + ", got " + actual);
  }

  static void relative(double expected, double actual, double tol, String what) {
    assertTrue(Math.abs(expected - actual) <= tol * Math.abs(expected),
        what + ": expected " + expected + ", got " + actual);
  }
}
