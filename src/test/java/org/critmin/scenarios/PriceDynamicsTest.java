package org.critmin.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.critmin.config.ScenarioSettings;
import org.critmin.reference.BlocMembership;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Below-floor shares, China-origin spreads and volatility worked out by hand, on kept flows
 * (unit value = value / kg) with a 3-month CV window; bloc "allies" = USA, DEU.
 * <pre>
 *   gallium refined (monthly)                 floors: 9 always, 18 from 2024-02-15
 *   2024-01  CHN 80/10 = 8   USA 60/5 = 12   DEU 50/5 = 10     median 10   floor 9
 *   2024-02  CHN 30/2 = 15   USA 50/2 = 25   (CHN 100/100, an outlier)  median 20  floor 18
 *   2024-03  no trade
 *   2024-04  USA 12/1 = 12   DEU 16/1 = 16                     median 14   floor 18
 *   2024-05  KOR 30/1 = 30                                     median 30   floor 18
 *   nickel ore (annual)                        floor: 3 from 2011-06-30
 *   2010 IDN 4/1 = 4, 2011 IDN 2/1 = 2, 2012 IDN 3/1 = 3
 * </pre>
 */
class PriceDynamicsTest {
  private static final double EPS = 1e-9;
  private static final StructType OBSERVATIONS = BenchmarkPricesTest.BILATERAL
      .add("unit_value", DataTypes.DoubleType)
      .add("outlier", DataTypes.BooleanType);
  private static Map<String, Row> byPeriod;

  @BeforeAll
  static void compute() {
    List<Row> rows = new ArrayList<>();
    rows.add(ga(1, "CHN", 80, 10, false));
    rows.add(ga(1, "USA", 60, 5, false));
    rows.add(ga(1, "DEU", 50, 5, false));
    rows.add(ga(2, "CHN", 30, 2, false));
    rows.add(ga(2, "USA", 50, 2, false));
    rows.add(ga(2, "CHN", 100, 100, true));
    rows.add(ga(4, "USA", 12, 1, false));
    rows.add(ga(4, "DEU", 16, 1, false));
    rows.add(ga(5, "KOR", 30, 1, false));
    for (int year = 2010; year <= 2012; year++) {
      double value = year == 2010 ? 4 : year == 2011 ? 2 : 3;
      rows.add(RowFactory.create("nickel", "ore", String.valueOf(year), year, null, "IDN", false,
          value, 1.0, value, false));
    }
    List<ScenarioSettings.FloorPrice> floors = List.of(
        new ScenarioSettings.FloorPrice("gallium", "refined", 18.0, LocalDate.of(2024, 2, 15),
            "f[0]"),
        new ScenarioSettings.FloorPrice("gallium", "refined", 9.0, "f[1]"),
        new ScenarioSettings.FloorPrice("nickel", "ore", 3.0, LocalDate.of(2011, 6, 30), "f[2]"));
    byPeriod = new HashMap<>();
    for (Row r : PriceDynamics.compute(
            SparkTestSession.get().createDataFrame(rows, OBSERVATIONS), floors,
            List.of("CHN", "HKG", "MAC"), BlocMembership.fixed("allies", List.of("USA", "DEU")), 3)
        .collectAsList()) {
      byPeriod.put(r.getAs("mineral") + " " + r.getAs("period"), r);
    }
  }

  private static Row ga(int month, String exporter, double value, double kg, boolean outlier) {
    return RowFactory.create("gallium", "refined", "2024-0" + month, 2024, month, exporter, false,
        value, kg, value / kg, outlier);
  }

  private static double d(String key, String column) {
    Row r = byPeriod.get(key);
    return ((Number) r.getAs(column)).doubleValue();
  }

  private static Object get(String key, String column) {
    return byPeriod.get(key).getAs(column);
  }

  @Test
  void sharesBelowTheFloorInForce() {
    // January: floor 9; CHN at 8 is under it: 10 of 20 kg, 80 of 190 USD.
    assertEquals(9.0, d("gallium 2024-01", "floor_usd_per_kg"), EPS);
    assertNull(get("gallium 2024-01", "floor_valid_from"));
    assertEquals(0.5, d("gallium 2024-01", "below_floor_kg_share"), EPS);
    assertEquals(80.0 / 190, d("gallium 2024-01", "below_floor_value_share"), EPS);
    // February ends on the 29th, after 2024-02-15: floor 18; CHN at 15 is under it (2 of 4 kg,
    // 30 of 80 USD); the outlier (1 USD/kg, 100 kg) counts nowhere.
    assertEquals(18.0, d("gallium 2024-02", "floor_usd_per_kg"), EPS);
    assertEquals(Date.valueOf("2024-02-15"), get("gallium 2024-02", "floor_valid_from"));
    assertEquals(0.5, d("gallium 2024-02", "below_floor_kg_share"), EPS);
    assertEquals(0.375, d("gallium 2024-02", "below_floor_value_share"), EPS);
    assertEquals(2L, d("gallium 2024-02", "n_flows"), EPS);
    assertEquals(4.0, d("gallium 2024-02", "traded_net_kg"), EPS);
    // April: both flows (12, 16) under 18.
    assertEquals(1.0, d("gallium 2024-04", "below_floor_kg_share"), EPS);
    assertEquals(1.0, d("gallium 2024-04", "below_floor_value_share"), EPS);
    // Nickel: no floor in 2010 (the first starts 2011-06-30); 2 < 3 in 2011; 3 is not under 3.
    assertNull(get("nickel 2010", "floor_usd_per_kg"));
    assertNull(get("nickel 2010", "below_floor_kg_share"));
    assertEquals(1.0, d("nickel 2011", "below_floor_kg_share"), EPS);
    assertEquals(0.0, d("nickel 2012", "below_floor_value_share"), EPS);
  }

