package org.critmin.shocks;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.ShocksConfig;
import org.critmin.config.UserInputException;
import org.critmin.delta.Tables;
import org.critmin.reference.ShockEvents;
import org.critmin.run.Job;
import org.critmin.run.RunContext;
import org.critmin.shocks.ShockPanel.Frequency;
import org.critmin.stats.Formula;
import org.critmin.stats.LocalData;
import org.critmin.stats.ModelException;
import org.critmin.stats.Regression;
import org.critmin.stats.RegressionResult;

/**
 * Estimates the models of {@code conf/shocks.conf} for each event of {@code shock_events.csv} on
 * {@code critmin_silver.bilateral_flows} and writes {@code critmin_gold.shock_estimates} (every
 * coefficient, or one not_estimable row with the reason) and {@code critmin_gold.event_study}.
 *
 * <p>Per event: the flows of its HS6 codes, monthly where monthly data cover periods before and
 * after the event, annual otherwise, in the configured window; zeros filled and treatment columns
 * added by {@link ShockPanel}. Per model: the model's sample (direct and event study: every
 * exporter; re-routing: third countries only; unit values: flows with a unit value), checks that
 * the model is identified (enough rows, treated and untreated rows, treated flows before the event,
 * for PPML a treated flow that is not zero), then the fit by {@link Regression}.
 */
public final class ShocksJob implements Job {
  private static final Logger LOG = LogManager.getLogger(ShocksJob.class);
  static final String ESTIMATED = "estimated";
  static final String NOT_ESTIMABLE = "not_estimable";
  private static final String EVENT_TERM_PREFIX = "rel_period::";
  /** Frequencies in the order an event's panel prefers them. */
  private static final List<Frequency> PREFERENCE = List.of(Frequency.MONTHLY, Frequency.ANNUAL);

  @Override
  public String name() {
    return "shocks";
  }

  /** Values per frequency in the coverage of an event: periods before, periods from, rows. */
  private static final int COVERAGE_WIDTH = 3;

  /**
   * Where an event's panel comes from: its frequency and event period, or why there is none, with
   * the flows in its window; the panel itself, built in memory or by Spark, or neither when there
   * is a reason.
   */
  record EventPanel(Frequency frequency, int eventIndex, String reason, long windowRows,
      InMemoryPanel memory, Dataset<Row> panel) {
    String period() {
      return frequency == null ? null : frequency.period(eventIndex);
    }

    EventPanel inMemory(InMemoryPanel built) {
      return new EventPanel(frequency, eventIndex, reason, windowRows, built, null);
    }

    EventPanel onSpark(Dataset<Row> built) {
      return new EventPanel(frequency, eventIndex, reason, windowRows, null, built);
    }
  }

