package org.critmin.scenarios;

import static org.critmin.scenarios.ScenarioFrames.ga;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.critmin.reference.BlocMembership;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bloc shares and in-bloc HHI on a tiny world (gallium, refined, 2023), bloc "allies" = USA, DEU,
 * JPN, KOR:
 * <pre>
 *   CHN -> USA 60   DEU -> USA 40   CHN -> JPN 50   KOR -> JPN 50   DEU -> FRA 30   KOR -> FRA 20
 *   CHN -> HKG 10   KOR -> X99 10 (an area)         CHN -> KOR 200
 * </pre>
 * World exports: CHN 320, DEU 70, KOR 80; total 470, the bloc's 150.
 */
class BlocSourcingTest {
  private static final double EPS = 1e-9;
  private static Map<String, Row> byImporter;

  @BeforeAll
  static void compute() {
    List<Row> rows = List.of(
        ga("CHN", "USA", 60, null), ga("DEU", "USA", 40, null),
        ga("CHN", "JPN", 50, null), ga("KOR", "JPN", 50, null),
        ga("DEU", "FRA", 30, null), ga("KOR", "FRA", 20, null),
        ga("CHN", "HKG", 10, null), ga("KOR", "X99", 10, null),
        ga("CHN", "KOR", 200, null));
    byImporter = new HashMap<>();
    BlocMembership allies = BlocMembership.fixed("allies", List.of("USA", "DEU", "JPN", "KOR"));
    for (Row r : BlocSourcing.compute(ScenarioFrames.frame(rows), List.of(allies))
        .collectAsList()) {
      byImporter.put(r.getAs("importer_iso3"), r);
    }
  }

  private static double d(String importer, String column) {
    Row r = byImporter.get(importer);
    return r.getDouble(r.fieldIndex(column));
  }

  @Test
  void blocSharesOfImportsAndOfWorldSupply() {
    assertEquals(40.0, d("USA", "bloc_value_usd"), EPS);
    assertEquals(0.4, d("USA", "bloc_share_of_imports"), EPS);
    assertEquals(1.0, d("FRA", "bloc_share_of_imports"), EPS);
    assertEquals(0.0, d("HKG", "bloc_share_of_imports"), EPS);
    assertEquals(150.0 / 470, d("USA", "bloc_share_of_world_supply"), EPS);
    assertEquals(5200.0, d("USA", "hhi_current"), 1e-6);
    assertFalse(byImporter.containsKey("X99"));
  }

  @Test
  void inBlocHhiRedistributesToMembersProRataToSpareExports() {
    // USA: 60 from outside. Spare: DEU 70 - 40 = 30, KOR 80 -> 110; c = 60/110 = 6/11, all covered.
    // DEU 40 + 6/11 * 30 = 620/11, KOR 6/11 * 80 = 480/11, total 100:
    // 10000 * (620^2 + 480^2) / 1100^2 = 5080.99.
    assertEquals(110.0, d("USA", "bloc_spare_value_usd"), EPS);
    assertEquals(10000.0 * (620 * 620 + 480 * 480) / (1100.0 * 1100),
        d("USA", "hhi_inside_bloc"), 1e-6);
    assertEquals(0.0, d("USA", "uncovered_inside_bloc_value_usd"), EPS);
    // JPN: 50 from outside; spare DEU 70, KOR 80 - 50 = 30 -> c = 1/2: DEU 35, KOR 65 -> 5450.
    assertEquals(5450.0, d("JPN", "hhi_inside_bloc"), 1e-6);
    // FRA already buys only inside: unchanged, 30 and 20 -> 5200.
    assertEquals(5200.0, d("FRA", "hhi_inside_bloc"), 1e-6);
  }

  @Test
  void whatTheBlocCannotCoverStaysUncovered() {
    // KOR buys 200 from CHN; only the other members' spare counts: DEU 70 (KOR's own 80 is
    // excluded). 70 covered, 130 uncovered, all of it from DEU: HHI 10000.
    assertEquals(70.0, d("KOR", "bloc_spare_value_usd"), EPS);
    assertEquals(130.0, d("KOR", "uncovered_inside_bloc_value_usd"), EPS);
    assertEquals(10000.0, d("KOR", "hhi_inside_bloc"), 1e-6);
  }

  @Test
  void membershipInForceOnTheLastDayOfEachYear() {
    // KOR is always in the bloc, DEU from 1 March 2023. Both years:
    //   CHN -> USA 60, DEU -> USA 40, KOR -> FRA 20, DEU -> FRA 30; world exports 150.
    BlocMembership allies = BlocMembership.of("allies", List.of(
        new BlocMembership.Term("KOR", null, null, List.of()),
        new BlocMembership.Term("DEU", java.time.LocalDate.of(2023, 3, 1), null, List.of())));
    List<Row> rows = new java.util.ArrayList<>();
    for (int year : new int[] {2022, 2023}) {
      rows.add(org.apache.spark.sql.RowFactory.create("CHN", "USA", true, "gallium", "refined",
          year, 12, 60.0, null));
      rows.add(org.apache.spark.sql.RowFactory.create("DEU", "USA", true, "gallium", "refined",
          year, 12, 40.0, null));
      rows.add(org.apache.spark.sql.RowFactory.create("KOR", "FRA", true, "gallium", "refined",
          year, 12, 20.0, null));
      rows.add(org.apache.spark.sql.RowFactory.create("DEU", "FRA", true, "gallium", "refined",
          year, 12, 30.0, null));
    }
    Map<String, Row> byYear = new HashMap<>();
    for (Row r : BlocSourcing.compute(ScenarioFrames.frame(rows), List.of(allies))
        .collectAsList()) {
      byYear.put(r.getAs("importer_iso3") + " " + r.getAs("year"), r);
    }
    // 2022, bloc KOR: USA buys nothing inside; FRA 20 of 50; the bloc ships 20 of 150. USA's 100
    // from outside can move only to KOR's spare 20: HHI 10000, 80 uncovered.
    Row usa22 = byYear.get("USA 2022");
    assertEquals(0.0, usa22.<Double>getAs("bloc_share_of_imports"), EPS);
    assertEquals(0.4, byYear.get("FRA 2022").<Double>getAs("bloc_share_of_imports"), EPS);
    assertEquals(20.0 / 150, usa22.<Double>getAs("bloc_share_of_world_supply"), EPS);
    assertEquals(10000.0, usa22.<Double>getAs("hhi_inside_bloc"), 1e-6);
    assertEquals(80.0, usa22.<Double>getAs("uncovered_inside_bloc_value_usd"), EPS);
    // 2023, bloc KOR and DEU: USA 40 of 100 inside; FRA all; the bloc ships 90 of 150. USA's 60
    // from outside: spare DEU 30 + KOR 20 = 50, all taken: DEU 70, KOR 20 -> 10000 * 5300 / 8100.
    Row usa23 = byYear.get("USA 2023");
    assertEquals(0.4, usa23.<Double>getAs("bloc_share_of_imports"), EPS);
    assertEquals(1.0, byYear.get("FRA 2023").<Double>getAs("bloc_share_of_imports"), EPS);
    assertEquals(0.6, usa23.<Double>getAs("bloc_share_of_world_supply"), EPS);
    assertEquals(10000.0 * 5300 / 8100, usa23.<Double>getAs("hhi_inside_bloc"), 1e-6);
    assertEquals(10.0, usa23.<Double>getAs("uncovered_inside_bloc_value_usd"), EPS);
  }
}
