package org.critmin.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The small dense algebra of the estimators, on the driver: k x k cross-product matrices built by one
 * Spark aggregation, and a Cholesky factorisation (Golub and Van Loan, Matrix Computations, 4th ed.,
 * algorithm 4.2.1) to invert them. k is the number of regressors (tens), never the number of rows.
 */
final class Linalg {

  /** Relative pivot below which a column counts as a linear combination of the previous ones. */
  static final double COLLINEAR_TOL = 1e-10;

  private Linalg() {}

  /**
   * A symmetric matrix of sums of products, the number of rows summed and the values of any extra
   * aggregates computed in the same pass.
   */
  record CrossProducts(double[][] matrix, long rows, double[] extras) {}

  /**
   * {@code sum(w * a_i * a_j)} over the rows of {@code frame} for every pair of {@code cols}, in one
   * aggregation; {@code weight} may be null (w = 1). Returns the full symmetric matrix.
   */
  static double[][] crossProducts(Dataset<Row> frame, List<String> cols, Column weight) {
    return crossProducts(frame, cols, weight, List.of()).matrix();
  }

  /**
   * {@link #crossProducts}, the row count and the double-valued aggregates {@code extras}, all from
   * one aggregation (one pass over the data).
   */
  static CrossProducts crossProducts(Dataset<Row> frame, List<String> cols, Column weight,
      List<Column> extras) {
    int m = cols.size();
    List<Column> sums = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      for (int j = i; j < m; j++) {
        Column p = col(cols.get(i)).multiply(col(cols.get(j)));
        sums.add(sum(weight == null ? p : p.multiply(weight)));
      }
    }
    sums.add(count(lit(1)));
    sums.addAll(extras);
    Row r = frame.agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new)).first();
    double[][] out = new double[m][m];
    int idx = 0;
    for (int i = 0; i < m; i++) {
      for (int j = i; j < m; j++) {
        double v = r.isNullAt(idx) ? 0.0 : r.getDouble(idx);
        out[i][j] = v;
        out[j][i] = v;
        idx++;
      }
    }
    long rows = r.getLong(idx++);
    double[] more = new double[extras.size()];
    for (int e = 0; e < more.length; e++, idx++) {
      more[e] = r.isNullAt(idx) ? Double.NaN : ((Number) r.get(idx)).doubleValue();
    }
    return new CrossProducts(out, rows, more);
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
