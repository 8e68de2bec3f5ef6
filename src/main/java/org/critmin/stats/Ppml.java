package org.critmin.stats;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.corr;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.critmin.config.UserInputException;

/**
 * Poisson pseudo-maximum likelihood (Santos Silva and Tenreyro 2006, "The log of gravity", Review of
 * Economics and Statistics 88(4)) with absorbed fixed effects, by iteratively reweighted least squares
 * with weighted alternating projections inside each step: the ppmlhdfe algorithm of Correia,
 * Guimaraes and Zylkin (2020), "Fast Poisson estimation with high-dimensional fixed effects", Stata
 * Journal 20(1).
 *
 * <p>Each IRLS step forms the working response {@code z = eta + (y - mu) / mu} and weights
 * {@code w = mu}, demeans z and the regressors with weights w (warm-started from the previous step's
 * demeaned values: a start that differs by a combination of fixed effects has the same limit), solves
 * the weighted least squares {@code beta = (X~'WX~)^-1 X~'Wz~} on the driver, and updates
 * {@code eta = z - (z~ - X~ beta)}. Iteration stops when the deviance changes by less than
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

  private static final String ETA = "__eta";
  private static final String Z = "__z";
  private static final String ZT = "__zt";
  private static final String W = "__w";

  private Ppml() {}

  /** Fits the design by PPML. */
  public static Fit fit(Design design, Options options) {
    if (design.formula().logOutcome()) {
      throw new UserInputException("formula '" + design.formula().text()
          + "': PPML models the level of the outcome; write y, not log(y), on the left");
    }
    Row check = design.frame().agg(min(Formula.Y), avg(Formula.Y)).first();
    if (check.isNullAt(0)) {
      throw new UserInputException("formula '" + design.formula().text()
          + "': no complete rows to estimate on");
    }
    if (check.getDouble(0) < 0) {
      throw new UserInputException("formula '" + design.formula().text()
          + "': PPML needs a non-negative outcome, the smallest value is " + check.getDouble(0));
    }
    long sourceRows = design.source().count();
    boolean absorb = !design.feCols().isEmpty();
    FixedEffects.Dropped separated =
        FixedEffects.dropSeparated(design.frame(), design.feCols(), Formula.Y);
    Dataset<Row> frame = absorb ? separated.frame() : design.frame();
    double meanY = frame.agg(avg(Formula.Y)).first().getDouble(0);
    int k = design.k();
    List<String> x = design.xCols();
    List<String> xt = new ArrayList<>();
    for (String c : x) {
      xt.add(c + "t");
    }

    // Start from mu = (y + mean(y)) / 2 (ppmlhdfe); the demeaned copies start at the raw values.
    Column mu0 = col(Formula.Y).plus(meanY).divide(2.0);
    frame = frame.withColumn(ETA, log(mu0)).withColumn(Z, lit(0.0)).withColumn(ZT, lit(0.0));
    for (int j = 0; j < k; j++) {
      frame = frame.withColumn(xt.get(j), col(x.get(j)));
    }
    frame = frame.localCheckpoint(true);

    double deviance = Double.NaN;
    double[] beta = new double[k];
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
    List<String> vars = new ArrayList<>(xt);
    vars.add(ZT);
    while (iteration < options.maxIterations()) {
      iteration++;
      Column mu = exp(col(ETA));
      Column z = col(ETA).plus(col(Formula.Y).minus(mu).divide(mu));
      // Warm start: the previous z~ plus the change of z.
      frame = frame.withColumn(ZT, col(ZT).plus(z).minus(col(Z))).withColumn(Z, z)
          .withColumn(W, mu);
      boolean tightStep = inner <= tight;
      FixedEffects.Demeaned d = FixedEffects.demean(frame, design.feCols(), vars, col(W),
          options.demeaning().with(inner, iteration > 1));
      frame = absorb ? d.frame() : d.frame().localCheckpoint(false);
      // One pass: X~'WX~, X~'Wz~, the deviance and fit of the current mean, the row count.
      Linalg.CrossProducts cp = Linalg.crossProducts(frame, vars, col(W), List.of(
          sum(deviance(col(Formula.Y), col(W))), corr(col(Formula.Y), col(W))));
      double next = cp.extras()[0];
      pseudoR2 = cp.extras()[1] * cp.extras()[1];
      n = cp.rows();
      double change = Math.abs(next - deviance) / (Math.abs(next) + 0.1);
      deviance = next;
      beta = Ols.solve(design, Linalg.block(cp.matrix(), k), Linalg.column(cp.matrix(), k, k));
      bread = Ols.inverse(design, Linalg.block(cp.matrix(), k));
      Column fitted = lit(0.0);
      for (int j = 0; j < k; j++) {
        fitted = fitted.plus(col(xt.get(j)).multiply(beta[j]));
      }
      frame = frame.withColumn(ETA, col(Z).minus(col(ZT).minus(fitted))).drop(W);
      if (change < options.tolerance() && tightStep) {
        demeaningConverged = d.converged();
        converged = true;
        break;
      }
      if (!Double.isNaN(change)) {
        inner = Math.max(tight, Math.min(inner, change * 1e-3));
      }
    }

    List<Column> out = new ArrayList<>();
    out.add(col(Formula.Y));
    for (int j = 0; j < k; j++) {
      out.add(col(xt.get(j)).as(x.get(j)));
    }
    for (String c : design.feCols()) {
      out.add(col(c));
    }
    for (String c : design.clusterCols()) {
      out.add(col(c));
    }
    out.add(col(Formula.Y).minus(exp(col(ETA))).as(Fit.RESIDUAL));
    Dataset<Row> result = frame.select(out.toArray(Column[]::new));
    return new Fit(design, "ppml", beta, bread, result, 1.0, n,
        FixedEffects.rank(result, design.feCols()), sourceRows - n - separated.dropped(), 0,
        separated.dropped(), null, pseudoR2, iteration, converged && demeaningConverged);
  }

  /** Poisson deviance contribution {@code 2 (y log(y/mu) - (y - mu))}, with 0 log 0 = 0. */
  static Column deviance(Column y, Column mu) {
    return when(y.gt(0), y.multiply(log(y.divide(mu)))).otherwise(lit(0.0))
        .minus(y.minus(mu)).multiply(2.0);
  }
}
