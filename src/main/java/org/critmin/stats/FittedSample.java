package org.critmin.stats;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The estimation sample of a fit, as {@link Variance} needs it: the blocks (persisted), the
 * fixed-effect coefficients of the regressors (so {@code x~ = x - sum_d alpha_d}) and what gives the
 * score residual r of each row, so that the score of row i is {@code s_i = x~_i r_i}. Nothing
 * per row is stored beyond the blocks: scores are computed on the fly in each pass.
 *
 * <p>Memory on the driver: the coefficients, {@code levels x (k + 1) x 8} bytes per fixed effect,
 * and for PPML the linear predictor's fixed effects, {@code levels x 8} bytes per fixed effect.
 */
public final class FittedSample {

  final ModelFrame data;
  final Scorer scorer;

  FittedSample(ModelFrame data, double[][] alpha, int m, double[] beta, double[][] gamma) {
    this.data = data;
    this.scorer = new Scorer(alpha, m, beta, gamma);
  }

  /**
   * What gives the score of a row (shipped to the tasks).
   *
   * @param alpha {@code alpha[d][level * m + j]}: j below k are the regressors, j = k the target
   * @param m number of demeaned variables (k + 1)
   * @param beta the slopes
   * @param gamma PPML: per fixed effect and level, its part of the linear predictor, so that
   *     {@code eta_i = x_i beta + sum_d gamma_d[level_d(i)]} and r = y - exp(eta); null for OLS,
   *     where r is the demeaned outcome less {@code x~ beta}
   */
  record Scorer(double[][] alpha, int m, double[] beta, double[][] gamma)
      implements java.io.Serializable {

    /** The score {@code x~_i r_i} of row i of a block into {@code s}. */
    void score(Block b, int i, double[] s) {
      int k = beta.length;
      double r;
      if (gamma == null) {
        r = b.demeaned(alpha, m, k, i);
        for (int j = 0; j < k; j++) {
          s[j] = b.demeaned(alpha, m, j, i);
          r -= s[j] * beta[j];
        }
      } else {
        double eta = 0;
        for (int j = 0; j < k; j++) {
          eta += b.x[j][i] * beta[j];
          s[j] = b.demeaned(alpha, m, j, i);
        }
        for (int d = 0; d < gamma.length; d++) {
          eta += gamma[d][b.fe[d][i]];
        }
        r = b.y[i] - Math.exp(eta);
      }
      for (int j = 0; j < k; j++) {
        s[j] *= r;
      }
    }
  }

  /** {@code sum_i s_i s_i'} (the meat of the heteroskedasticity-robust variance), one pass. */
  double[][] scoreCrossProducts() {
    Scorer scores = scorer;
    int k = scores.beta().length;
    double[] sums = data.blocks.aggregate(b -> {
      double[] out = new double[k * k];
      double[] s = new double[k];
      for (int i = 0; i < b.n; i++) {
        scores.score(b, i, s);
        for (int a = 0; a < k; a++) {
          for (int c = 0; c < k; c++) {
            out[a * k + c] += s[a] * s[c];
          }
        }
      }
      return out;
    }, FixedEffects::addInPlace);
    return Linalg.square(sums, k);
  }

  /** {@code sum_g S_g S_g'} over the groups g of a clustering, and the number of groups. */
  record ClusterMeat(double[][] meat, long groups) {}

  /**
   * The meat of the clustering on the combinations of the cluster variables {@code vars} (indices of
   * the design's cluster variables): the scores are summed per group within each block, then across
   * blocks (on Spark by a shuffle on the group key, so the number of groups may be as large as the
   * data), then their outer products are summed.
   */
  ClusterMeat clusterMeat(List<Integer> vars) {
    Scorer scores = scorer;
    int k = scores.beta().length;
    int[] groups = data.clusterGroups;
    double[] meat = data.blocks.sumOverGroups(b -> {
      Map<Long, double[]> sums = new HashMap<>();
      double[] s = new double[k];
      for (int i = 0; i < b.n; i++) {
        long key = 0;
        for (int v : vars) {
          key = Math.addExact(Math.multiplyExact(key, (long) groups[v]), b.clusters[v][i]);
        }
        scores.score(b, i, s);
        FixedEffects.addInPlace(sums.computeIfAbsent(key, g -> new double[k]), s);
      }
      return sums;
    }, s -> {
      double[] out = new double[k * k + 1];
      System.arraycopy(Linalg.outer(s), 0, out, 0, k * k);
      out[k * k] = 1;
      return out;
    });
    return new ClusterMeat(Linalg.square(Arrays.copyOf(meat, k * k), k),
        (long) meat[k * k]);
  }

  /** Rank of the dummies of the fixed effects {@code dims} ({@link FixedEffects#rank}). */
  long rank(int[] dims) {
    return FixedEffects.rank(data, dims);
  }

  /** True when every level of fixed effect d lies within one group of cluster variable c. */
  boolean nestedIn(int d, int c) {
    return FixedEffects.nestedIn(data, d, c);
  }

  /** Releases the blocks (unpersists them on Spark). */
  public void release() {
    data.blocks.release();
  }
}
