package org.critmin.shocks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.critmin.config.ShocksConfig;
import org.critmin.stats.LocalData;

/**
 * The panel of one event built in the driver's memory from the flows of its window: the rows
 * {@link ShockPanel#withZeros} and {@link ShockPanel#withTreatment} build with Spark, in
 * {@link ShockPanel#PANEL_SCHEMA}, with the model samples and identification checks of
 * {@link ShocksJob} on them. Used for events whose window holds few enough flows
 * ({@code shocks.in_memory_rows}); the panel of a larger event is built by Spark. The two are
 * compared row by row in the tests.
 */
final class InMemoryPanel {

  /** One country flow of the window, as {@link ShockPanel#FLOW_SCHEMA} has it. */
  record Flow(String exporter, String importer, String hs6, String period, int periodIndex,
      Double valueUsd, Double netKg) {}

  private static final int EXPORTER = ShockPanel.PANEL_SCHEMA.fieldIndex("exporter");
  private static final int IMPORTER = ShockPanel.PANEL_SCHEMA.fieldIndex("importer");
  private static final int HS6 = ShockPanel.PANEL_SCHEMA.fieldIndex("hs6");
  private static final int VALUE = ShockPanel.PANEL_SCHEMA.fieldIndex("value_usd");
  private static final int UNIT_VALUE = ShockPanel.PANEL_SCHEMA.fieldIndex("unit_value");
  private static final int POST = ShockPanel.PANEL_SCHEMA.fieldIndex("post");

  private final List<Row> rows;

  private InMemoryPanel(List<Row> rows) {
    this.rows = rows;
  }

