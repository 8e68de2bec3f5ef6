package org.critmin.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.critmin.reference.BlocMembership;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.critmin.config.ScenarioSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Medians, quartiles and the MAD outlier rule on unit values worked out by hand. */
class BenchmarkPricesTest {
  private static final double EPS = 1e-9;
  /** The bilateral_flows columns benchmark prices read. */
  static final StructType BILATERAL = new StructType()
      .add("mineral", DataTypes.StringType)
      .add("stage", DataTypes.StringType)
      .add("period", DataTypes.StringType)
      .add("year", DataTypes.IntegerType)
      .add("month", DataTypes.IntegerType)
      .add("exporter_iso3", DataTypes.StringType)
      .add("lumped", DataTypes.BooleanType)
      .add("value_usd", DataTypes.DoubleType)
      .add("net_kg", DataTypes.DoubleType);
  private static Map<String, Row> byMineral;

  @BeforeAll
  static void compute() {
    List<Row> rows = new ArrayList<>();
    // Gallium: unit values 10, 11, 12, 13, 14 and 1000 USD/kg (USA and DEU are in the bloc).
    rows.add(flow("gallium", "USA", false, 10, 1.0));
    rows.add(flow("gallium", "CHN", true, 22, 2.0));
    rows.add(flow("gallium", "CHN", true, 12, 1.0));
    rows.add(flow("gallium", "DEU", false, 26, 2.0));
    rows.add(flow("gallium", "CHN", false, 14, 1.0));
    rows.add(flow("gallium", "USA", false, 1000, 1.0));
    // Unknown or zero weight: no unit value.
    rows.add(flow("gallium", "USA", false, 50, null));
    rows.add(flow("gallium", "USA", false, 50, 0.0));
    // Cobalt: 5, 5, 5, 50: MAD is 0, so nothing is dropped.
    rows.add(flow("cobalt", "CHN", false, 5, 1.0));
    rows.add(flow("cobalt", "CHN", false, 10, 2.0));
    rows.add(flow("cobalt", "CHN", false, 15, 3.0));
    rows.add(flow("cobalt", "CHN", false, 50, 1.0));
    byMineral = new HashMap<>();
    for (Row r : BenchmarkPrices.compute(SparkTestSession.get().createDataFrame(rows, BILATERAL),
        BlocMembership.fixed("allies", List.of("USA", "DEU")),
        List.of(new ScenarioSettings.FloorPrice("gallium", "refined", 15.0, "f[0]")), 3.0)
        .collectAsList()) {
      byMineral.put(r.getAs("mineral"), r);
    }
  }

  private static Row flow(String mineral, String exporter, boolean lumped, double value,
      Double kg) {
    return RowFactory.create(mineral, "refined", "2023", 2023, null, exporter, lumped, value, kg);
  }

  private static double d(String mineral, String column) {
    Row r = byMineral.get(mineral);
    return r.getDouble(r.fieldIndex(column));
  }

  private static long n(String mineral, String column) {
    Row r = byMineral.get(mineral);
    return r.getLong(r.fieldIndex(column));
  }

  @Test
  void theOutlierIsDroppedByTheMadRule() {
    // Logs: 2.302585, 2.397895, 2.484907, 2.564949, 2.639057, 6.907755; median (ln 12 + ln 13) / 2
    // = 2.524928. Absolute deviations: 0.222343, 0.127033, 0.040021, 0.040021, 0.114129,
    // 4.382827; MAD = (0.114129 + 0.127033) / 2 = 0.120581; limit 3 * 1.4826 * 0.120581 = 0.5363.
    // Only 1000 USD/kg lies beyond it.
    assertEquals(5L, n("gallium", "n_flows"));
    assertEquals(1L, n("gallium", "n_outliers"));
  }

  @Test
  void medianAndQuartilesOfTheKeptFlows() {
    // Kept 10, 11, 12, 13, 14: positions (n - 1) p = 1, 2, 3 -> 11, 12, 13.
    assertEquals(12.0, d("gallium", "median_usd_per_kg"), EPS);
    assertEquals(11.0, d("gallium", "p25_usd_per_kg"), EPS);
    assertEquals(13.0, d("gallium", "p75_usd_per_kg"), EPS);
    // Bloc exporters' kept flows: 10 (USA) and 13 (DEU): median 11.5; the outlier is USA's too.
    assertEquals(11.5, d("gallium", "bloc_median_usd_per_kg"), EPS);
    assertEquals(2L, n("gallium", "n_bloc_flows"));
    // Value-weighted: (10 + 22 + 12 + 26 + 14) / (1 + 2 + 1 + 2 + 1) = 84 / 7 = 12.
    assertEquals(12.0, d("gallium", "value_weighted_usd_per_kg"), EPS);
    assertEquals(0.4, d("gallium", "lumped_flow_share"), EPS);
    // Floor 15: 12 / 15 - 1 = -0.2, the benchmark is 20 % under the floor.
    assertEquals(15.0, d("gallium", "floor_usd_per_kg"), EPS);
    assertEquals(-0.2, d("gallium", "floor_gap"), EPS);
    assertEquals("allies", byMineral.get("gallium").getAs("bloc"));
  }

