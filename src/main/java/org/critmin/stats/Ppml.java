package org.critmin.stats;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Poisson pseudo-maximum likelihood (Santos Silva and Tenreyro 2006, "The log of gravity", Review of
 * Economics and Statistics 88(4)) with absorbed fixed effects, by iteratively reweighted least squares
 * with weighted alternating projections inside each step: the ppmlhdfe algorithm of Correia,
 * Guimaraes and Zylkin (2020), "Fast Poisson estimation with high-dimensional fixed effects", Stata
 * Journal 20(1).
 *
 * <p>Each IRLS step forms the working response {@code z = eta + (y - mu) / mu} and weights
 * {@code w = mu}, demeans z and the regressors with weights w (warm-started from the previous step's
 * fixed-effect coefficients: the limit does not depend on the start), solves the weighted least
 * squares {@code beta = (X~'WX~)^-1 X~'Wz~} on the driver, and updates
 * {@code eta = z - (z~ - X~ beta)}. On the blocks ({@link ModelFrame}) eta is kept as
 * {@code x beta + sum_d gamma_d[level]} with per-level gamma, so nothing per row is carried between
 * steps: each step makes new blocks holding only its z and w and sharing the rest. Iteration stops when the deviance changes by less than
 * {@code tolerance * (|deviance| + 0.1)} (the criterion of R's {@code glm.fit}). Zeros of y are kept;
 * observations separated by the fixed effects (levels whose outcomes are all zero) are dropped first and
 * counted. Pseudo R2 is the squared correlation of y and the fitted mean, as reported by Santos Silva
 * and Tenreyro's Stata {@code ppml}.
 */
public final class Ppml {

  /** IRLS settings: deviance tolerance (default 1e-10) and the iteration limit (default 100). */
  public record Options(double tolerance, int maxIterations, FixedEffects.Options demeaning) {
    public static final Options DEFAULT = new Options(1e-10, 100, FixedEffects.Options.DEFAULT);
  }

  private static final Logger LOG = LogManager.getLogger(Ppml.class);

  private Ppml() {}

  /** Fits the design by PPML. */
  public static Fit fit(Design design, Options options) {
    if (design.formula().logOutcome()) {
      design.frame().blocks.release();
      throw new ModelException("formula '" + design.formula().text()
          + "': PPML models the level of the outcome; write y, not log(y), on the left");
    }
    long sourceRows = design.sourceRows();
    ModelFrame all = design.frame();
    if (all.rows == 0) {
      all.blocks.release();
      throw new ModelException("formula '" + design.formula().text()
          + "': no complete rows to estimate on");
    }
    double least = all.blocks.aggregate(b -> {
      double smallest = Double.POSITIVE_INFINITY;
      for (double v : b.y) {
        smallest = Math.min(smallest, v);
      }
      return smallest;
    }, Math::min);
    if (least < 0) {
      all.blocks.release();
      throw new ModelException("formula '" + design.formula().text()
          + "': PPML needs a non-negative outcome, the smallest value is " + least);
    }
    FixedEffects.Dropped separated = FixedEffects.dropSeparated(all);
    ModelFrame data = separated.frame();
    if (data != all) {
      all.blocks.release();
    }
    double meanY = data.blocks.aggregate(b -> {
      double s = 0;
      for (double v : b.y) {
        s += v;
      }
      return s;
    }, Double::sum) / data.rows;
    int k = design.k();
    int m = k + 1;

    double deviance = Double.NaN;
    double[] beta = null;
    double[][] gamma = null;
    double[][] alpha = null;
    double[][] bread = null;
    double pseudoR2 = Double.NaN;
    long n = 0;
    boolean converged = false;
    boolean demeaningConverged = true;
    // Demeaning starts loose and tightens as IRLS converges (as ppmlhdfe does); convergence is only
    // declared after a step demeaned to the final tolerance.
    double tight = options.demeaning().tolerance();
    double inner = Math.max(tight, 1e-4);
    int iteration = 0;
    int sweeps = 0;
    Blocks working = null;
    while (iteration < options.maxIterations()) {
      iteration++;
      long started = System.nanoTime();
      double[] b = beta;
      double[][] g = gamma;
      Blocks next = data.blocks.map(block -> workingStep(block, b, g, meanY));
      if (working != null) {
        working.release();
      }
      working = next;
      boolean tightStep = inner <= tight;
      // Warm start: the fixed effects of the previous step's working response and regressors.
      FixedEffects.Demeaned d = FixedEffects.demean(working, data.levels, m, alpha,
          options.demeaning().with(inner));
      alpha = d.alpha();
      sweeps += d.sweeps();
      // One pass: X~'WX~, X~'Wz~, the deviance and fit of the current mean, the row count.
      Linalg.CrossProducts cp = Linalg.crossProducts(working, alpha, m, true);
      double[] e = cp.extras();
      n = cp.rows();
      double next0 = e[0];
      double cov = n * e[5] - e[1] * e[2];
      pseudoR2 = cov * cov / ((n * e[3] - e[1] * e[1]) * (n * e[4] - e[2] * e[2]));
      double change = Math.abs(next0 - deviance) / (Math.abs(next0) + 0.1);
      deviance = next0;
      beta = Ols.solve(design, Linalg.block(cp.matrix(), k), Linalg.column(cp.matrix(), k, k));
      bread = Ols.inverse(design, Linalg.block(cp.matrix(), k));
      // eta = z - (z~ - X~ beta) = X beta + sum_d (alpha_z - alpha_X beta)_d
      gamma = new double[alpha.length][];
      for (int f = 0; f < alpha.length; f++) {
        int levels = data.levels[f];
        gamma[f] = new double[levels];
        for (int l = 0; l < levels; l++) {
          double v = alpha[f][l * m + k];
          for (int j = 0; j < k; j++) {
            v -= beta[j] * alpha[f][l * m + j];
          }
          gamma[f][l] = v;
        }
      }
      LOG.info("PPML IRLS step {}: deviance {}, {} sweeps to tolerance {}, {} s", iteration,
          deviance, d.sweeps(), inner,
          String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
      if (change < options.tolerance() && tightStep) {
        demeaningConverged = d.converged();
        converged = true;
        break;
      }
      if (!Double.isNaN(change)) {
        inner = Math.max(tight, Math.min(inner, change * 1e-3));
      }
    }
    if (working != null) {
      working.release();
    }
    FittedSample sample = new FittedSample(data, alpha, m, beta, gamma);
    return new Fit(design, "ppml", beta, bread, sample, 1.0, n,
        sample.rank(Ols.allFixedEffects(data)), sourceRows - n - separated.dropped(), 0,
        separated.dropped(), null, pseudoR2, iteration, sweeps, converged && demeaningConverged);
  }

  /**
   * The block with the working response {@code z = eta + (y - mu) / mu} and weights {@code mu} of an
   * IRLS step, {@code eta = x beta + sum_d gamma_d}; the first step starts from
   * {@code mu = (y + mean(y)) / 2} (ppmlhdfe).
   */
  private static Block workingStep(Block b, double[] beta, double[][] gamma, double meanY) {
    double[] z = new double[b.n];
    double[] w = new double[b.n];
    for (int i = 0; i < b.n; i++) {
      double eta;
      if (beta == null) {
        eta = Math.log((b.y[i] + meanY) / 2.0);
      } else {
        eta = 0;
        for (int j = 0; j < beta.length; j++) {
          eta += b.x[j][i] * beta[j];
        }
        for (int d = 0; d < gamma.length; d++) {
          eta += gamma[d][b.fe[d][i]];
        }
      }
      double mu = Math.exp(eta);
      z[i] = eta + (b.y[i] - mu) / mu;
      w[i] = mu;
    }
    return b.withWorking(z, w);
  }

  /** Poisson deviance contribution {@code 2 (y log(y/mu) - (y - mu))}, with 0 log 0 = 0. */
  static double deviance(double y, double mu) {
    return 2.0 * ((y > 0 ? y * Math.log(y / mu) : 0.0) - (y - mu));
  }
}
