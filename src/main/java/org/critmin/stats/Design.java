package org.critmin.stats;

import java.util.List;

/**
 * A formula resolved against data (see {@link Formula#design}): the names of its coefficients and
 * the estimation sample, built once, in memory or on the executors.
 *
 * @param formula the parsed formula
 * @param terms term names, one per regressor of the sample, in order
 * @param clusterNames the cluster variables as the user named them, in the sample's order
 * @param fixedEffects number of fixed effects
 * @param frame the estimation sample: complete rows only
 * @param sourceRows rows of the data the sample was built from (complete or not)
 */
public record Design(Formula formula, List<String> terms, List<String> clusterNames,
    int fixedEffects, ModelFrame frame, long sourceRows) {

  /** Number of regressors (slopes, plus the intercept when there are no fixed effects). */
  public int k() {
    return terms.size();
  }
}
