/**
 * The regression engine: OLS and Poisson pseudo-maximum likelihood (PPML) with high-dimensional fixed
 * effects absorbed on Spark, and iid, heteroskedasticity-robust and (multiway) cluster-robust standard
 * errors under three small-sample conventions (docs/methods.md, "Regressions").
 *
 * <p>Entry point {@link org.critmin.stats.Regression}; formulas in R fixest syntax
 * ({@link org.critmin.stats.Formula}). Data stay on the executors: the estimation frame is turned once
 * into persisted blocks of primitive arrays ({@code ModelFrame}), and every later pass (demeaning
 * sweeps, IRLS steps, cross products, sandwich meats) is one Spark job over them returning per-level
 * vectors, k x k matrices or counts to the driver. Results are checked against R ({@code lm}/{@code glm}
 * with dummies and {@code sandwich::vcovCL}) by the golden tests made by
 * {@code src/test/resources/golden/regression/make_golden.R}; {@code jobs/benchmark-regress} measures
 * the engine on a generated panel of millions of rows ({@code org.critmin.bench.RegressionBenchmark}).
 */
package org.critmin.stats;
