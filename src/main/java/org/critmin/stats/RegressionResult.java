package org.critmin.stats;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The outcome of one regression: estimates, their variance and what the fit used.
 *
 * <p>Test statistics: {@code estimate / std_error}, referred to a t distribution with {@code df}
 * degrees of freedom for OLS (see {@link Variance} for df) and to the standard normal for PPML (z);
 * 95 % intervals {@code estimate -/+ q * std_error} with q the 0.975 quantile of that distribution
 * (Apache Commons Math distributions).
 *
 * @param formula the formula as written
 * @param estimator {@code ols} or {@code ppml}
 * @param terms coefficient names
 * @param estimates coefficient estimates
 * @param vcov their variance matrix
 * @param seType {@code iid}, {@code hetero} or {@code cluster(var,...)}
 * @param ssc small-sample convention: full, nested or none
 * @param nObs observations used
 * @param nClusters number of clusters of each cluster variable (empty unless clustered)
 * @param fixedEffects the absorbed fixed effects as written
 * @param r2Within OLS within R2 (null for PPML)
 * @param pseudoR2 PPML squared correlation of y and the fitted mean (null for OLS)
 * @param iterations IRLS iterations (PPML) or demeaning sweeps (OLS)
 * @param converged whether the estimation converged
 * @param df t degrees of freedom, infinite for the normal
 * @param kUsed K in the small-sample factor
 * @param droppedMissing rows left out for a null or a non-positive log argument
 * @param droppedSingletons singleton observations dropped (OLS)
 * @param droppedSeparated observations separated by the fixed effects, dropped (PPML)
 */
public record RegressionResult(String formula, String estimator, List<String> terms,
    double[] estimates, double[][] vcov, String seType, String ssc, long nObs,
    List<Long> nClusters, List<String> fixedEffects, Double r2Within, Double pseudoR2,
    int iterations, boolean converged, double df, long kUsed, long droppedMissing,
    long droppedSingletons, long droppedSeparated) {

  /** Schema of the coefficient table {@link #rows} and {@link #toDataset} produce. */
  public static final StructType SCHEMA = new StructType()
      .add("model", DataTypes.StringType, false, "Model name given by the caller")
      .add("formula", DataTypes.StringType, false, "Formula in fixest syntax, as written")
      .add("estimator", DataTypes.StringType, false, "ols or ppml (Poisson pseudo-maximum "
          + "likelihood)")
      .add("term", DataTypes.StringType, false, "Coefficient name; i() dummies as var::level")
      .add("estimate", DataTypes.DoubleType, false, "Coefficient estimate")
      .add("std_error", DataTypes.DoubleType, true, "Standard error under se_type and ssc")
      .add("statistic", DataTypes.DoubleType, true, "estimate / std_error: t for ols, z for ppml")
      .add("p_value", DataTypes.DoubleType, true, "Two-sided p-value: t distribution with the "
          + "residual (iid, hetero) or smallest G - 1 (cluster) degrees of freedom for ols, normal "
          + "for ppml")
      .add("ci_low", DataTypes.DoubleType, true, "Lower bound of the 95% confidence interval")
      .add("ci_high", DataTypes.DoubleType, true, "Upper bound of the 95% confidence interval")
      .add("se_type", DataTypes.StringType, false, "iid, hetero (HC1) or cluster(var,...); "
          + "several variables: multiway (Cameron-Gelbach-Miller)")
      .add("ssc", DataTypes.StringType, false, "Small-sample convention: full (K counts every "
          + "identified parameter, as sandwich::vcovCL HC1), nested (fixed effects nested in a "
          + "cluster not counted, fixest default), none (no correction)")
      .add("n_obs", DataTypes.LongType, false, "Observations used, after dropping singletons "
          + "(ols) or observations separated by the fixed effects (ppml)")
      .add("n_clusters", DataTypes.LongType, true, "Smallest number of clusters among the cluster "
          + "variables; null unless clustered")
      .add("fixed_effects", DataTypes.StringType, true, "Absorbed fixed effects, '+'-separated, "
          + "a^b for interactions; null if none")
      .add("r2_within", DataTypes.DoubleType, true, "ols: R2 of the demeaned outcome (ordinary "
          + "R2 without fixed effects); null for ppml")
      .add("pseudo_r2", DataTypes.DoubleType, true, "ppml: squared correlation of the outcome and "
          + "the fitted mean; null for ols")
      .add("iterations", DataTypes.IntegerType, false, "IRLS iterations (ppml) or demeaning "
          + "sweeps (ols)")
      .add("converged", DataTypes.BooleanType, false, "Whether the estimation converged");

  /** Index of a term; throws if absent. */
  public int indexOf(String term) {
    int i = terms.indexOf(term);
    if (i < 0) {
      throw new IllegalArgumentException("no term " + term + " in " + terms);
    }
    return i;
  }

  public double estimate(String term) {
    return estimates[indexOf(term)];
  }

  public double stdError(String term) {
    int i = indexOf(term);
    return Math.sqrt(vcov[i][i]);
  }

  public double statistic(String term) {
    return estimate(term) / stdError(term);
  }

  public double pValue(String term) {
    return pValue(statistic(term), df);
  }

  /**
   * The two-sided p-value of a statistic, from the t distribution with {@code df} degrees of
   * freedom or, for infinite df, the normal. Computed from the lower tail, {@code 2 F(-|t|)}: the
   * form {@code 2 (1 - F(|t|))} loses every digit below 1e-16 to cancellation.
   */
  public static double pValue(double statistic, double df) {
    return 2.0 * cdf(-Math.abs(statistic), df);
  }

  /** Lower bound of the 95 % confidence interval. */
  public double ciLow(String term) {
    return estimate(term) - quantile975() * stdError(term);
  }

  /** Upper bound of the 95 % confidence interval. */
  public double ciHigh(String term) {
    return estimate(term) + quantile975() * stdError(term);
  }

  private static double cdf(double x, double df) {
    return Double.isInfinite(df) ? new NormalDistribution().cumulativeProbability(x)
        : new TDistribution(df).cumulativeProbability(x);
  }

  private double quantile975() {
    return Double.isInfinite(df) ? new NormalDistribution().inverseCumulativeProbability(0.975)
        : new TDistribution(df).inverseCumulativeProbability(0.975);
  }

  /** One row per coefficient, in {@link #SCHEMA}. */
  public List<Row> rows(String model) {
    List<Row> rows = new ArrayList<>();
    Long clusters = nClusters.isEmpty() ? null
        : nClusters.stream().mapToLong(Long::longValue).min().getAsLong();
    String fes = fixedEffects.isEmpty() ? null : String.join(" + ", fixedEffects);
    for (String term : terms) {
      double se = stdError(term);
      boolean ok = Double.isFinite(se) && se > 0;
      rows.add(RowFactory.create(model, formula, estimator, term, estimate(term),
          Double.isFinite(se) ? se : null, ok ? statistic(term) : null, ok ? pValue(term) : null,
          ok ? ciLow(term) : null, ok ? ciHigh(term) : null, seType, ssc, nObs, clusters, fes,
          r2Within, pseudoR2, iterations, converged));
    }
    return rows;
  }

  /** The coefficient table as a Dataset in {@link #SCHEMA} (k rows, built on the driver). */
  public Dataset<Row> toDataset(SparkSession spark, String model) {
    return spark.createDataFrame(rows(model), SCHEMA);
  }
}