  /**
   * The panel of an event of {@code imposer} on {@code targets} (empty: all importers) whose event
   * period has index {@code eventIndex}, from the flows of its window (one frequency): zeros
   * filled by the zero rule of {@link ShockPanel}, treatment columns added.
   */
  static InMemoryPanel of(List<Flow> flows, String imposer, List<String> targets,
      int eventIndex, int leads, int lags) {
    Set<List<Object>> importing = new HashSet<>();
    Set<List<Object>> exporting = new HashSet<>();
    Set<List<String>> pairs = new java.util.LinkedHashSet<>();
    Map<Integer, String> periods = new java.util.TreeMap<>();
    Map<List<Object>, Flow> reported = new HashMap<>();
    for (Flow f : flows) {
      periods.put(f.periodIndex(), f.period());
      reported.put(List.of(f.exporter(), f.importer(), f.hs6(), f.periodIndex()), f);
      if (f.valueUsd() != null && f.valueUsd() > 0) {
        importing.add(List.of(f.importer(), f.hs6(), f.periodIndex()));
        exporting.add(List.of(f.exporter(), f.hs6(), f.periodIndex()));
        pairs.add(List.of(f.exporter(), f.importer(), f.hs6()));
      }
    }
    // Importers that bought the products from the imposer before the event: the targets of the
    // re-routing model when the event names none.
    Set<String> targeted = new TreeSet<>(targets);
    if (targets.isEmpty()) {
      for (Flow f : flows) {
        if (f.exporter().equals(imposer) && f.periodIndex() < eventIndex
            && f.valueUsd() != null && f.valueUsd() > 0) {
          targeted.add(f.importer());
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (List<String> pair : pairs) {
      String exporter = pair.get(0);
      String importer = pair.get(1);
      String hs6 = pair.get(2);
      for (Map.Entry<Integer, String> period : periods.entrySet()) {
        int index = period.getKey();
        if (!importing.contains(List.of(importer, hs6, index))
            && !exporting.contains(List.of(exporter, hs6, index))) {
          continue;
        }
        Flow flow = reported.get(List.of(exporter, importer, hs6, index));
        Double value = flow == null ? Double.valueOf(0.0) : flow.valueUsd();
        Double kg = flow == null ? null : flow.netKg();
        Double unitValue = value != null && value > 0 && kg != null && kg > 0 ? value / kg : null;
        boolean post = index >= eventIndex;
        boolean unit = exporter.equals(imposer)
            && (targets.isEmpty() || targets.contains(importer));
        boolean isTargeted = targeted.contains(importer);
        int relative = unit ? Math.max(-leads, Math.min(lags, index - eventIndex)) : -1;
        rows.add(RowFactory.create(exporter, importer, hs6, period.getValue(), index,
            exporter + "-" + importer, value, kg, unitValue, dummy(post), dummy(unit),
            dummy(unit && post), dummy(isTargeted), dummy(isTargeted && post), relative));
      }
    }
    return new InMemoryPanel(rows);
  }

  /** The panel's rows in {@link ShockPanel#PANEL_SCHEMA}. */
  LocalData data() {
    return new LocalData(ShockPanel.PANEL_SCHEMA, rows);
  }

  /**
   * The sample of a model (see {@link ShocksJob#sample}): re-routing, third countries' flows
   * from the exporters (per HS6) that sold to a targeted importer; unit values, flows with a unit
   * value into the importers (per HS6) that bought from the restricting country; otherwise every
   * flow into those importers.
   */
  LocalData sample(ShocksConfig.Kind model, String imposer) {
    List<Row> sample = switch (model) {
      case REROUTING -> informative(r -> !r.getString(EXPORTER).equals(imposer), "targeted",
          EXPORTER);
      case UNIT_VALUES -> informative(r -> !r.isNullAt(UNIT_VALUE), "treated_unit", IMPORTER);
      case DIRECT, EVENT_STUDY -> informative(r -> true, "treated_unit", IMPORTER);
    };
    return new LocalData(ShockPanel.PANEL_SCHEMA, sample);
  }

  /**
   * The rows that pass {@code filter} in the groups (the {@code side} column and HS6) that have
   * a row among them with {@code unit} = 1.
   */
  private List<Row> informative(Predicate<Row> filter, String unit, int side) {
    int unitIndex = ShockPanel.PANEL_SCHEMA.fieldIndex(unit);
    List<Row> kept = rows.stream().filter(filter).toList();
    Set<List<String>> groups = new HashSet<>();
    for (Row r : kept) {
      if (r.getDouble(unitIndex) == 1.0) {
        groups.add(List.of(r.getString(side), r.getString(HS6)));
      }
    }
    return kept.stream().filter(r -> groups.contains(List.of(r.getString(side),
        r.getString(HS6)))).toList();
  }

  /**
   * The sums {@link ShocksJob#notIdentified} checks a sample on: rows, treated rows, value of the
   * treated rows, and rows of the treated units before the event.
   */
  static double[] identification(LocalData sample, String treatment, String unitColumn) {
    int treat = sample.schema().fieldIndex(treatment);
    int unit = sample.schema().fieldIndex(unitColumn);
    double treated = 0;
    double treatedValue = 0;
    double unitBefore = 0;
    for (Row r : sample.rows()) {
      treated += r.getDouble(treat);
      if (!r.isNullAt(VALUE)) {
        treatedValue += r.getDouble(treat) * r.getDouble(VALUE);
      }
      unitBefore += r.getDouble(unit) * (1.0 - r.getDouble(POST));
    }
    return new double[] {sample.rows().size(), treated, treatedValue, unitBefore};
  }

  /** Flows of several events, by event id, from rows of (event_id, FLOW_SCHEMA columns...). */
  static Map<String, List<Flow>> byEvent(List<Row> rows) {
    Map<String, List<Flow>> flows = new LinkedHashMap<>();
    for (Row r : rows) {
      flows.computeIfAbsent(r.getString(0), e -> new ArrayList<>()).add(new Flow(
          r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getInt(5),
          r.isNullAt(6) ? null : r.getDouble(6), r.isNullAt(7) ? null : r.getDouble(7)));
    }
    return flows;
  }

  private static double dummy(boolean condition) {
    return condition ? 1.0 : 0.0;
  }
}
