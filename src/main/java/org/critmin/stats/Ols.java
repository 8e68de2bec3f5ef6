package org.critmin.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.critmin.config.UserInputException;

/**
 * Ordinary least squares with absorbed fixed effects: singletons dropped, outcome and regressors
 * demeaned by {@link FixedEffects#demean}, then {@code beta = (X~'X~)^-1 X~'y~} from one aggregation
 * of cross products and a Cholesky solve on the driver (Frisch-Waugh-Lovell; Gaure 2013; the same
 * slopes as OLS with one dummy per fixed-effect level, e.g. R {@code lm} or fixest {@code feols}).
 */
public final class Ols {

  private Ols() {}

  /** Fits the design by OLS. */
  public static Fit fit(Design design, FixedEffects.Options options) {
    long sourceRows = design.source().count();
    boolean absorb = !design.feCols().isEmpty();
    FixedEffects.Dropped singles = FixedEffects.dropSingletons(design.frame(), design.feCols());
    List<String> vars = new ArrayList<>(design.xCols());
    vars.add(Formula.Y);
    Dataset<Row> sample = absorb ? singles.frame() : design.frame().localCheckpoint(true);
    FixedEffects.Demeaned demeaned = FixedEffects.demean(sample, design.feCols(), vars, null,
        options);
    Dataset<Row> frame = demeaned.frame();
    int k = design.k();
    Linalg.CrossProducts cp = Linalg.crossProducts(frame, vars, null, List.of());
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

    Column fitted = lit(0.0);
    for (int j = 0; j < k; j++) {
      fitted = fitted.plus(col(design.xCols().get(j)).multiply(beta[j]));
    }
    frame = frame.withColumn(Fit.RESIDUAL, col(Formula.Y).minus(fitted));
    return new Fit(design, "ols", beta, bread, frame, rss / n, n,
        FixedEffects.rank(frame, design.feCols()),
        sourceRows - n - singles.dropped(), singles.dropped(), 0, 1.0 - rss / tss, null,
        demeaned.sweeps(), demeaned.converged());
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
      throw new UserInputException("formula '" + design.formula().text() + "': term '"
          + design.terms().get(aliased[0]) + "' is collinear with the fixed effects or the "
          + "terms before it (or constant in the sample); remove it");
    }
    return l;
  }
}
