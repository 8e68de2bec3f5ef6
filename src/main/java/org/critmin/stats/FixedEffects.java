package org.critmin.stats;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Absorption of high-dimensional fixed effects on a Spark Dataset, without dummy columns.
 *
 * <p>Method: alternating projections (the method of Gaure 2013, "OLS with multiple high dimensional
 * category variables", Computational Statistics and Data Analysis 66; weighted for GLMs as in
 * Correia, Guimaraes and Zylkin 2020, "Fast Poisson estimation with high-dimensional fixed effects",
 * Stata Journal 20(1)). One sweep replaces every variable v, for each fixed effect f in turn, by
 * {@code v - sum_g(w v) / sum_g(w)} within each level g of f; sweeps repeat until the largest change
 * of any value in a sweep is at most {@code tolerance * max(1, max|v|)} for each variable. By the
 * Frisch-Waugh-Lovell theorem, regressing the demeaned outcome on the demeaned regressors gives the
 * same slopes as including one dummy per fixed-effect level.
 *
 * <p>Each sweep is one window aggregation per fixed effect; every second sweep the frame is locally
 * checkpointed so the lineage stays short. Only scalars (maximal changes, inner products, counts) come
 * to the driver.
 */
public final class FixedEffects {

  private FixedEffects() {}

  /**
   * Convergence settings.
   *
   * @param tolerance largest change of a sweep, relative to max(1, max|v|), to stop at
   * @param maxSweeps sweeps after which demeaning stops unconverged
   * @param warmStart the variables start close to their limit: try one plain sweep first
   */
  public record Options(double tolerance, int maxSweeps, boolean warmStart) {
    /** tolerance 1e-10, at most 10000 sweeps, cold start. */
    public static final Options DEFAULT = new Options(1e-10, 10_000, false);

    /** The same settings with another tolerance and warm-start flag. */
    public Options with(double tol, boolean warm) {
      return new Options(tol, maxSweeps, warm);
    }
  }

  /** A frame after demeaning, with the number of sweeps it took. */
  public record Demeaned(Dataset<Row> frame, int sweeps, boolean converged) {}

  /** A frame after observations were dropped, with how many. */
  public record Dropped(Dataset<Row> frame, long dropped) {}

