package org.critmin.stats;

import java.io.Serializable;

/**
 * The rows of one partition of an estimation sample as primitive arrays: what every pass of the
 * estimators reads. Column-major arrays of doubles and level indices make a pass a tight loop over
 * memory, with no Row objects, no boxing and no expression evaluation per value; that is why the
 * engine turns the frame into blocks once ({@link ModelFrame}) instead of running its hundreds of
 * passes as Spark SQL jobs.
 *
 * <p>Blocks are never modified: an IRLS step makes a new block that shares the regressors, outcome,
 * fixed effects and clusters and carries its own {@link #target} and {@link #weight}.
 */
final class Block implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Number of rows. */
  final int n;
  /** The outcome. */
  final double[] y;
  /** Regressors, one array per column. */
  final double[][] x;
  /** Level index (0-based) of each row in each fixed effect, one array per fixed effect. */
  final int[][] fe;
  /** Group index (0-based) of each row in each cluster variable. */
  final int[][] clusters;
  /** The variable demeaned together with the regressors: y for OLS, the working response for PPML. */
  final double[] target;
  /** Row weights; null means 1. */
  final double[] weight;

  Block(int n, double[] y, double[][] x, int[][] fe, int[][] clusters, double[] target,
      double[] weight) {
    this.n = n;
    this.y = y;
    this.x = x;
    this.fe = fe;
    this.clusters = clusters;
    this.target = target;
    this.weight = weight;
  }

  /** The same rows with another target and weights. */
  Block withWorking(double[] newTarget, double[] newWeight) {
    return new Block(n, y, x, fe, clusters, newTarget, newWeight);
  }

  /** Number of regressors. */
  int k() {
    return x.length;
  }

  double weight(int i) {
    return weight == null ? 1.0 : weight[i];
  }

  /** Column j of the demeaned variables: the regressors, then the target. */
  double value(int j, int i) {
    return j < x.length ? x[j][i] : target[i];
  }

  /**
   * Value j of row i less its fixed effects {@code alpha} ({@code alpha[d][level * m + j]}, m
   * variables), i.e. the demeaned value.
   */
  double demeaned(double[][] alpha, int m, int j, int i) {
    double v = value(j, i);
    for (int d = 0; d < alpha.length; d++) {
      v -= alpha[d][fe[d][i] * m + j];
    }
    return v;
  }

  /** The rows whose flag in {@code keep} is true. */
  Block filter(boolean[] keep) {
    int count = 0;
    for (boolean b : keep) {
      count += b ? 1 : 0;
    }
    int[] rows = new int[count];
    for (int i = 0, r = 0; i < n; i++) {
      if (keep[i]) {
        rows[r++] = i;
      }
    }
    double[][] xs = new double[x.length][];
    for (int j = 0; j < x.length; j++) {
      xs[j] = pick(x[j], rows);
    }
    int[][] fes = new int[fe.length][];
    for (int d = 0; d < fe.length; d++) {
      fes[d] = pick(fe[d], rows);
    }
    int[][] cls = new int[clusters.length][];
    for (int c = 0; c < clusters.length; c++) {
      cls[c] = pick(clusters[c], rows);
    }
    double[] ys = pick(y, rows);
    return new Block(count, ys, xs, fes, cls, target == y ? ys : pick(target, rows),
        weight == null ? null : pick(weight, rows));
  }

  private static double[] pick(double[] a, int[] rows) {
    double[] out = new double[rows.length];
    for (int r = 0; r < rows.length; r++) {
      out[r] = a[rows[r]];
    }
    return out;
  }

  private static int[] pick(int[] a, int[] rows) {
    int[] out = new int[rows.length];
    for (int r = 0; r < rows.length; r++) {
      out[r] = a[rows[r]];
    }
    return out;
  }
}