  @Test
  void chinaOriginAgainstTheRestOfTheWorldAndTheBloc() {
    // January: China 8; rest 10, 12 -> 11; bloc (USA 12, DEU 10) -> 11; ratios 8 / 11.
    assertEquals(10.0, d("gallium 2024-01", "median_usd_per_kg"), EPS);
    assertEquals(8.0, d("gallium 2024-01", "china_median_usd_per_kg"), EPS);
    assertEquals(11.0, d("gallium 2024-01", "rest_of_world_median_usd_per_kg"), EPS);
    assertEquals(11.0, d("gallium 2024-01", "bloc_median_usd_per_kg"), EPS);
    assertEquals(8.0 / 11, d("gallium 2024-01", "china_to_rest_of_world_ratio"), EPS);
    assertEquals(8.0 / 11, d("gallium 2024-01", "china_to_bloc_ratio"), EPS);
    assertEquals(1L, d("gallium 2024-01", "n_china_flows"), EPS);
    assertEquals(2L, d("gallium 2024-01", "n_rest_of_world_flows"), EPS);
    // February: China 15, USA 25: 15 / 25 = 0.6.
    assertEquals(0.6, d("gallium 2024-02", "china_to_rest_of_world_ratio"), EPS);
    // May: KOR only, neither China nor the bloc.
    assertNull(get("gallium 2024-05", "china_median_usd_per_kg"));
    assertNull(get("gallium 2024-05", "china_to_rest_of_world_ratio"));
    assertNull(get("gallium 2024-05", "bloc_median_usd_per_kg"));
    assertEquals(30.0, d("gallium 2024-05", "rest_of_world_median_usd_per_kg"), EPS);
    assertEquals("allies", get("gallium 2024-01", "bloc"));
  }

  @Test
  void rollingCoefficientOfVariationOverCalendarMonths() {
    // Medians 10 (Jan), 20 (Feb), 14 (Apr), 30 (May); window of 3 months.
    assertNull(get("gallium 2024-01", "unit_value_cv"));
    assertEquals(1L, d("gallium 2024-01", "cv_periods"), EPS);
    // Feb: {10, 20}: mean 15, sd sqrt(50) = 7.0711, CV 0.471405.
    assertEquals(Math.sqrt(50) / 15, d("gallium 2024-02", "unit_value_cv"), EPS);
    // Apr: Feb..Apr = {20, 14}: mean 17, sd sqrt(18), CV 0.249567.
    assertEquals(Math.sqrt(18) / 17, d("gallium 2024-04", "unit_value_cv"), EPS);
    // May: Mar..May = {14, 30} (February is outside, although only one month has data in
    // between): mean 22, sd sqrt(128), CV 0.514259.
    assertEquals(Math.sqrt(128) / 22, d("gallium 2024-05", "unit_value_cv"), EPS);
    assertEquals(2L, d("gallium 2024-05", "cv_periods"), EPS);
    assertEquals(3, ((Number) get("gallium 2024-05", "cv_window_months")).intValue());
  }

  @Test
  void peaksAndDrawdowns() {
    // Peaks 10, 20, 20, 30; April is 1 - 14/20 = 0.3 under the peak; the deepest fall stays 0.3.
    assertEquals(20.0, d("gallium 2024-04", "running_peak_usd_per_kg"), EPS);
    assertEquals(0.3, d("gallium 2024-04", "drawdown_from_peak"), EPS);
    assertEquals(0.0, d("gallium 2024-02", "max_drawdown"), EPS);
    assertEquals(0.3, d("gallium 2024-04", "max_drawdown"), EPS);
    assertEquals(0.0, d("gallium 2024-05", "drawdown_from_peak"), EPS);
    assertEquals(0.3, d("gallium 2024-05", "max_drawdown"), EPS);
  }

  @Test
  void annualSeriesTakeTheCvOverEveryYearSoFar() {
    // 4, 2, 3: 2011 {4, 2} mean 3, sd sqrt(2); 2012 {4, 2, 3} mean 3, sd 1, CV 1/3.
    assertNull(get("nickel 2010", "unit_value_cv"));
    assertEquals(Math.sqrt(2) / 3, d("nickel 2011", "unit_value_cv"), EPS);
    assertEquals(1.0 / 3, d("nickel 2012", "unit_value_cv"), EPS);
    assertEquals(3L, d("nickel 2012", "cv_periods"), EPS);
    assertNull(get("nickel 2012", "cv_window_months"));
    // Peak 4: falls 0.5 in 2011 and 0.25 in 2012; the deepest so far is 0.5.
    assertEquals(0.25, d("nickel 2012", "drawdown_from_peak"), EPS);
    assertEquals(0.5, d("nickel 2012", "max_drawdown"), EPS);
  }
}
