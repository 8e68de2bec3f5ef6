/**
 * The regression engine: OLS and Poisson pseudo-maximum likelihood (PPML) with high-dimensional fixed
 * effects absorbed on Spark, and iid, heteroskedasticity-robust and (multiway) cluster-robust standard
 * errors under three small-sample conventions (METHODS.md, "Regressions").
 *
 * <p>Entry point {@link org.critmin.stats.Regression}; formulas in R fixest syntax
 * ({@link org.critmin.stats.Formula}). Data stay on the executors: only k x k matrices, k-vectors and
 * counts reach the driver. Results are checked against R ({@code lm}/{@code glm} with dummies and
 * {@code sandwich::vcovCL}) by the golden tests made by
 * {@code src/test/resources/golden/regression/make_golden.R}.
 */
package org.critmin.stats;
