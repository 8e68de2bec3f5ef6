package org.critmin.config;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code shocks} section of the configuration (documented in {@code conf/shocks.conf}): which
 * events to estimate, the event windows per data frequency and the four models.
 *
 * @param events event ids to estimate; empty for every event of {@code shock_events.csv}
 * @param minObs smallest panel a model is fitted on
 * @param annual window and event-study bins for annual data
 * @param monthly window and event-study bins for monthly data
 * @param models the models in their fixed order: direct, rerouting, unit_values, event_study
 * @param inMemoryRows events whose window holds at most this many flows get their panels built
 *     and models fitted in the driver's memory; larger ones on the executors
 */
public record ShocksConfig(List<String> events, int minObs, Window annual, Window monthly,
    List<Model> models, long inMemoryRows) {

  /**
   * The four models, in the order they are run and written. What a model fits (its sample and
   * treatment) follows from its kind; its name is only the key in {@code shocks.models} and the
   * {@code model} value of the tables.
   */
  public enum Kind {
    DIRECT, REROUTING, UNIT_VALUES, EVENT_STUDY;

    /** The configuration key and table value: {@code direct}, {@code unit_values}... */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Periods kept before and after the event period, and the event-study end points: relative
   * periods below {@code -leads} count as {@code -leads}, above {@code lags} as {@code lags}.
   */
  public record Window(int before, int after, int leads, int lags) {}

  /** One model: its kind, estimator (ols or ppml), fixest-style formula, cluster variables, ssc. */
  public record Model(Kind kind, boolean enabled, String estimator, String formula,
      List<String> cluster, String ssc) {

    /** The model's name in the configuration and the tables. */
    public String name() {
      return kind.id();
    }
  }

  static ShocksConfig from(Config c) {
    int minObs = c.getInt("shocks.min_obs");
    CritminConfig.require(minObs >= 2, "shocks.min_obs", "must be at least 2");
    List<Model> models = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      String key = "shocks.models." + kind.id();
      String estimator = c.getString(key + ".estimator");
      CritminConfig.require(List.of("ols", "ppml").contains(estimator), key + ".estimator",
          "must be ols or ppml, got '" + estimator + "'");
      String ssc = c.getString(key + ".ssc");
      CritminConfig.require(List.of("full", "nested", "none").contains(ssc), key + ".ssc",
          "must be full, nested or none, got '" + ssc + "'");
      models.add(new Model(kind, c.getBoolean(key + ".enabled"), estimator,
          c.getString(key + ".formula"), List.copyOf(c.getStringList(key + ".cluster")), ssc));
    }
    long inMemoryRows = c.getLong("shocks.in_memory_rows");
    CritminConfig.require(inMemoryRows >= 0, "shocks.in_memory_rows", "must not be negative");
    return new ShocksConfig(List.copyOf(c.getStringList("shocks.events")), minObs,
        window(c, "shocks.annual"), window(c, "shocks.monthly"), List.copyOf(models),
        inMemoryRows);
  }

  private static Window window(Config c, String key) {
    Window w = new Window(c.getInt(key + ".window_before"), c.getInt(key + ".window_after"),
        c.getInt(key + ".leads"), c.getInt(key + ".lags"));
    CritminConfig.require(w.before() >= 1 && w.after() >= 0, key,
        "needs window_before >= 1 and window_after >= 0");
    CritminConfig.require(w.leads() >= 1 && w.leads() <= w.before() && w.lags() >= 0
        && w.lags() <= w.after(), key,
        "needs 1 <= leads <= window_before and 0 <= lags <= window_after");
    return w;
  }
}
