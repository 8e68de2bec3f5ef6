package org.critmin.scenarios;

import static org.critmin.scenarios.ScenarioFrames.flow;
import static org.critmin.scenarios.ScenarioFrames.ga;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.critmin.config.ScenarioSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Supplier disruption and stockpile cover on a six-country world whose answers are worked out by
 * hand below. Gallium, refined, 2023 (value USD, weight kg):
 * <pre>
 *   CHN -> USA  60 (6000 kg)    DEU -> USA  40 (4000 kg)
 *   CHN -> JPN  50              KOR -> JPN  50
 *   DEU -> FRA  30              KOR -> FRA  20
 *   CHN -> HKG  10 (inside the China-linked group: not cut)
 *   KOR -> X99  10 (an area, not a country: no row of its own, but KOR's exports)
 *   CHN -> USA 100 of germanium (1000 kg), refined
 *   DEU -> USA  50 of cobalt ore (2000 kg): outside both scenarios
 * </pre>
 */
class DisruptionTest {
  private static final double EPS = 1e-9;
  private static Dataset<Row> flows;
  private static Map<String, Row> exposure;
  private static Map<String, Row> cover;

  @BeforeAll
  static void compute() {
    flows = ScenarioFrames.frame(List.of(
        ga("CHN", "USA", 60, 6000.0), ga("DEU", "USA", 40, 4000.0),
        ga("CHN", "JPN", 50, null), ga("KOR", "JPN", 50, null),
        ga("DEU", "FRA", 30, null), ga("KOR", "FRA", 20, null),
        ga("CHN", "HKG", 10, null), ga("KOR", "X99", 10, null),
        flow("CHN", "USA", "germanium", 100, 1000.0),
        flow("DEU", "USA", "cobalt", "ore", 50, 2000.0)));
    List<ScenarioSettings.Disruption> scenarios = List.of(
        new ScenarioSettings.Disruption("china_stop", List.of("CHN", "HKG"), List.of("gallium"),
            "all", 1.0, List.of(), 0.0, "s[0]"),
        new ScenarioSettings.Disruption("korea_half", List.of("KOR"), List.of(), "refined", 0.5,
            List.of(), 0.0, "s[1]"));
    Dataset<Row> result = Disruption.exposure(flows, scenarios).cache();
    exposure = new HashMap<>();
    for (Row r : result.collectAsList()) {
      exposure.put(r.getAs("scenario") + "/" + r.getAs("importer_iso3") + "/"
          + r.getAs("mineral"), r);
    }
    List<ScenarioSettings.Stockpile> stockpiles = List.of(
        new ScenarioSettings.Stockpile("USA", "gallium", "refined", 2.0, "p[0]"),
        new ScenarioSettings.Stockpile("USA", "germanium", "refined", 0.5, "p[1]"),
        new ScenarioSettings.Stockpile("USA", "cobalt", "ore", 1.0, "p[2]"));
    cover = new HashMap<>();
    for (Row r : StockpileCover.cover(flows, result, stockpiles).collectAsList()) {
      cover.put(r.getAs("scenario") + "/" + r.getAs("mineral"), r);
    }
  }

  private static double d(Row r, String column) {
    return r.getDouble(r.fieldIndex(column));
  }

  @Test
  void lossesArePartlyReplacedFromThePooledSpareExports() {
    // Exposed: USA loses L = 60, JPN L = 50; L = 110. Remaining suppliers' spare exports (to
    // importers not exposed): DEU 70 - 40 (USA) = 30 (FRA); KOR 80 - 50 (JPN) = 30 (FRA 20, X99 10).
    // P = 60, so f = min(1, 60 / 110) = 6/11 of every loss is replaced.
    Row usa = exposure.get("china_stop/USA/gallium");
    assertEquals(100.0, d(usa, "import_value_usd"), EPS);
    assertEquals(60.0, d(usa, "at_risk_value_usd"), EPS);
    assertEquals(0.6, d(usa, "at_risk_share"), EPS);
    assertEquals(60.0 * 6 / 11, d(usa, "replaceable_value_usd"), EPS);  // 32.727
    assertEquals(60.0 * 5 / 11, d(usa, "uncovered_value_usd"), EPS);    // 27.273
    assertEquals("CHN,HKG", usa.getAs("disrupted_suppliers"));
    // Weights: 6000 kg at risk, uncovered 6000 * (300/11) / 60 = 30000/11 kg.
    assertEquals(10000.0, d(usa, "import_net_kg"), EPS);
    assertEquals(6000.0, d(usa, "at_risk_net_kg"), EPS);
    assertEquals(30000.0 / 11, d(usa, "uncovered_net_kg"), 1e-6);

    Row jpn = exposure.get("china_stop/JPN/gallium");
    assertEquals(50.0 * 6 / 11, d(jpn, "replaceable_value_usd"), EPS);
    assertEquals(50.0 * 5 / 11, d(jpn, "uncovered_value_usd"), EPS);
    assertNull(jpn.getAs("at_risk_net_kg"), "no known weight of the lost flow");
  }

  @Test
  void sourcingHhiBeforeAndAfter() {
    // USA before: 60, 40 -> 3600 + 1600 = 5200. After: USA draws g = (360/11) / 60 = 6/11 of each
    // spare: DEU 40 + 6/11 * 30 = 620/11, KOR 6/11 * 30 = 180/11; total 800/11; shares 0.775 and
    // 0.225 -> 6006.25 + 506.25 = 6512.5.
    Row usa = exposure.get("china_stop/USA/gallium");
    assertEquals(5200.0, d(usa, "hhi_before"), 1e-6);
    assertEquals(6512.5, d(usa, "hhi_after"), 1e-6);
    // JPN before: 50, 50 -> 5000. After: g = 5/11: DEU 150/11, KOR 50 + 150/11 = 700/11;
    // 10000 * (150^2 + 700^2) / 850^2 = 7093.4256.
    Row jpn = exposure.get("china_stop/JPN/gallium");
    assertEquals(5000.0, d(jpn, "hhi_before"), 1e-6);
    assertEquals(10000.0 * (150 * 150 + 700 * 700) / (850.0 * 850), d(jpn, "hhi_after"), 1e-6);
  }

  @Test
  void importersNotExposedGiveUpWhatThePoolSupplies() {
    // The pool (60) is used in full (L = 110 > P): FRA gives up all 50 it buys from DEU and KOR;
    // with X99's 10 that is the 60 replaced. HKG's 10 come from CHN, inside the group: nothing.
    Row fra = exposure.get("china_stop/FRA/gallium");
    assertEquals(0.0, d(fra, "at_risk_value_usd"), EPS);
    assertEquals(50.0, d(fra, "diverted_value_usd"), EPS);
    assertEquals(5200.0, d(fra, "hhi_after"), 1e-6);
    Row hkg = exposure.get("china_stop/HKG/gallium");
    assertEquals(0.0, d(hkg, "at_risk_value_usd"), EPS);
    assertEquals(0.0, d(hkg, "diverted_value_usd"), EPS);
    assertFalse(exposure.containsKey("china_stop/X99/gallium"), "areas are not importers");
    assertFalse(exposure.containsKey("china_stop/USA/germanium"), "germanium is out of scope");
    assertFalse(exposure.containsKey("korea_half/USA/cobalt"), "the ore stage is out of scope");
  }

  @Test
  void aPartialCutThatThePoolCoversInFull() {
    // KOR cuts half: JPN loses 25, FRA 10 (X99's 5 is an area's). Spare: CHN 120 - 50 (JPN) = 70,
    // DEU 70 - 30 (FRA) = 40; P = 110 >= L = 35, all replaced; USA gives up 100 * 35/110.
    Row jpn = exposure.get("korea_half/JPN/gallium");
    assertEquals(25.0, d(jpn, "at_risk_value_usd"), EPS);
    assertEquals(25.0, d(jpn, "replaceable_value_usd"), EPS);
    assertEquals(0.0, d(jpn, "uncovered_value_usd"), EPS);
    assertEquals(0.5, d(jpn, "cut_share"), EPS);
    assertEquals(100.0 * 35 / 110, d(exposure.get("korea_half/USA/gallium"),
        "diverted_value_usd"), EPS);
    // Every mineral is in scope: the germanium flow has a row, with nothing at risk.
    assertEquals(0.0, d(exposure.get("korea_half/USA/germanium"), "at_risk_value_usd"), EPS);
  }

  @Test
  void aBanOnExportsToOneImporterWithAndWithoutReRouting() {
    List<ScenarioSettings.Disruption> targeted = List.of(
        new ScenarioSettings.Disruption("chn_to_usa", List.of("CHN"), List.of("gallium"), "all",
            1.0, List.of("USA"), 0.0, "t[0]"),
        new ScenarioSettings.Disruption("chn_to_usa_rerouted", List.of("CHN"),
            List.of("gallium", "germanium"), "all", 1.0, List.of("USA"), 0.5, "t[1]"));
    Map<String, Row> rows = new HashMap<>();
    for (Row r : Disruption.exposure(flows, targeted).collectAsList()) {
      rows.put(r.getAs("scenario") + "/" + r.getAs("importer_iso3") + "/" + r.getAs("mineral"), r);
    }
    // Only USA is cut: L = 60. JPN still buys its 50 from CHN. Spare: DEU 70 - 40 (USA) = 30,
    // KOR 80 (no importer of KOR is exposed); P = 110 >= 60, all replaced, g = 6/11:
    // USA after DEU 40 + 180/11 = 620/11, KOR 480/11 -> 10000 * (620^2 + 480^2) / 1100^2.
    Row usa = rows.get("chn_to_usa/USA/gallium");
    assertEquals(60.0, d(usa, "at_risk_value_usd"), EPS);
    assertEquals(0.0, d(usa, "rerouted_value_usd"), EPS);
    assertEquals(60.0, d(usa, "replaceable_value_usd"), EPS);
    assertEquals(0.0, d(usa, "uncovered_value_usd"), EPS);
    assertEquals(10000.0 * (620 * 620 + 480 * 480) / (1100.0 * 1100), d(usa, "hhi_after"), 1e-6);
    assertEquals("USA", usa.getAs("targeted_importers"));
    Row jpn = rows.get("chn_to_usa/JPN/gallium");
    assertEquals(0.0, d(jpn, "at_risk_value_usd"), EPS, "JPN is not targeted");
    assertEquals(50.0 * 6 / 11, d(jpn, "diverted_value_usd"), EPS);

    // Half the cut (30) still arrives through USA's other supplier, DEU (h = 30/40); the other
    // 30 comes from the pool, g = 3/11: DEU 40 + 90/11 + 30 = 860/11, KOR 240/11.
    Row rerouted = rows.get("chn_to_usa_rerouted/USA/gallium");
    assertEquals(60.0, d(rerouted, "at_risk_value_usd"), EPS);
    assertEquals(30.0, d(rerouted, "rerouted_value_usd"), EPS);
    assertEquals(30.0, d(rerouted, "replaceable_value_usd"), EPS);
    assertEquals(0.0, d(rerouted, "uncovered_value_usd"), EPS);
    assertEquals(10000.0 * (860 * 860 + 240 * 240) / (1100.0 * 1100), d(rerouted, "hhi_after"),
        1e-6);
    assertEquals(50.0 * 3 / 11, d(rows.get("chn_to_usa_rerouted/JPN/gallium"),
        "diverted_value_usd"), EPS);
    // USA buys germanium only from CHN: no third country to pass it on, no spare anywhere.
    Row ge = rows.get("chn_to_usa_rerouted/USA/germanium");
    assertEquals(0.0, d(ge, "rerouted_value_usd"), EPS);
    assertEquals(100.0, d(ge, "uncovered_value_usd"), EPS);
  }

  @Test
  void stockpileDaysOfCover() {
    // USA gallium: 2 t = 2000 kg against 10000 kg a year: 2000 / (10000 / 365) = 73 days. Under
    // china_stop 30000/11 kg a year stay uncovered: 2000 * 365 * 11 / 30000 = 267.67 days.
    Row ga = cover.get("china_stop/gallium");
    assertEquals(2000.0, d(ga, "stockpile_kg"), EPS);
    assertEquals(10000.0, d(ga, "annual_import_kg"), EPS);
    assertEquals(73.0, d(ga, "days_of_cover"), 1e-9);
    assertEquals(2000.0 * 365 * 11 / 30000, d(ga, "days_of_cover_under_disruption"), 1e-6);
    // korea_half touches USA's gallium but leaves nothing of it uncovered: no days under it.
    assertNull(cover.get("korea_half/gallium").getAs("days_of_cover_under_disruption"));
    // Germanium: korea_half covers every mineral (nothing uncovered); 500 kg / (1000 / 365).
    Row ge = cover.get("korea_half/germanium");
    assertEquals(182.5, d(ge, "days_of_cover"), 1e-9);
    // Cobalt ore: no scenario touches it; 1000 kg / (2000 / 365) = 182.5 days.
    Row co = cover.get("none/cobalt");
    assertEquals(182.5, d(co, "days_of_cover"), 1e-9);
    assertNull(co.getAs("days_of_cover_under_disruption"));
    assertEquals(4, cover.size());
  }
}