  /**
   * Demeans {@code vars} (in place: the columns keep their names) within every fixed effect of
   * {@code feCols}, weighted by {@code weight} (null: unweighted), by alternating projections. The
   * starting values may already be partly demeaned (warm start): the limit is the same for any start
   * that differs from the raw variable by a combination of fixed effects.
   *
   * <p>Sweeps run in pairs with Irons-Tuck acceleration, as in fixest (Berge 2018, "Efficient
   * estimation of maximum likelihood models with multiple fixed-effects: the R package FENmlm"; Irons
   * and Tuck 1969): from v, F(v) and G = F(F(v)), the next v is {@code G - a (G - F)} with
   * {@code a = <G - F, G - 2F + v> / |G - 2F + v|^2} per variable. Each pair is one local checkpoint
   * and one aggregation that returns, per variable, the sweep's largest change and the two inner
   * products; demeaning stops when the change of F(v) over v is at most the tolerance.
   */
  public static Demeaned demean(Dataset<Row> frame, List<String> feCols, List<String> vars,
      Column weight, Options options) {
    if (feCols.isEmpty() || vars.isEmpty()) {
      return new Demeaned(frame, 0, true);
    }
    Column w = weight == null ? lit(1.0) : weight;
    Column[] keep = Arrays.stream(frame.columns()).map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> current = frame;
    int sweeps = 0;
    if (options.warmStart()) {
      // Started near the limit (an IRLS step): one sweep may already be within tolerance.
      Dataset<Row> once = sweep(current, feCols, vars, "", "__f", w).localCheckpoint(false);
      sweeps++;
      List<Column> changes = new ArrayList<>();
      for (String v : vars) {
        changes.add(max(abs(col(v + "__f").minus(col(v))))
            .divide(greatest(lit(1.0), max(abs(col(v))))));
      }
      Row r = once.agg(changes.get(0), changes.subList(1, changes.size()).toArray(Column[]::new))
          .first();
      Dataset<Row> moved = once;
      boolean converged = true;
      for (int i = 0; i < vars.size(); i++) {
        converged &= r.isNullAt(i) || r.getDouble(i) <= options.tolerance();
        moved = moved.withColumn(vars.get(i), col(vars.get(i) + "__f"));
      }
      current = moved.select(keep);
      if (converged) {
        return new Demeaned(current, sweeps, true);
      }
    }
    while (sweeps < options.maxSweeps()) {
      Dataset<Row> next = sweep(sweep(current, feCols, vars, "", "__f", w), feCols, vars, "__f",
          "__g", w);
      next = next.localCheckpoint(false);
      sweeps += 2;
      List<Column> stats = new ArrayList<>();
      for (String v : vars) {
        Column x = col(v);
        Column f = col(v + "__f");
        Column g = col(v + "__g");
        Column d2 = g.minus(f.multiply(2.0)).plus(x);
        stats.add(max(abs(f.minus(x))).divide(greatest(lit(1.0), max(abs(x)))));
        stats.add(sum(g.minus(f).multiply(d2)));
        stats.add(sum(d2.multiply(d2)));
      }
      Row r = next.agg(stats.get(0), stats.subList(1, stats.size()).toArray(Column[]::new))
          .first();
      boolean converged = true;
      Dataset<Row> accelerated = next;
      for (int i = 0; i < vars.size(); i++) {
        String v = vars.get(i);
        double change = r.isNullAt(3 * i) ? 0.0 : r.getDouble(3 * i);
        converged &= change <= options.tolerance();
        double num = r.getDouble(3 * i + 1);
        double den = r.getDouble(3 * i + 2);
        double a = den > 0 ? num / den : 0.0;
        Column g = col(v + "__g");
        accelerated = accelerated.withColumn(v, a == 0.0 ? g : g.minus(g.minus(col(v + "__f"))
            .multiply(a)));
      }
      current = accelerated.select(keep);
      if (converged) {
        // v was already within tolerance of its projection; G is two sweeps closer.
        Dataset<Row> done = next;
        for (String v : vars) {
          done = done.withColumn(v, col(v + "__g"));
        }
        return new Demeaned(done.select(keep), sweeps, true);
      }
    }
    return new Demeaned(current, sweeps, false);
  }

  /** One sweep from columns {@code v + from} into {@code v + to}, fixed effect after fixed effect. */
  private static Dataset<Row> sweep(Dataset<Row> frame, List<String> feCols, List<String> vars,
      String from, String to, Column w) {
    List<String> targets = vars.stream().map(v -> v + to).toList();
    List<Column> copy = new ArrayList<>();
    for (String c : frame.columns()) {
      if (!targets.contains(c)) {
        copy.add(col(c));
      }
    }
    for (String v : vars) {
      copy.add(col(v + from).as(v + to));
    }
    Dataset<Row> out = frame.select(copy.toArray(Column[]::new));
    for (String fe : feCols) {
      WindowSpec group = Window.partitionBy(col(fe));
      Column total = sum(w).over(group);
      List<Column> step = new ArrayList<>();
      for (String c : out.columns()) {
        if (!targets.contains(c)) {
          step.add(col(c));
        }
      }
      for (String t : targets) {
        step.add(col(t).minus(sum(w.multiply(col(t))).over(group).divide(total)).as(t));
      }
      out = out.select(step.toArray(Column[]::new));
    }
    return out;
  }

  /**
   * Drops observations alone in a level of some fixed effect (singletons), repeatedly, since a drop
   * can leave another singleton. Singletons are fitted exactly by their own dummy and carry no
   * information on the slopes; keeping them would overstate N (reghdfe, Correia 2015).
   */
  public static Dropped dropSingletons(Dataset<Row> frame, List<String> feCols) {
    return dropRepeatedly(frame, feCols, fe -> count(lit(1)).over(Window.partitionBy(col(fe)))
        .gt(1));
  }

