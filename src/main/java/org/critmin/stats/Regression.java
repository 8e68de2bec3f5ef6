package org.critmin.stats;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Entry point of the regression engine: OLS or PPML with absorbed fixed effects and robust standard
 * errors, formulas in R fixest syntax. See {@link Formula} (syntax), {@link FixedEffects}
 * (absorption), {@link Ols}, {@link Ppml} (estimators) and {@link Variance} (standard errors and
 * small-sample conventions); docs/methods.md, "Regressions".
 *
 * <p>Fitting and variance are separate steps, so several variances of one fit cost one fit:
 * {@link #estimate} then {@link #result}.
 */
public final class Regression {

  private Regression() {}

  /**
   * Models of up to this many rows are fitted in the driver's memory, larger ones on the executors
   * (see {@link Formula#design(Dataset, List, long)}). Two million rows of a model with a few
   * regressors take a few hundred megabytes.
   */
  public static final long DEFAULT_IN_MEMORY_ROWS = 2_000_000;

  /**
   * Fits {@code formula} on {@code data} with {@code estimator} ({@code ols} or {@code ppml}); standard
   * errors clustered by {@code clusters} (one variable: one-way; several: multiway), or
   * heteroskedasticity-robust (HC1) when {@code clusters} is empty; {@code ssc} is full, nested or
   * none (see {@link Variance}). Data of up to {@code inMemoryRows} rows are fitted in the driver's
   * memory.
   */
  public static RegressionResult fit(Dataset<Row> data, String formula, String estimator,
      List<String> clusters, String ssc, long inMemoryRows) {
    Estimator e = Estimator.parse(estimator);
    return fit(Formula.parse(formula).design(data, clusters, inMemoryRows), e, clusters, ssc);
  }

  /** {@link #fit(Dataset, String, String, List, String, long)} on data held in memory. */
  public static RegressionResult fit(LocalData data, String formula, String estimator,
      List<String> clusters, String ssc) {
    Estimator e = Estimator.parse(estimator);
    return fit(Formula.parse(formula).design(data, clusters), e, clusters, ssc);
  }

  private static RegressionResult fit(Design design, Estimator estimator, List<String> clusters,
      String ssc) {
    Variance.Type type = clusters.isEmpty() ? Variance.Type.HETERO : Variance.Type.CLUSTER;
    Variance.Ssc convention = Variance.Ssc.parse(ssc);
    Fit fit = estimator.fit(design);
    try {
      return result(fit, type, convention);
    } finally {
      fit.sample().release();
    }
  }

  /**
   * Fits the model only; {@code clusters} are carried in the estimation sample for later variances.
   * The fit keeps its sample (persisted on the executors when it is distributed) until
   * {@code fit.sample().release()}.
   */
  public static Fit estimate(Dataset<Row> data, String formula, String estimator,
      List<String> clusters, long inMemoryRows) {
    Estimator e = Estimator.parse(estimator);
    return e.fit(Formula.parse(formula).design(data, clusters, inMemoryRows));
  }

  /** {@link #estimate(Dataset, String, String, List, long)} on data held in memory. */
  public static Fit estimate(LocalData data, String formula, String estimator,
      List<String> clusters) {
    Estimator e = Estimator.parse(estimator);
    return e.fit(Formula.parse(formula).design(data, clusters));
  }

  /** The estimators, by the names formulas and configuration use. */
  private enum Estimator {
    OLS, PPML;

    static Estimator parse(String name) {
      String e = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
      return switch (e) {
        case "ols" -> OLS;
        case "ppml" -> PPML;
        default -> throw new ModelException("unknown estimator '" + name
            + "' (expected ols or ppml)");
      };
    }

    Fit fit(Design design) {
      return this == OLS ? Ols.fit(design, FixedEffects.Options.DEFAULT)
          : Ppml.fit(design, Ppml.Options.DEFAULT);
    }
  }

  /** The result of a fit under a variance type and small-sample convention. */
  public static RegressionResult result(Fit fit, Variance.Type type, Variance.Ssc ssc) {
    return result(fit, type, ssc, fit.design().clusterNames());
  }

  /**
   * The result of a fit under a variance type and small-sample convention, clustered on
   * {@code clusters} (a subset of those given to {@link #estimate}) when the type is cluster.
   */
  public static RegressionResult result(Fit fit, Variance.Type type, Variance.Ssc ssc,
      List<String> clusters) {
    return result(fit, Variance.compute(fit, type, ssc, clusters));
  }

  /**
   * The results of a fit under every small-sample convention (full, nested, none), from one
   * computation of the sandwich meat.
   */
  public static Map<Variance.Ssc, RegressionResult> results(Fit fit, Variance.Type type,
      List<String> clusters) {
    Map<Variance.Ssc, RegressionResult> out = new EnumMap<>(Variance.Ssc.class);
    Variance.computeAll(fit, type, clusters).forEach((ssc, v) -> out.put(ssc, result(fit, v)));
    return out;
  }

  private static RegressionResult result(Fit fit, Variance.Estimate v) {
    Design d = fit.design();
    return new RegressionResult(d.formula().text(), fit.estimator(), d.terms(), fit.beta(),
        v.vcov(), v.label(), v.ssc().label(), fit.nObs(), v.nClusters(),
        d.formula().fixedEffectLabels(), fit.r2Within(), fit.pseudoR2(), fit.iterations(),
        fit.converged(), v.df(), v.kUsed(), fit.droppedMissing(), fit.droppedSingletons(),
        fit.droppedSeparated());
  }
}
