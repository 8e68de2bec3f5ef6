package org.critmin.stats;

import java.util.List;

/**
 * A fitted model before any choice of variance: what {@link Variance} needs to build a sandwich.
 *
 * @param design the formula resolved against the data
 * @param estimator {@code ols} or {@code ppml}
 * @param beta slope estimates, in the order of {@link Design#terms()}
 * @param bread {@code (X~' W X~)^-1}, X~ the demeaned regressors, W the final IRLS weights (1 for OLS)
 * @param sample the estimation sample (persisted blocks) and what gives the score of each row,
 *     {@code x~_i r_i} with r the OLS residual or {@code y - mu} for PPML; {@link FittedSample#release}
 *     frees it
 * @param iidScale the factor of {@code bread} in the iid variance before small-sample correction:
 *     RSS/N for OLS, 1 for PPML (Poisson variance equal to the mean)
 * @param nObs observations used
 * @param feRank rank of the fixed-effect dummies ({@link FixedEffects#rank})
 * @param droppedMissing rows left out for a null or a non-positive log argument
 * @param droppedSingletons singleton observations dropped (OLS)
 * @param droppedSeparated observations separated by the fixed effects, dropped (PPML)
 * @param r2Within OLS: 1 - RSS / (sum of squares of the demeaned outcome); null for PPML
 * @param pseudoR2 PPML: squared correlation of y and the fitted mean; null for OLS
 * @param iterations IRLS iterations (PPML) or demeaning sweeps (OLS)
 * @param sweeps demeaning sweeps in all (over every IRLS step for PPML)
 * @param converged whether IRLS and every demeaning converged
 */
public record Fit(Design design, String estimator, double[] beta, double[][] bread,
    FittedSample sample, double iidScale, long nObs, long feRank,
    long droppedMissing, long droppedSingletons, long droppedSeparated, Double r2Within, Double pseudoR2,
    int iterations, int sweeps, boolean converged) {

  /** Slopes and intercept, i.e. the number of estimated coefficients reported. */
  public int k() {
    return beta.length;
  }

  /** Names of the coefficients. */
  public List<String> terms() {
    return design.terms();
  }
}