  /**
   * Drops observations in a level of some fixed effect whose outcomes {@code y} are all zero,
   * repeatedly. For Poisson such a level's dummy goes to minus infinity (the observations are
   * separated: Correia, Guimaraes and Zylkin 2021, "Verifying the existence of maximum likelihood
   * estimates for generalized linear models"); dropping them leaves the other estimates unchanged.
   */
  public static Dropped dropSeparated(Dataset<Row> frame, List<String> feCols, String y) {
    return dropRepeatedly(frame, feCols, fe -> max(col(y)).over(Window.partitionBy(col(fe))).gt(0));
  }

  private static Dropped dropRepeatedly(Dataset<Row> frame, List<String> feCols,
      Function<String, Column> keepWithin) {
    if (feCols.isEmpty()) {
      return new Dropped(frame, 0);
    }
    Dataset<Row> current = frame.localCheckpoint(true);
    long dropped = 0;
    while (true) {
      Column keep = lit(true);
      for (String fe : feCols) {
        keep = keep.and(keepWithin.apply(fe));
      }
      Dataset<Row> marked = current.withColumn("__keep", keep).localCheckpoint(false);
      long out = marked.where(not(col("__keep"))).count();
      if (out == 0) {
        return new Dropped(current, dropped);
      }
      dropped += out;
      current = marked.where(col("__keep")).drop("__keep").localCheckpoint(true);
    }
  }

  /**
   * The number of fixed-effect parameters that are identified: the rank of the matrix of all
   * fixed-effect dummies. With one fixed effect it is its number of levels L1. With two it is
   * {@code L1 + L2 - C}, where C is the number of connected components of the graph linking the levels
   * of the two fixed effects that occur together (Abowd, Creecy and Kramarz 2002; exact). Each further
   * fixed effect adds {@code L - 1} (the fixest convention: exact when it is crossed with the others,
   * as a year effect usually is; it overstates the rank when a further fixed effect is nested in the
   * first two).
   */
  public static long rank(Dataset<Row> frame, List<String> feCols) {
    if (feCols.isEmpty()) {
      return 0;
    }
    List<Column> levels = new ArrayList<>();
    for (String fe : feCols) {
      levels.add(countDistinct(col(fe)));
    }
    Row r = frame.agg(levels.get(0), levels.subList(1, levels.size()).toArray(Column[]::new))
        .first();
    long rank = r.getLong(0);
    if (feCols.size() >= 2) {
      rank += r.getLong(1) - components(frame, feCols.get(0), feCols.get(1));
    }
    for (int i = 2; i < feCols.size(); i++) {
      rank += r.getLong(i) - 1;
    }
    return rank;
  }

  /**
   * Number of connected components of the bipartite graph whose nodes are the levels of a and b and
   * whose edges are the (a, b) combinations present, by label propagation (each node takes the
   * smallest label of its neighbours until nothing changes).
   */
  static long components(Dataset<Row> frame, String a, String b) {
    Dataset<Row> edges = frame.select(col(a).as("a"), col(b).as("b")).distinct()
        .localCheckpoint(true);
    Dataset<Row> labelA = edges.groupBy("a").agg(min("b").as("label")).localCheckpoint(true);
    while (true) {
      Dataset<Row> labelB = edges.join(labelA, "a").groupBy("b").agg(min("label").as("label"));
      Dataset<Row> next = edges.join(labelB, "b").groupBy("a").agg(min("label").as("label"))
          .localCheckpoint(true);
      long changed = next.as("n").join(labelA.as("o"), "a")
          .where(col("n.label").notEqual(col("o.label"))).count();
      labelA = next;
      if (changed == 0) {
        return labelA.select("label").distinct().count();
      }
    }
  }

  /** True when every level of {@code fe} occurs with a single value of {@code cluster}. */
  public static boolean nestedIn(Dataset<Row> frame, String fe, String cluster) {
    return frame.groupBy(col(fe)).agg(countDistinct(col(cluster)).as("n"))
        .where(col("n").gt(1)).isEmpty();
  }
}
