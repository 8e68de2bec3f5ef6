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
import org.critmin.delta.Warehouse;
import org.critmin.reference.ShockEvents;
import org.critmin.run.Job;
import org.critmin.run.RunContext;
import org.critmin.shocks.ShockPanel.Frequency;
import org.critmin.stats.Formula;
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

  /** Where an event's panel comes from: its frequency and event period, or why there is none. */
  record EventPanel(Frequency frequency, int eventIndex, Dataset<Row> panel, String reason) {
    String period() {
      return frequency == null ? null : frequency.period(eventIndex);
    }
  }

  @Override
  public void run(RunContext context) {
    ShocksConfig config = context.config().shocks();
    SparkSession spark = context.spark();
    List<ShockEvents.Event> events = selected(
        ShockEvents.load(spark, context.config().referenceDir()), config.events());
    checkFormulas(spark, config);

    Warehouse warehouse = context.warehouse();
    Dataset<Row> countries = context.reference().countries()
        .filter(col("kind").equalTo("country")).select("iso3");
    Dataset<Row> flows = ShockPanel.countryFlows(warehouse.read(Tables.BILATERAL_FLOWS), countries)
        .cache();
    List<Row> estimates = new ArrayList<>();
    List<Row> eventStudy = new ArrayList<>();
    try {
      Map<String, long[]> coverage = coverage(flows, events, config);
      for (ShockEvents.Event event : events) {
        long start = System.nanoTime();
        EventPanel panel = panel(flows, event, config,
            coverage.getOrDefault(event.eventId(), new long[2 * PREFERENCE.size()]));
        for (ShocksConfig.Model model : config.models()) {
          if (model.enabled()) {
            estimate(event, panel, model, config, context.runId(), estimates, eventStudy);
          }
        }
        if (panel.panel() != null) {
          panel.panel().unpersist();
        }
        LOG.info("shocks: {} ({}) in {} s", event.eventId(),
            panel.reason() == null ? panel.frequency().label() + " from " + panel.period()
                : panel.reason(), String.format("%.1f", (System.nanoTime() - start) / 1e9));
      }
    } finally {
      flows.unpersist();
    }
    Column scope = config.events().isEmpty() ? lit(true)
        : col("event_id").isin(events.stream().map(ShockEvents.Event::eventId).toArray());
    warehouse.replace(Tables.SHOCK_ESTIMATES,
        spark.createDataFrame(estimates, Tables.SHOCK_ESTIMATES.schema()), scope,
        context.runId());
    warehouse.replace(Tables.EVENT_STUDY,
        spark.createDataFrame(eventStudy, Tables.EVENT_STUDY.schema()), scope, context.runId());
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
  static void checkFormulas(SparkSession spark, ShocksConfig config) {
    Dataset<Row> example = spark.createDataFrame(List.of(RowFactory.create("AAA", "BBB",
        "000000", "2000", 2000, "AAA-BBB", 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1)),
        ShockPanel.PANEL_SCHEMA);
    for (ShocksConfig.Model model : config.models()) {
      if (model.enabled()) {
        try {
          Formula.parse(model.formula()).design(example, model.cluster());
        } catch (UserInputException e) {
          throw new UserInputException("configuration key 'shocks.models." + model.name()
              + ".formula': " + e.getMessage());
        }
      }
    }
  }

  /** The event's panel, or the reason no model of the event can be estimated. */
  static EventPanel panel(Dataset<Row> flows, ShockEvents.Event event, ShocksConfig config) {
    return panel(flows, event, config, coverage(flows, List.of(event), config)
        .getOrDefault(event.eventId(), new long[2 * PREFERENCE.size()]));
  }

  /**
   * Per event with HS6 codes and an effective date, the distinct periods of its products before
   * and from the event within the window, per frequency of {@link #PREFERENCE}: {@code [before,
   * from]} for each in turn. One query for all events (one per event took 0.2 s each); an event
   * whose products have no flows is absent.
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
   * The event's panel, from the first frequency whose {@code periods} (the event's entry of
   * {@link #coverage}) show data before and after the event, or the reason no model of the event
   * can be estimated.
   */
  static EventPanel panel(Dataset<Row> flows, ShockEvents.Event event, ShocksConfig config,
      long[] periods) {
    if (event.hs6Codes().isEmpty()) {
      return new EventPanel(null, 0, null, "the event lists no HS6 codes (a measure on "
          + "technology, or codes not known)");
    }
    if (event.effective() == null) {
      return new EventPanel(null, 0, null, "the event has no effective date (not in force)");
    }
    Frequency chosen = null;
    StringBuilder coverage = new StringBuilder();
    for (int i = 0; i < PREFERENCE.size(); i++) {
      Frequency f = PREFERENCE.get(i);
      long pre = periods[2 * i];
      long post = periods[2 * i + 1];
      coverage.append(coverage.length() == 0 ? "" : "; ").append(f.label()).append(": ")
          .append(pre).append(" periods before, ").append(post).append(" from ")
          .append(f.period(f.eventIndex(event.effective())));
      if (chosen == null && pre > 0 && post > 0) {
        chosen = f;
      }
    }
    if (chosen == null) {
      return new EventPanel(null, 0, null, "no data before and after the event for HS6 "
          + String.join(", ", event.hs6Codes()) + " within the window (" + coverage + ")");
    }
    ShocksConfig.Window w = window(config, chosen);
    int ev = chosen.eventIndex(event.effective());
    Dataset<Row> zeros = ShockPanel.withZeros(flows
        .filter(col("hs6").isin(event.hs6Codes().toArray()))
        .filter(col("frequency").equalTo(chosen.label()))
        .filter(col("period_index").between(ev - w.before(), ev + w.after())));
    List<String> targeted = event.targets().isEmpty()
        ? exposedImporters(zeros, event.imposer(), ev) : event.targets();
    Dataset<Row> panel = ShockPanel.withTreatment(zeros, event.imposer(), event.targets(),
        targeted, ev, w.leads(), w.lags()).cache();
    return new EventPanel(chosen, ev, panel, null);
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

  /**
   * The rows a model is fitted on. Direct effect, event study and unit values: flows into the
   * importers (per HS6) that bought from the restricting country in the window; re-routing:
   * third countries' flows, from the exporters (per HS6) that sold to a targeted importer. The
   * rows left out hold fixed effects of their own only (importer x HS6 x period, exporter x HS6 x
   * period) and no treated flow, so they cannot move the estimate; leaving them out keeps the
   * fits small.
   */
  static Sample sample(String model, Dataset<Row> panel, String imposer) {
    return switch (model) {
      case "rerouting" -> new Sample(informative(
          panel.filter(col("exporter").notEqual(imposer)), "targeted", "exporter"),
          "targeted_post", "targeted");
      case "unit_values" -> new Sample(informative(
          panel.filter(col("unit_value").isNotNull()), "treated_unit", "importer"),
          "treated", "treated_unit");
      default -> new Sample(informative(panel, "treated_unit", "importer"), "treated",
          "treated_unit");
    };
  }

  private static Dataset<Row> informative(Dataset<Row> rows, String unit, String side) {
    Dataset<Row> groups = rows.filter(col(unit).equalTo(1.0)).select(side, "hs6").distinct();
    return rows.join(groups, new String[] {side, "hs6"}, "left_semi");
  }

  /**
   * Why the model is not identified on {@code sample}, or null: too few rows, no treated or no
   * untreated rows, no rows of the treated flows before the event, or (PPML) treated flows that
   * are all zero, whose coefficient would be minus infinity.
   */
  static String notIdentified(Sample sample, String estimator, int minObs, long[] nObs) {
    Row r = sample.rows().agg(
        count(lit(1)),
        sum(col(sample.treatment())),
        sum(col(sample.treatment()).multiply(col("value_usd"))),
        sum(col(sample.unit()).multiply(lit(1.0).minus(col("post"))))).first();
    long n = r.getLong(0);
    nObs[0] = n;
    double treated = r.isNullAt(1) ? 0 : r.getDouble(1);
    double treatedValue = r.isNullAt(2) ? 0 : r.getDouble(2);
    double unitBefore = r.isNullAt(3) ? 0 : r.getDouble(3);
    if (n < minObs) {
      return "too few observations: " + n + " (shocks.min_obs is " + minObs + ")";
    }
    if (treated == 0) {
      return "no treated observations (" + sample.treatment() + " is 0 in every row)";
    }
    if (treated == n) {
      return "no untreated observations to compare with (" + sample.treatment()
          + " is 1 in every row)";
    }
    if (unitBefore == 0) {
      return "no observations of the treated flows before the event";
    }
    if (estimator.equals("ppml") && treatedValue == 0) {
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
    Sample sample = sample(model.name(), panel.panel(), event.imposer());
    long[] nObs = new long[1];
    String reason = notIdentified(sample, model.estimator(), config.minObs(), nObs);
    RegressionResult result = null;
    if (reason == null) {
      try {
        result = Regression.fit(sample.rows(), model.formula(), model.estimator(),
            model.cluster(), model.ssc());
      } catch (UserInputException e) {
        reason = "estimation failed: " + e.getMessage();
      }
    }
    if (result == null) {
      estimates.add(notEstimable(event, model, nObs[0], reason, frequency, panel.period(),
          runId));
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
    regression[3] = treatmentTerm(model.name());
    regression[RegressionResult.SCHEMA.fieldIndex("ssc")] = model.ssc();
    regression[RegressionResult.SCHEMA.fieldIndex("n_obs")] = nObs;
    return estimateRow(event.eventId(), RowFactory.create(regression), NOT_ESTIMABLE, reason,
        frequency, eventPeriod, runId);
  }

  private static String treatmentTerm(String model) {
    return switch (model) {
      case "rerouting" -> "targeted_post";
      case "event_study" -> "rel_period";
      default -> "treated";
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
