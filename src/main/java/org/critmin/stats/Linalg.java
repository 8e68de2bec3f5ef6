package org.critmin.stats;

import java.util.Arrays;

/**
 * The small dense algebra of the estimators, on the driver: k x k cross-product matrices built by one
 * pass over the blocks, and a Cholesky factorisation (Golub and Van Loan, Matrix Computations, 4th ed.,
 * algorithm 4.2.1) to invert them. k is the number of regressors (tens), never the number of rows.
 */
final class Linalg {

  /** Relative pivot below which a column counts as a linear combination of the previous ones. */
  static final double COLLINEAR_TOL = 1e-10;

  private Linalg() {}

  /**
   * A symmetric matrix of weighted sums of products, the number of rows summed and the extra sums of
   * the same pass.
   */
  record CrossProducts(double[][] matrix, long rows, double[] extras) {}

  /** Extra sums of a Poisson pass: deviance, sum y, sum mu, sum y^2, sum mu^2, sum y mu. */
  static final int POISSON_EXTRAS = 6;

  /**
   * {@code sum(w * v~_a * v~_b)} over all rows for every pair of the m demeaned variables of the
   * blocks (regressors then target, less the fixed effects {@code alpha}; see {@link Block}), in one
   * pass. With {@code poisson} the weights are the Poisson means mu and the pass also sums what the
   * deviance and the correlation of y and mu need ({@link #POISSON_EXTRAS}).
   */
  static CrossProducts crossProducts(Blocks blocks, double[][] alpha, int m, boolean poisson) {
    double[] sums = blocks.aggregate(alpha, (b, a) -> blockCrossProducts(b, a, m, poisson),
        FixedEffects::addInPlace);
    double[][] out = new double[m][m];
    for (int a = 0; a < m; a++) {
      for (int c = a; c < m; c++) {
        out[a][c] = sums[a * m + c];
        out[c][a] = sums[a * m + c];
      }
    }
    return new CrossProducts(out, (long) sums[m * m],
        Arrays.copyOfRange(sums, m * m + 1, sums.length));
  }

  private static double[] blockCrossProducts(Block b, double[][] alpha, int m, boolean poisson) {
    int size = m * m;
    double[] out = new double[size + 1 + (poisson ? POISSON_EXTRAS : 0)];
    double[] v = new double[m];
    for (int i = 0; i < b.n; i++) {
      for (int j = 0; j < m; j++) {
        v[j] = b.demeaned(alpha, m, j, i);
      }
      double w = b.weight(i);
      for (int a = 0; a < m; a++) {
        double wa = w * v[a];
        for (int c = a; c < m; c++) {
          out[a * m + c] += wa * v[c];
        }
      }
      if (poisson) {
        double y = b.y[i];
        out[size + 1] += Ppml.deviance(y, w);
        out[size + 2] += y;
        out[size + 3] += w;
        out[size + 4] += y * y;
        out[size + 5] += w * w;
        out[size + 6] += y * w;
      }
    }
    out[size] = b.n;
    return out;
  }

  /** Outer products {@code sum s s'} of k-vectors. */
  static double[] outer(double[] s) {
    int k = s.length;
    double[] out = new double[k * k];
    for (int a = 0; a < k; a++) {
      for (int c = 0; c < k; c++) {
        out[a * k + c] = s[a] * s[c];
      }
    }
    return out;
  }

  /** A k*k row-major array as a matrix. */
  static double[][] square(double[] a, int k) {
    double[][] out = new double[k][k];
    for (int i = 0; i < k; i++) {
      System.arraycopy(a, i * k, out[i], 0, k);
    }
    return out;
  }

  /** The leading k x k block of a matrix. */
  static double[][] block(double[][] a, int k) {
    double[][] b = new double[k][k];
    for (int i = 0; i < k; i++) {
      System.arraycopy(a[i], 0, b[i], 0, k);
    }
    return b;
  }

  /** Column k of the first k rows. */
  static double[] column(double[][] a, int col, int k) {
    double[] v = new double[k];
    for (int i = 0; i < k; i++) {
      v[i] = a[i][col];
    }
    return v;
  }

  /**
   * Lower Cholesky factor L of a symmetric positive definite matrix (A = L L'). Returns the index of
   * the first column that is (numerically) a linear combination of the earlier ones through
   * {@code aliased[0]}, or -1.
   */
  static double[][] cholesky(double[][] a, int[] aliased) {
    int k = a.length;
    double[][] l = new double[k][k];
    aliased[0] = -1;
    for (int j = 0; j < k; j++) {
      double d = a[j][j];
      for (int p = 0; p < j; p++) {
        d -= l[j][p] * l[j][p];
      }
      if (!(d > COLLINEAR_TOL * Math.max(a[j][j], Double.MIN_NORMAL))) {
        aliased[0] = j;
        return l;
      }
      l[j][j] = Math.sqrt(d);
      for (int i = j + 1; i < k; i++) {
        double s = a[i][j];
        for (int p = 0; p < j; p++) {
          s -= l[i][p] * l[j][p];
        }
        l[i][j] = s / l[j][j];
      }
    }
    return l;
  }

  /** Inverse of a symmetric positive definite matrix from its Cholesky factor. */
  static double[][] inverseFromCholesky(double[][] l) {
    int k = l.length;
    double[][] inv = new double[k][k];
    for (int c = 0; c < k; c++) {
      double[] e = new double[k];
      e[c] = 1.0;
      double[] x = solveCholesky(l, e);
      for (int r = 0; r < k; r++) {
        inv[r][c] = x[r];
      }
    }
    return inv;
  }

  /** Solves L L' x = b. */
  static double[] solveCholesky(double[][] l, double[] b) {
    int k = l.length;
    double[] z = new double[k];
    for (int i = 0; i < k; i++) {
      double s = b[i];
      for (int p = 0; p < i; p++) {
        s -= l[i][p] * z[p];
      }
      z[i] = s / l[i][i];
    }
    double[] x = new double[k];
    for (int i = k - 1; i >= 0; i--) {
      double s = z[i];
      for (int p = i + 1; p < k; p++) {
        s -= l[p][i] * x[p];
      }
      x[i] = s / l[i][i];
    }
    return x;
  }

  static double[] multiply(double[][] a, double[] x) {
    double[] y = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < x.length; j++) {
        y[i] += a[i][j] * x[j];
      }
    }
    return y;
  }

  /** A B C for square matrices (the sandwich bread x meat x bread). */
  static double[][] sandwich(double[][] bread, double[][] meat) {
    return product(product(bread, meat), bread);
  }

  static double[][] product(double[][] a, double[][] b) {
    int n = a.length;
    int m = b[0].length;
    double[][] c = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < b.length; p++) {
        double v = a[i][p];
        for (int j = 0; j < m; j++) {
          c[i][j] += v * b[p][j];
        }
      }
    }
    return c;
  }

  static double[][] scale(double[][] a, double s) {
    double[][] c = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        c[i][j] = a[i][j] * s;
      }
    }
    return c;
  }

  static double[][] add(double[][] a, double[][] b, double sign) {
    double[][] c = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        c[i][j] = a[i][j] + sign * b[i][j];
      }
    }
    return c;
  }
}
