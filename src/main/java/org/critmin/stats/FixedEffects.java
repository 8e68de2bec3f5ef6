package org.critmin.stats;

import java.util.Arrays;

/**
 * Absorption of high-dimensional fixed effects on the blocks of a {@link ModelFrame}, without dummy
 * columns.
 *
 * <p>Method: alternating projections (Gaure 2013, "OLS with multiple high dimensional category
 * variables", Computational Statistics and Data Analysis 66; weighted for GLMs as in Correia,
 * Guimaraes and Zylkin 2020, "Fast Poisson estimation with high-dimensional fixed effects", Stata
 * Journal 20(1)), iterated on the fixed-effect coefficients rather than on the data, as fixest does
 * (Berge 2018, "Efficient estimation of maximum likelihood models with multiple fixed-effects: the R
 * package FENmlm"). The demeaned value of variable j in row i is
 * {@code v_ij - sum_d alpha_d[level_d(i), j]}; one sweep sets, for each fixed effect d in turn, every
 * {@code alpha_d[g, j]} to the weighted mean over the rows of level g of v_j less the other fixed
 * effects. By the Frisch-Waugh-Lovell theorem, regressing the demeaned outcome on the demeaned
 * regressors gives the slopes of the regression with one dummy per level.
 *
 * <p>Why coefficients: the blocks stay unchanged (no new copy of the data per sweep, no lineage to
 * truncate), each fixed effect of a sweep is one pass over the blocks (on Spark one job, a
 * {@code treeReduce} of per-level sums of all variables at once, the current coefficients going out
 * by broadcast), and the state of the iteration is small. Memory on the driver and in each task: {@code levels x m x 8} bytes per fixed
 * effect for m variables (regressors and outcome), e.g. 100,000 levels and 3 variables: 2.4 MB.
 *
 * <p>Why acceleration: plain alternating projections converge linearly, slowly when the fixed
 * effects are weakly connected (a firm seen with few products). Sweeps run in pairs with Irons-Tuck
 * acceleration (Irons and Tuck 1969; used by fixest): from a, F(a) and G = F(F(a)) the next start is
 * {@code G - c (G - F)} with {@code c = <G - F, G - 2F + a> / |G - 2F + a|^2} per variable, which cuts
 * the number of sweeps several fold at the cost of two vector operations on the driver. With one
 * fixed effect a single sweep is exact.
 *
 * <p>Convergence: a sweep moves a demeaned value by at most {@code sum_d max_g |change of alpha_d|};
 * demeaning stops when that bound is at most {@code tolerance * max(1, max|v_j|)} for every variable.
 */
public final class FixedEffects {

  private FixedEffects() {}

  /**
   * Convergence settings.
   *
   * @param tolerance largest change of a sweep, relative to max(1, max|v|), to stop at
   * @param maxSweeps sweeps after which demeaning stops unconverged
   */
  public record Options(double tolerance, int maxSweeps) {
    /** tolerance 1e-10, at most 10000 sweeps. */
    public static final Options DEFAULT = new Options(1e-10, 10_000);

    /** The same settings with another tolerance. */
    public Options with(double tol) {
      return new Options(tol, maxSweeps);
    }
  }

  /**
   * The fixed-effect coefficients of a demeaning: {@code alpha[d][level * m + j]} for variable j of
   * m, with the number of sweeps it took.
   */
  record Demeaned(double[][] alpha, int sweeps, boolean converged) {}

  /** A sample after observations were dropped, with how many. */
  record Dropped(ModelFrame frame, long dropped) {}

  /**
   * Demeans the m variables of {@code blocks} (the regressors, then the target:
   * {@link Block#value}) within every fixed effect, weighted by the blocks' weights, starting from
   * the coefficients {@code start} (null: zero). A start from an earlier, similar problem (the
   * previous IRLS step) converges in fewer sweeps: the limit does not depend on the start.
   */
  static Demeaned demean(Blocks blocks, int[] levels, int m, double[][] start,
      Options options) {
    int q = levels.length;
    double[][] alpha = new double[q][];
    for (int d = 0; d < q; d++) {
      alpha[d] = start == null ? new double[levels[d] * m] : start[d].clone();
    }
    if (q == 0) {
      return new Demeaned(alpha, 0, true);
    }
    double[][] totals = blocks.aggregate(b -> weightsAndScale(b, levels, m),
        FixedEffects::addWeightsAndScale);
    double[] scale = totals[q];
    for (int j = 0; j < m; j++) {
      scale[j] = options.tolerance() * Math.max(1.0, scale[j]);
    }
    if (q == 1) {
      return new Demeaned(sweep(blocks, levels, m, totals, alpha), 1, true);
    }
    int sweeps = 0;
    while (sweeps < options.maxSweeps()) {
      double[][] f = sweep(blocks, levels, m, totals, alpha);
      sweeps++;
      if (within(alpha, f, m, scale)) {
        return new Demeaned(f, sweeps, true);
      }
      double[][] g = sweep(blocks, levels, m, totals, f);
      sweeps++;
      if (within(f, g, m, scale)) {
        return new Demeaned(g, sweeps, true);
      }
      alpha = ironsTuck(alpha, f, g, m);
    }
    return new Demeaned(alpha, sweeps, false);
  }

