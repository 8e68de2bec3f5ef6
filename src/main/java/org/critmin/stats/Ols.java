package org.critmin.stats;


/**
 * Ordinary least squares with absorbed fixed effects: singletons dropped, outcome and regressors
 * demeaned by {@link FixedEffects#demean}, then {@code beta = (X~'X~)^-1 X~'y~} from one pass of
 * cross products and a Cholesky solve on the driver (Frisch-Waugh-Lovell; Gaure 2013; the same
 * slopes as OLS with one dummy per fixed-effect level, e.g. R {@code lm} or fixest {@code feols}).
 */
public final class Ols {

  private Ols() {}

  /** Fits the design by OLS. */
  public static Fit fit(Design design, FixedEffects.Options options) {
    long sourceRows = design.sourceRows();
    ModelFrame all = design.frame();
    FixedEffects.Dropped singles = FixedEffects.dropSingletons(all);
    ModelFrame data = singles.frame();
    if (data != all) {
      all.blocks.release();
    }
    boolean absorb = data.q() > 0;
    int k = design.k();
    int m = k + 1;
    FixedEffects.Demeaned demeaned = FixedEffects.demean(data.blocks, data.levels, m, null,
        options);
    Linalg.CrossProducts cp = Linalg.crossProducts(data.blocks, demeaned.alpha(), m, false);
    double[][] xtx = Linalg.block(cp.matrix(), k);
    double[] xty = Linalg.column(cp.matrix(), k, k);
    double[] beta = solve(design, xtx, xty);
    double[][] bread = inverse(design, xtx);
    long n = cp.rows();
    // RSS = y'y - b'X'y at the least-squares solution; TSS of the demeaned outcome, or of y about
    // its mean without fixed effects (the intercept column then gives sum(y)).
    double yy = cp.matrix()[k][k];
    double bxy = 0;
    for (int j = 0; j < k; j++) {
      bxy += beta[j] * xty[j];
    }
    double rss = yy - bxy;
    double tss = absorb ? yy : yy - xty[0] * xty[0] / n;
    FittedSample sample = new FittedSample(data, demeaned.alpha(), m, beta, null);
    return new Fit(design, "ols", beta, bread, sample, rss / n, n,
        sample.rank(allFixedEffects(data)), sourceRows - n - singles.dropped(), singles.dropped(),
        0, 1.0 - rss / tss, null, demeaned.sweeps(), demeaned.sweeps(),
        demeaned.converged());
  }

  /** Indices 0 .. q-1 of a sample's fixed effects. */
  static int[] allFixedEffects(ModelFrame data) {
    return java.util.stream.IntStream.range(0, data.q()).toArray();
  }

  static double[] solve(Design design, double[][] xtx, double[] xty) {
    return Linalg.solveCholesky(factor(design, xtx), xty);
  }

  static double[][] inverse(Design design, double[][] xtx) {
    return Linalg.inverseFromCholesky(factor(design, xtx));
  }

  private static double[][] factor(Design design, double[][] xtx) {
    int[] aliased = new int[1];
    double[][] l = Linalg.cholesky(xtx, aliased);
    if (aliased[0] >= 0) {
      throw new ModelException("formula '" + design.formula().text() + "': term '"
          + design.terms().get(aliased[0]) + "' is collinear with the fixed effects or the "
          + "terms before it (or constant in the sample); remove it");
    }
    return l;
  }
}