  @Override
  public void run(RunContext context) {
    ShocksConfig config = context.config().shocks();
    SparkSession spark = context.spark();
    List<ShockEvents.Event> events = selected(
        ShockEvents.load(spark, context.config().referenceDir()), config.events());
    checkFormulas(config);

    Dataset<Row> countries = context.reference().countries()
        .filter(col("kind").equalTo("country")).select("iso3");
    Dataset<Row> flows = ShockPanel.countryFlows(context.table(Tables.BILATERAL_FLOWS), countries)
        .cache();
    List<Row> estimates = new ArrayList<>();
    List<Row> eventStudy = new ArrayList<>();
    try {
      Map<String, long[]> coverage = coverage(flows, events, config);
      Map<String, EventPanel> chosen = new LinkedHashMap<>();
      for (ShockEvents.Event event : events) {
        chosen.put(event.eventId(), choose(event, config, coverage.getOrDefault(event.eventId(),
            new long[COVERAGE_WIDTH * PREFERENCE.size()])));
      }
      Map<String, List<InMemoryPanel.Flow>> windows = inMemoryWindows(flows, events, chosen,
          config);
      for (ShockEvents.Event event : events) {
        long start = System.nanoTime();
        EventPanel panel = build(flows, event, chosen.get(event.eventId()), config,
            windows.get(event.eventId()));
        for (ShocksConfig.Model model : config.models()) {
          if (model.enabled()) {
            estimate(event, panel, model, config, context.runId(), estimates, eventStudy);
          }
        }
        if (panel.panel() != null) {
          panel.panel().unpersist();
        }
        LOG.info("shocks: {} ({}) in {} s", event.eventId(),
            panel.reason() == null ? panel.frequency().label() + " from " + panel.period() + ", "
                + panel.windowRows() + " flows, panel " + (panel.memory() != null ? "in memory"
                : "on Spark") : panel.reason(),
            String.format("%.1f", (System.nanoTime() - start) / 1e9));
      }
    } finally {
      flows.unpersist();
    }
    Column scope = config.events().isEmpty() ? lit(true)
        : col("event_id").isin(events.stream().map(ShockEvents.Event::eventId).toArray());
    context.write(Tables.SHOCK_ESTIMATES,
        spark.createDataFrame(estimates, Tables.SHOCK_ESTIMATES.schema()), scope);
    context.write(Tables.EVENT_STUDY,
        spark.createDataFrame(eventStudy, Tables.EVENT_STUDY.schema()), scope);
    context.count(0, estimates.size(), 0);
    LOG.info("shocks: {} events, {} shock_estimates rows, {} event_study rows", events.size(),
        estimates.size(), eventStudy.size());
  }

  /** The events named in {@code shocks.events}, or all of them when it is empty. */
  static List<ShockEvents.Event> selected(List<ShockEvents.Event> all, List<String> ids) {
    if (ids.isEmpty()) {
      return all;
    }
    List<ShockEvents.Event> events = new ArrayList<>();
    for (String id : new LinkedHashSet<>(ids)) {
      events.add(all.stream().filter(e -> e.eventId().equals(id)).findFirst()
          .orElseThrow(() -> new UserInputException("configuration key 'shocks.events' names '"
              + id + "', which is not an event_id of shock_events.csv")));
    }
    return events;
  }

  /** Resolves each enabled formula against the panel columns, so a typo stops the run (exit 2). */
  static void checkFormulas(ShocksConfig config) {
    LocalData example = new LocalData(ShockPanel.PANEL_SCHEMA, List.of(RowFactory.create("AAA",
        "BBB", "000000", "2000", 2000, "AAA-BBB", 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1)));
    for (ShocksConfig.Model model : config.models()) {
      if (model.enabled()) {
        try {
          Formula.parse(model.formula()).design(example, model.cluster());
        } catch (ModelException e) {
          throw new UserInputException("configuration key 'shocks.models." + model.name()
              + ".formula': " + e.getMessage());
        }
      }
    }
  }

  /**
   * The event's panel built by Spark, or the reason no model of the event can be estimated (the
   * path of events too large for memory; tests compare it with {@link InMemoryPanel}).
   */
  static EventPanel panel(Dataset<Row> flows, ShockEvents.Event event, ShocksConfig config) {
    EventPanel chosen = choose(event, config, coverage(flows, List.of(event), config)
        .getOrDefault(event.eventId(), new long[COVERAGE_WIDTH * PREFERENCE.size()]));
    return build(flows, event, chosen, config, null);
  }