  /** One sweep: each fixed effect in turn set to the weighted level means given the others. */
  private static double[][] sweep(Blocks blocks, int[] levels, int m, double[][] totals,
      double[][] start) {
    double[][] alpha = new double[start.length][];
    for (int d = 0; d < start.length; d++) {
      alpha[d] = start[d].clone();
    }
    for (int d = 0; d < levels.length; d++) {
      int dim = d;
      int size = levels[d] * m;
      double[] sums = blocks.aggregate(alpha, (b, current) -> levelSums(b, current, dim, size, m),
          FixedEffects::addInPlace);
      double[] w = totals[d];
      double[] next = new double[size];
      for (int g = 0; g < levels[d]; g++) {
        if (w[g] > 0) {
          for (int j = 0; j < m; j++) {
            next[g * m + j] = sums[g * m + j] / w[g];
          }
        }
      }
      alpha[d] = next;
    }
    return alpha;
  }

  /** Per level of fixed effect d: the weighted sum of each variable less the other fixed effects. */
  private static double[] levelSums(Block b, double[][] alpha, int d, int size, int m) {
    double[] sums = new double[size];
    int[] level = b.fe[d];
    int q = alpha.length;
    for (int i = 0; i < b.n; i++) {
      double w = b.weight(i);
      int base = level[i] * m;
      for (int j = 0; j < m; j++) {
        double v = b.value(j, i);
        for (int e = 0; e < q; e++) {
          if (e != d) {
            v -= alpha[e][b.fe[e][i] * m + j];
          }
        }
        sums[base + j] += w * v;
      }
    }
    return sums;
  }

  /** Per fixed effect the sum of weights of each level; last, the largest |v_j| of each variable. */
  private static double[][] weightsAndScale(Block b, int[] levels, int m) {
    double[][] out = new double[levels.length + 1][];
    for (int d = 0; d < levels.length; d++) {
      double[] w = new double[levels[d]];
      int[] level = b.fe[d];
      for (int i = 0; i < b.n; i++) {
        w[level[i]] += b.weight(i);
      }
      out[d] = w;
    }
    double[] max = new double[m];
    for (int j = 0; j < m; j++) {
      for (int i = 0; i < b.n; i++) {
        max[j] = Math.max(max[j], Math.abs(b.value(j, i)));
      }
    }
    out[levels.length] = max;
    return out;
  }

  private static double[][] addWeightsAndScale(double[][] a, double[][] b) {
    int last = a.length - 1;
    for (int d = 0; d < last; d++) {
      addInPlace(a[d], b[d]);
    }
    for (int j = 0; j < a[last].length; j++) {
      a[last][j] = Math.max(a[last][j], b[last][j]);
    }
    return a;
  }

  static double[] addInPlace(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }

  /** True when, for every variable j, {@code sum_d max_g |b - a|} is at most {@code bound[j]}. */
  private static boolean within(double[][] a, double[][] b, int m, double[] bound) {
    double[] change = new double[m];
    for (int d = 0; d < a.length; d++) {
      double[] largest = new double[m];
      for (int p = 0; p < a[d].length; p++) {
        int j = p % m;
        largest[j] = Math.max(largest[j], Math.abs(b[d][p] - a[d][p]));
      }
      for (int j = 0; j < m; j++) {
        change[j] += largest[j];
      }
    }
    for (int j = 0; j < m; j++) {
      if (!(change[j] <= bound[j])) {
        return false;
      }
    }
    return true;
  }

  /** The Irons-Tuck extrapolation of a, F(a), F(F(a)), per variable. */
  private static double[][] ironsTuck(double[][] a, double[][] f, double[][] g, int m) {
    double[] num = new double[m];
    double[] den = new double[m];
    for (int d = 0; d < a.length; d++) {
      for (int p = 0; p < a[d].length; p++) {
        int j = p % m;
        double d1 = g[d][p] - f[d][p];
        double d2 = d1 - f[d][p] + a[d][p];
        num[j] += d1 * d2;
        den[j] += d2 * d2;
      }
    }
    double[][] next = new double[a.length][];
    for (int d = 0; d < a.length; d++) {
      next[d] = new double[a[d].length];
      for (int p = 0; p < a[d].length; p++) {
        int j = p % m;
        double c = den[j] > 0 ? num[j] / den[j] : 0.0;
        next[d][p] = g[d][p] - c * (g[d][p] - f[d][p]);
      }
    }
    return next;
  }

  /**
   * Drops observations alone in a level of some fixed effect (singletons), repeatedly, since a drop
   * can leave another singleton. Singletons are fitted exactly by their own dummy and carry no
   * information on the slopes; keeping them would overstate N (reghdfe, Correia 2015).
   */
  static Dropped dropSingletons(ModelFrame frame) {
    return dropRepeatedly(frame, false);
  }