  @Test
  void aZeroMadDropsNothing() {
    // 5, 5, 5, 50: median 5; p75 at position 2.25: 5 + 0.25 * 45 = 16.25. No floor configured.
    assertEquals(4L, n("cobalt", "n_flows"));
    assertEquals(0L, n("cobalt", "n_outliers"));
    assertEquals(5.0, d("cobalt", "median_usd_per_kg"), EPS);
    assertEquals(16.25, d("cobalt", "p75_usd_per_kg"), EPS);
    assertNull(byMineral.get("cobalt").getAs("floor_gap"));
    assertNull(byMineral.get("cobalt").getAs("bloc_median_usd_per_kg"));
  }

  @Test
  void eachPeriodGetsTheFloorInForceOnItsLastDay() {
    // One flow per period: cobalt 5 (2023), 8 (2024), 12 (2025); lithium 3 (2023-05), 3 (2024-06).
    // Cobalt floors: 4 always, 10 from 2024-12-31 (the last day of 2024, so 2024 has it), 20
    // from 2026-01-01 (no period reaches it). Lithium: 2 from 2024-06-01 only.
    List<Row> rows = List.of(
        RowFactory.create("cobalt", "refined", "2023", 2023, null, "CHN", false, 5.0, 1.0),
        RowFactory.create("cobalt", "refined", "2024", 2024, null, "CHN", false, 8.0, 1.0),
        RowFactory.create("cobalt", "refined", "2025", 2025, null, "CHN", false, 12.0, 1.0),
        RowFactory.create("lithium", "refined", "2023-05", 2023, 5, "CHN", false, 3.0, 1.0),
        RowFactory.create("lithium", "refined", "2024-06", 2024, 6, "CHN", false, 3.0, 1.0));
    List<ScenarioSettings.FloorPrice> floors = List.of(
        new ScenarioSettings.FloorPrice("cobalt", "refined", 20.0, LocalDate.of(2026, 1, 1), "a"),
        new ScenarioSettings.FloorPrice("cobalt", "refined", 4.0, "b"),
        new ScenarioSettings.FloorPrice("cobalt", "refined", 10.0, LocalDate.of(2024, 12, 31), "c"),
        new ScenarioSettings.FloorPrice("lithium", "refined", 2.0, LocalDate.of(2024, 6, 1), "d"));
    Map<String, Row> byPeriod = new HashMap<>();
    for (Row r : BenchmarkPrices.compute(SparkTestSession.get().createDataFrame(rows, BILATERAL),
        BlocMembership.none(), floors, 3.0).collectAsList()) {
      byPeriod.put(r.getAs("mineral") + " " + r.getAs("period"), r);
    }
    // 5 / 4 - 1 = 0.25; 8 / 10 - 1 = -0.2; 12 / 10 - 1 = 0.2.
    assertEquals(4.0, (Double) byPeriod.get("cobalt 2023").getAs("floor_usd_per_kg"), EPS);
    assertEquals(0.25, (Double) byPeriod.get("cobalt 2023").getAs("floor_gap"), EPS);
    assertEquals(10.0, (Double) byPeriod.get("cobalt 2024").getAs("floor_usd_per_kg"), EPS);
    assertEquals(-0.2, (Double) byPeriod.get("cobalt 2024").getAs("floor_gap"), EPS);
    assertEquals(0.2, (Double) byPeriod.get("cobalt 2025").getAs("floor_gap"), EPS);
    // Before lithium's only floor: none; from June 2024: 3 / 2 - 1 = 0.5.
    assertNull(byPeriod.get("lithium 2023-05").getAs("floor_usd_per_kg"));
    assertEquals(0.5, (Double) byPeriod.get("lithium 2024-06").getAs("floor_gap"), EPS);
    assertEquals(5, byPeriod.size());
  }
}
