package org.critmin.stats;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Variance of the slopes of a {@link Fit}: iid, heteroskedasticity-robust (HC1) and cluster-robust
 * (one-way, two-way and more) sandwich estimators.
 *
 * <p>With B = {@link Fit#bread()} = {@code (X~'WX~)^-1} and the score of row i
 * {@code s_i = x~_i r_i} ({@link FittedSample}; by Frisch-Waugh-Lovell this is the slope block of the
 * sandwich with one dummy per fixed-effect level):
 * <ul>
 *   <li>{@code iid}: {@code V = c * iidScale * B} (OLS: RSS/N (X~'X~)^-1; PPML: (X~'WX~)^-1);</li>
 *   <li>{@code hetero}: {@code V = c * B (sum_i s_i s_i') B} (White 1980; HC1 when c = N/(N-K));</li>
 *   <li>{@code cluster}: for one variable {@code V = c_G * c * B (sum_g S_g S_g') B} with
 *       {@code S_g = sum_{i in g} s_i} summed per group by a shuffle ({@link FittedSample#clusterMeat}); for several variables the
 *       inclusion-exclusion sum over every non-empty subset of them, clustering on the combination of
 *       the subset's values with sign {@code (-1)^(size+1)} (two-way: V = V_a + V_b - V_ab; Cameron,
 *       Gelbach and Miller 2011, "Robust inference with multiway clustering", JBES 29(2)).</li>
 * </ul>
 *
 * <p>Small-sample conventions ({@link Ssc}), as R {@code sandwich::vcovCL(type = "HC1",
 * cadjust = TRUE)} (Zeileis, Koell and Graham 2020, J. Stat. Software 95(1)) applies them:
 * {@code c_G = G/(G-1)} for each clustering component with its own number of groups G, and
 * {@code c = (N-1)/(N-K)} overall for clustered variances, {@code c = N/(N-K)} for iid and hetero. K is
 * counted as follows, k being the number of slopes (with the intercept when there are no fixed effects)
 * and rank(D) the rank of the fixed-effect dummies ({@link FixedEffects#rank}: levels less the
 * redundant ones, so aliased dummies are not counted):
 * <ul>
 *   <li>{@code full}: {@code K = k + rank(D)}, the rank of the full design with dummies, as in vcovCL
 *       on {@code lm}/{@code glm} with the aliased dummies dropped;</li>
 *   <li>{@code nested}: {@code K = k + rank(D) - rank(D_nested)}, D_nested the dummies of the fixed
 *       effects nested in a cluster variable (each level within one cluster), so those levels are not
 *       counted (fixest's default {@code fixef.K = "nested"}); equal to full for iid and hetero;</li>
 *   <li>{@code none}: c = 1 and c_G = 1.</li>
 * </ul>
 * Degrees of freedom for t statistics (OLS): N - K_full for iid and hetero; min over the cluster
 * variables of G - 1 when clustered (as fixest). PPML uses the normal distribution.
 */
public final class Variance {

  private Variance() {}

  /** Type of variance. */
  public enum Type {
    IID, HETERO, CLUSTER;

    /** Parses {@code iid}, {@code hetero} (or {@code hc1}) and {@code cluster}. */
    public static Type parse(String s) {
      String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
      return switch (v) {
        case "iid", "standard" -> IID;
        case "hetero", "hc1", "robust" -> HETERO;
        case "cluster" -> CLUSTER;
        default -> throw new ModelException("unknown variance type '" + s
            + "' (expected iid, hetero or cluster)");
      };
    }
  }

  /** Small-sample correction convention. */
  public enum Ssc {
    FULL, NESTED, NONE;

    /** Parses {@code full}, {@code nested} or {@code none}. */
    public static Ssc parse(String s) {
      String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
      return switch (v) {
        case "full" -> FULL;
        case "nested" -> NESTED;
        case "none" -> NONE;
        default -> throw new ModelException("unknown small-sample convention '" + s
            + "' (expected full, nested or none)");
      };
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A variance estimate.
   *
   * @param vcov k x k variance matrix of the slopes
   * @param type the variance type
   * @param ssc the small-sample convention
   * @param label {@code iid}, {@code hetero} or {@code cluster(var1,var2)}
   * @param nClusters number of clusters of each cluster variable (empty unless clustered)
   * @param kFull K under the full convention
   * @param kUsed K used in the correction (K_full, K_nested; K_full under none, where it is unused)
   * @param df degrees of freedom of the t distribution; infinite for the normal
   */
  public record Estimate(double[][] vcov, Type type, Ssc ssc, String label, List<Long> nClusters,
      long kFull, long kUsed, double df) {}

  /**
   * Computes the variance of {@code fit} of the given type under the given convention, clustering on
   * every cluster variable the design carries.
   */
  public static Estimate compute(Fit fit, Type type, Ssc ssc) {
    return compute(fit, type, ssc, fit.design().clusterNames());
  }

  /**
   * As {@link #compute(Fit, Type, Ssc)}, clustering on {@code clusters}, a subset of the cluster
   * variables given to {@link Formula#design}.
   */
  public static Estimate compute(Fit fit, Type type, Ssc ssc, List<String> clusters) {
    return finish(fit, meat(fit, type, clusters, ssc == Ssc.NESTED), ssc);
  }

  /**
   * The estimate under every small-sample convention, from one computation of the meat (the
   * conventions differ only by scalar factors).
   */
  public static Map<Ssc, Estimate> computeAll(Fit fit, Type type, List<String> clusters) {
    Meat meat = meat(fit, type, clusters, true);
    Map<Ssc, Estimate> out = new EnumMap<>(Ssc.class);
    for (Ssc ssc : Ssc.values()) {
      out.put(ssc, finish(fit, meat, ssc));
    }
    return out;
  }

  /** One clustering component: {@code sum_g S_g S_g'}, its number of groups and its sign. */
  private record Component(double[][] meat, long groups, double sign) {}

  /**
   * The convention-free parts of an estimate: the meat components (empty for iid), the number of
   * clusters of each variable, K under full and nested, and the label.
   */
  private record Meat(Type type, String label, List<Component> components, List<Long> groups,
      long kFull, long kNested) {}

  private static Meat meat(Fit fit, Type type, List<String> clusters, boolean needNested) {
    long kFull = fit.k() + fit.feRank();
    switch (type) {
      case IID -> {
        return new Meat(type, "iid", List.of(), List.of(), kFull, kFull);
      }
      case HETERO -> {
        double[][] m = fit.sample().scoreCrossProducts();
        return new Meat(type, "hetero", List.of(new Component(m, fit.nObs(), 1.0)), List.of(),
            kFull, kFull);
      }
      default -> {
        return clusteredMeat(fit, clusters, kFull, needNested);
      }
    }
  }

  private static Meat clusteredMeat(Fit fit, List<String> clusters, long kFull,
      boolean needNested) {
    Design design = fit.design();
    if (clusters.isEmpty()) {
      throw new ModelException("clustered standard errors need at least one cluster variable");
    }
    List<Integer> cl = new ArrayList<>();
    for (String name : clusters) {
      int i = design.clusterNames().indexOf(name);
      if (i < 0) {
        throw new IllegalArgumentException("cluster variable " + name + " was not given to the "
            + "design (" + design.clusterNames() + ")");
      }
      cl.add(i);
    }
    List<Component> components = new ArrayList<>();
    List<Long> groups = new ArrayList<>();
    int p = cl.size();
    for (int mask = 1; mask < (1 << p); mask++) {
      List<Integer> parts = new ArrayList<>();
      for (int i = 0; i < p; i++) {
        if ((mask & (1 << i)) != 0) {
          parts.add(cl.get(i));
        }
      }
      FittedSample.ClusterMeat meat = fit.sample().clusterMeat(parts);
      Component c = new Component(meat.meat(), meat.groups(),
          Integer.bitCount(mask) % 2 == 1 ? 1.0 : -1.0);
      components.add(c);
      if (Integer.bitCount(mask) == 1) {
        groups.add(c.groups());
      }
    }
    long kNested = kFull;
    if (needNested) {
      List<Integer> nested = new ArrayList<>();
      for (int fe = 0; fe < design.fixedEffects(); fe++) {
        for (int c : cl) {
          if (fit.sample().nestedIn(fe, c)) {
            nested.add(fe);
            break;
          }
        }
      }
      kNested = kFull - fit.sample().rank(nested.stream().mapToInt(Integer::intValue).toArray());
    }
    String label = "cluster(" + String.join(",", clusters) + ")";
    return new Meat(Type.CLUSTER, label, components, List.copyOf(groups), kFull, kNested);
  }

  /** Applies a convention's factors to the meat and the bread. */
  private static Estimate finish(Fit fit, Meat meat, Ssc ssc) {
    long n = fit.nObs();
    boolean ols = fit.estimator().equals("ols");
    long kFull = meat.kFull();
    long kUsed = ssc == Ssc.NESTED ? meat.kNested() : kFull;
    double[][] vcov;
    double df;
    if (meat.type() == Type.CLUSTER) {
      double[][] sum = new double[fit.k()][fit.k()];
      for (Component c : meat.components()) {
        double adjust = ssc == Ssc.NONE ? 1.0 : (double) c.groups() / (c.groups() - 1);
        sum = Linalg.add(sum, Linalg.scale(c.meat(), adjust), c.sign());
      }
      double c = ssc == Ssc.NONE ? 1.0 : (double) (n - 1) / (n - kUsed);
      vcov = Linalg.scale(Linalg.sandwich(fit.bread(), sum), c);
      long minG = meat.groups().stream().mapToLong(Long::longValue).min().orElseThrow();
      df = ols ? minG - 1 : Double.POSITIVE_INFINITY;
    } else {
      double c = ssc == Ssc.NONE ? 1.0 : (double) n / (n - kFull);
      vcov = meat.type() == Type.IID ? Linalg.scale(fit.bread(), c * fit.iidScale())
          : Linalg.scale(Linalg.sandwich(fit.bread(), meat.components().get(0).meat()), c);
      df = ols ? n - kFull : Double.POSITIVE_INFINITY;
    }
    return new Estimate(vcov, meat.type(), ssc, meat.label(), meat.groups(), kFull, kUsed, df);
  }
}