  /**
   * Drops observations in a level of some fixed effect whose outcomes y are all zero, repeatedly. For
   * Poisson such a level's dummy goes to minus infinity (the observations are separated: Correia,
   * Guimaraes and Zylkin 2021, "Verifying the existence of maximum likelihood estimates for
   * generalized linear models"); dropping them leaves the other estimates unchanged. y must be
   * non-negative.
   */
  static Dropped dropSeparated(ModelFrame frame) {
    return dropRepeatedly(frame, true);
  }

  /**
   * Each round is one pass counting rows (singletons) or summing y (separation) per level of every
   * fixed effect, then, if some level is to go, one filter into new persisted blocks.
   */
  private static Dropped dropRepeatedly(ModelFrame frame, boolean separation) {
    if (frame.q() == 0) {
      return new Dropped(frame, 0);
    }
    int[] levels = frame.levels;
    ModelFrame current = frame;
    long dropped = 0;
    while (true) {
      double[][] stats = current.blocks.aggregate(b -> levelStats(b, levels, separation),
          (a, b) -> {
            for (int d = 0; d < a.length; d++) {
              addInPlace(a[d], b[d]);
            }
            return a;
          });
      boolean[][] bad = new boolean[levels.length][];
      boolean any = false;
      for (int d = 0; d < levels.length; d++) {
        bad[d] = new boolean[levels[d]];
        for (int g = 0; g < levels[d]; g++) {
          double count = stats[d][2 * g];
          bad[d][g] = count > 0 && (separation ? stats[d][2 * g + 1] == 0 : count == 1);
          any |= bad[d][g];
        }
      }
      if (!any) {
        return new Dropped(current, dropped);
      }
      Blocks kept = current.blocks.map(b -> b.filter(keep(b, bad)));
      long rows = kept.aggregate(b -> (long) b.n, Long::sum);
      dropped += current.rows - rows;
      if (current != frame) {
        current.blocks.release();
      }
      current = current.withBlocks(kept, rows);
    }
  }

  /** Per fixed effect, per level: the row count and the sum of y. */
  private static double[][] levelStats(Block b, int[] levels, boolean withY) {
    double[][] out = new double[levels.length][];
    for (int d = 0; d < levels.length; d++) {
      double[] s = new double[2 * levels[d]];
      int[] level = b.fe[d];
      for (int i = 0; i < b.n; i++) {
        s[2 * level[i]] += 1;
        if (withY) {
          s[2 * level[i] + 1] += b.y[i];
        }
      }
      out[d] = s;
    }
    return out;
  }

  private static boolean[] keep(Block b, boolean[][] bad) {
    boolean[] keep = new boolean[b.n];
    for (int i = 0; i < b.n; i++) {
      boolean k = true;
      for (int d = 0; d < bad.length; d++) {
        k &= !bad[d][b.fe[d][i]];
      }
      keep[i] = k;
    }
    return keep;
  }

  /**
   * The number of fixed-effect parameters that are identified: the rank of the matrix of the dummies
   * of the fixed effects {@code dims} (indices into the sample's fixed effects, in order). With one
   * fixed effect it is its number of levels L1 that have rows. With two it is {@code L1 + L2 - C},
   * where C is the number of connected components of the graph linking the levels of the two fixed
   * effects that occur together (Abowd, Creecy and Kramarz 2002; exact). Each further fixed effect
   * adds {@code L - 1} (the fixest convention: exact when it is crossed with the others, as a year
   * effect usually is; it overstates the rank when a further fixed effect is nested in the first
   * two).
   *
   * <p>One pass: each block marks the levels it has and joins, in a union-find over the levels of the
   * first two fixed effects, the pairs that occur together; the union-finds of the blocks are merged
   * on the way to the driver ({@code levels} ints each).
   */
  static long rank(ModelFrame frame, int[] dims) {
    if (dims.length == 0) {
      return 0;
    }
    int[] levels = frame.levels;
    LevelGraph graph = frame.blocks.aggregate(b -> LevelGraph.of(b, levels, dims),
        LevelGraph::merge);
    long rank = graph.present(0);
    if (dims.length >= 2) {
      rank += graph.present(1) - graph.components();
    }
    for (int i = 2; i < dims.length; i++) {
      rank += graph.present(i) - 1;
    }
    return rank;
  }

  /** True when every level of fixed effect {@code d} occurs with a single group of cluster c. */
  static boolean nestedIn(ModelFrame frame, int d, int c) {
    int size = frame.levels[d];
    int[] groups = frame.blocks.aggregate(b -> {
      int[] g = new int[size];
      Arrays.fill(g, -1);
      for (int i = 0; i < b.n; i++) {
        g[b.fe[d][i]] = combine(g[b.fe[d][i]], b.clusters[c][i]);
      }
      return g;
    }, (a, b) -> {
      for (int i = 0; i < a.length; i++) {
        a[i] = combine(a[i], b[i]);
      }
      return a;
    });
    return Arrays.stream(groups).noneMatch(g -> g == -2);
  }

  /** -1: no group yet; -2: several groups; else the one group. */
  private static int combine(int a, int b) {
    if (a == -1) {
      return b;
    }
    if (b == -1) {
      return a;
    }
    return a == b ? a : -2;
  }
}
