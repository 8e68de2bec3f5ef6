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
    FixedEffects.Dropped separated =
        FixedEffects.dropSeparated(design.frame(), design.feCols(), Formula.Y);
    Dataset<Row> frame = design.feCols().isEmpty() ? design.frame() : separated.frame();
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
    boolean converged = false;
    boolean demeaningConverged = true;
    int iteration = 0;
    List<String> vars = new ArrayList<>(xt);
    vars.add(ZT);
    while (iteration < options.maxIterations()) {
      iteration++;
      Column mu = exp(col(ETA));
      Column z = col(ETA).plus(col(Formula.Y).minus(mu).divide(mu));
      // Warm start: the previous z~ plus the change of z.
      frame = frame.withColumn(ZT, col(ZT).plus(z).minus(col(Z))).withColumn(Z, z)
          .withColumn("__w", mu);
      FixedEffects.Demeaned d = FixedEffects.demean(frame, design.feCols(), vars, col("__w"),
          options.demeaning());
      demeaningConverged &= d.converged();
      frame = d.frame();
      double[][] cp = Linalg.crossProducts(frame, vars, col("__w"));
      beta = Ols.solve(design, Linalg.block(cp, k), Linalg.column(cp, k, k));
      bread = Ols.inverse(design, Linalg.block(cp, k));
      Column fitted = lit(0.0);
      for (int j = 0; j < k; j++) {
        fitted = fitted.plus(col(xt.get(j)).multiply(beta[j]));
      }
      frame = frame.withColumn(ETA, col(Z).minus(col(ZT).minus(fitted))).drop("__w")
          .localCheckpoint(true);
      double next = frame.agg(sum(deviance(col(Formula.Y), exp(col(ETA))))).first().getDouble(0);
      boolean done = Math.abs(next - deviance) < options.tolerance() * (Math.abs(next) + 0.1);
      deviance = next;
      if (done) {
        converged = true;
        break;
      }
    }

    Column mu = exp(col(ETA));
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
    out.add(col(Formula.Y).minus(mu).as(Fit.RESIDUAL));
    out.add(mu.as("__mu"));
    Dataset<Row> result = frame.select(out.toArray(Column[]::new)).localCheckpoint(true);
    Row r = result.agg(corr(Formula.Y, "__mu"), org.apache.spark.sql.functions.count(lit(1)))
        .first();
    double pseudoR2 = r.getDouble(0) * r.getDouble(0);
    return new Fit(design, "ppml", beta, bread, result, 1.0, r.getLong(1),
        FixedEffects.rank(result, design.feCols()), 0, separated.dropped(), null, pseudoR2,
        iteration, converged && demeaningConverged);
  }

  /** Poisson deviance contribution {@code 2 (y log(y/mu) - (y - mu))}, with 0 log 0 = 0. */
  static Column deviance(Column y, Column mu) {
    return when(y.gt(0), y.multiply(log(y.divide(mu)))).otherwise(lit(0.0))
        .minus(y.minus(mu)).multiply(2.0);
  }
}