  /**
   * Per event with HS6 codes and an effective date, the distinct periods of its products before
   * and from the event within the window and the flows in the window, per frequency of
   * {@link #PREFERENCE}: {@code [before, from, rows]} for each in turn. One query for all events
   * (one per event took 0.2 s each); an event whose products have no flows is absent.
   */
  static Map<String, long[]> coverage(Dataset<Row> flows, List<ShockEvents.Event> events,
      ShocksConfig config) {
    List<Row> codes = new ArrayList<>();
    for (ShockEvents.Event event : events) {
      if (event.effective() == null) {
        continue;
      }
      for (String hs6 : new LinkedHashSet<>(event.hs6Codes())) {
        Object[] row = new Object[2 + PREFERENCE.size()];
        row[0] = event.eventId();
        row[1] = hs6;
        for (int i = 0; i < PREFERENCE.size(); i++) {
          row[2 + i] = PREFERENCE.get(i).eventIndex(event.effective());
        }
        codes.add(RowFactory.create(row));
      }
    }
    Map<String, long[]> coverage = new HashMap<>();
    if (codes.isEmpty()) {
      return coverage;
    }
    StructType schema = new StructType()
        .add("event_id", DataTypes.StringType)
        .add("hs6", DataTypes.StringType);
    List<Column> counts = new ArrayList<>();
    for (Frequency f : PREFERENCE) {
      schema = schema.add("event_index_" + f.label(), DataTypes.IntegerType);
      ShocksConfig.Window w = window(config, f);
      Column rel = col("period_index").minus(col("event_index_" + f.label()));
      Column ofFrequency = col("frequency").equalTo(f.label());
      counts.add(countDistinct(when(ofFrequency.and(rel.between(-w.before(), -1)),
          col("period_index"))));
      counts.add(countDistinct(when(ofFrequency.and(rel.between(0, w.after())),
          col("period_index"))));
      counts.add(count(when(ofFrequency.and(rel.between(-w.before(), w.after())), lit(1))));
    }
    Dataset<Row> eventCodes = flows.sparkSession().createDataFrame(codes, schema);
    for (Row row : flows.join(broadcast(eventCodes), "hs6").groupBy("event_id")
        .agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new))
        .collectAsList()) {
      long[] periods = new long[counts.size()];
      for (int i = 0; i < periods.length; i++) {
        periods[i] = row.getLong(1 + i);
      }
      coverage.put(row.getString(0), periods);
    }
    return coverage;
  }

  /**
   * The frequency of the event's panel: the first whose {@code periods} (the event's entry of
   * {@link #coverage}) show data before and after the event; or the reason no model of the event
   * can be estimated.
   */
  static EventPanel choose(ShockEvents.Event event, ShocksConfig config, long[] periods) {
    if (event.hs6Codes().isEmpty()) {
      return new EventPanel(null, 0, "the event lists no HS6 codes (a measure on technology, or "
          + "codes not known)", 0, null, null);
    }
    if (event.effective() == null) {
      return new EventPanel(null, 0, "the event has no effective date (not in force)", 0, null,
          null);
    }
    StringBuilder coverage = new StringBuilder();
    EventPanel chosen = null;
    for (int i = 0; i < PREFERENCE.size(); i++) {
      Frequency f = PREFERENCE.get(i);
      long pre = periods[COVERAGE_WIDTH * i];
      long post = periods[COVERAGE_WIDTH * i + 1];
      coverage.append(coverage.length() == 0 ? "" : "; ").append(f.label()).append(": ")
          .append(pre).append(" periods before, ").append(post).append(" from ")
          .append(f.period(f.eventIndex(event.effective())));
      if (chosen == null && pre > 0 && post > 0) {
        chosen = new EventPanel(f, f.eventIndex(event.effective()), null,
            periods[COVERAGE_WIDTH * i + 2], null, null);
      }
    }
    if (chosen == null) {
      return new EventPanel(null, 0, "no data before and after the event for HS6 "
          + String.join(", ", event.hs6Codes()) + " within the window (" + coverage + ")", 0,
          null, null);
    }
    return chosen;
  }

  /**
   * The flows of the windows of the events whose panels are built in memory (at most
   * {@code shocks.in_memory_rows} flows), by event, collected in one query.
   */
  static Map<String, List<InMemoryPanel.Flow>> inMemoryWindows(Dataset<Row> flows,
      List<ShockEvents.Event> events, Map<String, EventPanel> chosen, ShocksConfig config) {
    List<Row> windows = new ArrayList<>();
    for (ShockEvents.Event event : events) {
      EventPanel panel = chosen.get(event.eventId());
      if (panel.reason() == null && panel.windowRows() <= config.inMemoryRows()) {
        ShocksConfig.Window w = window(config, panel.frequency());
        for (String hs6 : new LinkedHashSet<>(event.hs6Codes())) {
          windows.add(RowFactory.create(event.eventId(), hs6, panel.frequency().label(),
              panel.eventIndex() - w.before(), panel.eventIndex() + w.after()));
        }
      }
    }
    if (windows.isEmpty()) {
      return Map.of();
    }
    StructType schema = new StructType()
        .add("event_id", DataTypes.StringType)
        .add("window_hs6", DataTypes.StringType)
        .add("window_frequency", DataTypes.StringType)
        .add("window_from", DataTypes.IntegerType)
        .add("window_to", DataTypes.IntegerType);
    Dataset<Row> table = broadcast(flows.sparkSession().createDataFrame(windows, schema));
    return InMemoryPanel.byEvent(flows.join(table, col("hs6").equalTo(col("window_hs6"))
            .and(col("frequency").equalTo(col("window_frequency")))
            .and(col("period_index").between(col("window_from"), col("window_to"))))
        .select("event_id", "exporter", "importer", "hs6", "period", "period_index", "value_usd",
            "net_kg")
        .collectAsList());
  }

  /**
   * The chosen panel of an event built: in memory from {@code window} (its flows, when they were
   * collected), else by Spark from {@code flows}; as it is when it has a reason.
   */
  static EventPanel build(Dataset<Row> flows, ShockEvents.Event event, EventPanel chosen,
      ShocksConfig config, List<InMemoryPanel.Flow> window) {
    if (chosen.reason() != null) {
      return chosen;
    }
    ShocksConfig.Window w = window(config, chosen.frequency());
    int ev = chosen.eventIndex();
    if (window != null) {
      return chosen.inMemory(InMemoryPanel.of(window, event.imposer(), event.targets(), ev,
          w.leads(), w.lags()));
    }
    Dataset<Row> zeros = ShockPanel.withZeros(flows
        .filter(col("hs6").isin(event.hs6Codes().toArray()))
        .filter(col("frequency").equalTo(chosen.frequency().label()))
        .filter(col("period_index").between(ev - w.before(), ev + w.after())));
    List<String> targeted = event.targets().isEmpty()
        ? exposedImporters(zeros, event.imposer(), ev) : event.targets();
    Dataset<Row> panel = ShockPanel.withTreatment(zeros, event.imposer(), event.targets(),
        targeted, ev, w.leads(), w.lags()).cache();
    return chosen.onSpark(panel);
  }

  /** Importers that bought the products from {@code imposer} before the event (a short list). */
  static List<String> exposedImporters(Dataset<Row> panel, String imposer, int eventIndex) {
    return panel.filter(col("exporter").equalTo(imposer)
            .and(col("period_index").lt(eventIndex)).and(col("value_usd").gt(0)))
        .select("importer").distinct().orderBy("importer").as(Encoders.STRING())
        .collectAsList();
  }

  private static ShocksConfig.Window window(ShocksConfig config, Frequency f) {
    return f == Frequency.ANNUAL ? config.annual() : config.monthly();
  }

  /** The sample of a model and its treatment and treated-unit columns. */
  record Sample(Dataset<Row> rows, String treatment, String unit) {}

  /** A model's treatment column and the column marking its treated units. */
  record Treatment(String treatment, String unit) {}

  static Treatment treatment(ShocksConfig.Kind model) {
    return switch (model) {
      case REROUTING -> new Treatment("targeted_post", "targeted");
      case DIRECT, UNIT_VALUES, EVENT_STUDY -> new Treatment("treated", "treated_unit");
    };
  }

  /**
   * The rows a model is fitted on. Direct effect, event study and unit values: flows into the
   * importers (per HS6) that bought from the restricting country in the window; re-routing:
   * third countries' flows, from the exporters (per HS6) that sold to a targeted importer. The
   * rows left out hold fixed effects of their own only (importer x HS6 x period, exporter x HS6 x
   * period) and no treated flow, so they cannot move the estimate; leaving them out keeps the
   * fits small. ({@link InMemoryPanel#sample} is the same on a panel in memory.)
   */
  static Sample sample(ShocksConfig.Kind model, Dataset<Row> panel, String imposer) {
    Treatment t = treatment(model);
    Dataset<Row> rows = switch (model) {
      case REROUTING -> informative(panel.filter(col("exporter").notEqual(imposer)),
          "targeted", "exporter");
      case UNIT_VALUES -> informative(panel.filter(col("unit_value").isNotNull()),
          "treated_unit", "importer");
      case DIRECT, EVENT_STUDY -> informative(panel, "treated_unit", "importer");
    };
    return new Sample(rows, t.treatment(), t.unit());
  }

  private static Dataset<Row> informative(Dataset<Row> rows, String unit, String side) {
    Dataset<Row> groups = rows.filter(col(unit).equalTo(1.0)).select(side, "hs6").distinct();
    return rows.join(groups, new String[] {side, "hs6"}, "left_semi");
  }

  /**
   * The sums the identification checks use, from a sample on Spark: rows, treated rows, value of
   * the treated rows and rows of the treated units before the event (one query).
   */
  static double[] identification(Sample sample) {
    Row r = sample.rows().agg(
        count(lit(1)),
        sum(col(sample.treatment())),
        sum(col(sample.treatment()).multiply(col("value_usd"))),
        sum(col(sample.unit()).multiply(lit(1.0).minus(col("post"))))).first();
    return new double[] {r.getLong(0), r.isNullAt(1) ? 0 : r.getDouble(1),
        r.isNullAt(2) ? 0 : r.getDouble(2), r.isNullAt(3) ? 0 : r.getDouble(3)};
  }

  /**
   * Why the model is not identified on a sample with the {@link #identification} sums
   * {@code [rows, treated, treated value, treated units before]}, or null: too few rows, no treated
   * or no untreated rows, no rows of the treated flows before the event, or (PPML) treated flows
   * that are all zero, whose coefficient would be minus infinity.
   */
  static String notIdentified(double[] sums, Treatment t, String estimator, int minObs) {
    long n = (long) sums[0];
    double treated = sums[1];
    if (n < minObs) {
      return "too few observations: " + n + " (shocks.min_obs is " + minObs + ")";
    }
    if (treated == 0) {
      return "no treated observations (" + t.treatment() + " is 0 in every row)";
    }
    if (treated == n) {
      return "no untreated observations to compare with (" + t.treatment()
          + " is 1 in every row)";
    }
    if (sums[3] == 0) {
      return "no observations of the treated flows before the event";
    }
    if (estimator.equals("ppml") && sums[2] == 0) {
      return "the treated flows are all zero after the event (a complete stop: the PPML "
          + "coefficient is minus infinity)";
    }
    return null;
  }

  private static void estimate(ShockEvents.Event event, EventPanel panel,
      ShocksConfig.Model model, ShocksConfig config, String runId, List<Row> estimates,
      List<Row> eventStudy) {
    String frequency = panel.frequency() == null ? null : panel.frequency().label();
    if (panel.reason() != null) {
      estimates.add(notEstimable(event, model, null, panel.reason(), frequency, panel.period(),
          runId));
      return;
    }
    Treatment t = treatment(model.kind());
    LocalData inMemory = null;
    Sample onSpark = null;
    double[] sums;
    if (panel.memory() != null) {
      inMemory = panel.memory().sample(model.kind(), event.imposer());
      sums = InMemoryPanel.identification(inMemory, t.treatment(), t.unit());
    } else {
      onSpark = sample(model.kind(), panel.panel(), event.imposer());
      sums = identification(onSpark);
    }
    String reason = notIdentified(sums, t, model.estimator(), config.minObs());
    RegressionResult result = null;
    if (reason == null) {
      try {
        result = inMemory != null
            ? Regression.fit(inMemory, model.formula(), model.estimator(), model.cluster(),
                model.ssc())
            : Regression.fit(onSpark.rows(), model.formula(), model.estimator(), model.cluster(),
                model.ssc(), config.inMemoryRows());
      } catch (ModelException e) {
        reason = "estimation failed: " + e.getMessage();
      }
    }
    if (result == null) {
      estimates.add(notEstimable(event, model, (long) sums[0], reason, frequency,
          panel.period(), runId));
      return;
    }
    for (Row row : result.rows(model.name())) {
      estimates.add(estimateRow(event.eventId(), row, ESTIMATED, null, frequency, panel.period(),
          runId));
    }
    ShocksConfig.Window w = window(config, panel.frequency());
    eventStudy.addAll(eventStudyRows(result, model.name(), event.eventId(), frequency,
        w.leads(), w.lags(), runId));
  }

  private static Row estimateRow(String eventId, Row regression, String status, String reason,
      String frequency, String eventPeriod, String runId) {
    List<Object> values = new ArrayList<>();
    values.add(eventId);
    for (int i = 0; i < regression.size(); i++) {
      values.add(regression.get(i));
    }
    values.add(status);
    values.add(reason);
    values.add(frequency);
    values.add(eventPeriod);
    values.add(runId);
    return RowFactory.create(values.toArray());
  }

  /** The one row of a model that could not be estimated: what was tried and why it failed. */
  static Row notEstimable(ShockEvents.Event event, ShocksConfig.Model model, Long nObs,
      String reason, String frequency, String eventPeriod, String runId) {
    Object[] regression = new Object[RegressionResult.SCHEMA.size()];
    regression[0] = model.name();
    regression[1] = model.formula();
    regression[2] = model.estimator();
    regression[3] = treatmentTerm(model.kind());
    regression[RegressionResult.SCHEMA.fieldIndex("ssc")] = model.ssc();
    regression[RegressionResult.SCHEMA.fieldIndex("n_obs")] = nObs;
    return estimateRow(event.eventId(), RowFactory.create(regression), NOT_ESTIMABLE, reason,
        frequency, eventPeriod, runId);
  }

  private static String treatmentTerm(ShocksConfig.Kind model) {
    return switch (model) {
      case REROUTING -> "targeted_post";
      case EVENT_STUDY -> "rel_period";
      case DIRECT, UNIT_VALUES -> "treated";
    };
  }

  /**
   * The {@code rel_period::k} coefficients of a fit as {@code event_study} rows, plus the
   * reference period -1 with estimate 0; none if the formula has no such terms.
   */
  static List<Row> eventStudyRows(RegressionResult result, String model, String eventId,
      String frequency, int leads, int lags, String runId) {
    List<Row> rows = new ArrayList<>();
    List<Integer> periods = new ArrayList<>();
    for (String term : result.terms()) {
      if (term.startsWith(EVENT_TERM_PREFIX)) {
        periods.add(Integer.parseInt(term.substring(EVENT_TERM_PREFIX.length())));
      }
    }
    if (periods.isEmpty()) {
      return rows;
    }
    rows.add(RowFactory.create(model, eventId, -1, 0.0, null, null, null, null, frequency,
        leads == 1, runId));
    for (int k : periods) {
      String term = EVENT_TERM_PREFIX + k;
      double se = result.stdError(term);
      boolean ok = Double.isFinite(se) && se > 0;
      rows.add(RowFactory.create(model, eventId, k, result.estimate(term), ok ? se : null,
          ok ? result.ciLow(term) : null, ok ? result.ciHigh(term) : null,
          ok ? result.pValue(term) : null, frequency, k == -leads || k == lags, runId));
    }
    rows.sort(Comparator.comparingInt(r -> r.getInt(2)));
    return rows;
  }
}
