package org.critmin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.critmin.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scenarios section: defaults from conf/scenarios.conf, groups resolved, bad values named. */
class ScenarioSettingsTest {
  private static final Path LOCAL = Path.of(CommandResult.home(), "conf/local.conf");

  @TempDir
  Path dir;

  @Test
  void defaultsComeFromScenariosConfThroughBase() {
    ScenarioSettings s = ConfigLoader.load(LOCAL, List.of()).scenarios();
    ScenarioSettings.Disruption china = s.disruptions().get(0);
    assertEquals("china_linked_stop", china.name());
    assertEquals(List.of("CHN", "HKG", "MAC"), china.suppliers());
    assertTrue(china.everyMineral() && china.everyStage());
    assertTrue(s.stockpiles().size() >= 5);
    assertEquals(List.of("partners", "msp", "forge", "us_deal_partners", "us_deal_partners_now"),
        s.blocs());
    assertEquals(3.0, s.priceOutlierMads());
    ScenarioSettings.Disruption ban = s.disruptions().stream()
        .filter(d -> d.name().equals("chn_to_usa_ga_ge_sb_2024")).findFirst().orElseThrow();
    assertEquals(List.of("CHN"), ban.suppliers());
    assertEquals(List.of("USA"), ban.importers());
    assertEquals(List.of("gallium", "germanium", "antimony"), ban.minerals());
    assertEquals(0.0, ban.rerouteShare());
    assertTrue(china.everyImporter());
    assertEquals(List.of("USA", "JPN", "KOR", "DEU"), s.stockpileTargets().importers());
    assertEquals(List.of(60, 90, 180), s.stockpileTargets().days());
    assertEquals(List.of(1e9, 11.67e9), s.stockpileTargets().budgetsUsd());
    assertEquals(12, s.priceCvWindowMonths());
    // The one dated floor shipped; the illustrative ones have none.
    ScenarioSettings.FloorPrice ndpr = s.floorPrices().stream()
        .filter(f -> f.validFrom() != null).findFirst().orElseThrow();
    assertEquals("rare_earths intermediate 110.0 2025-10-01", ndpr.mineral() + " " + ndpr.stage()
        + " " + ndpr.usdPerKg() + " " + ndpr.validFrom());
    assertEquals(1, s.floorPrices().stream().filter(f -> f.validFrom() != null).count());
  }

  @Test
  void floorsChangeOverTimeAndTargetsTakeGroups() throws IOException {
    Path file = write("scenarios.floor_prices = [{mineral = cobalt, stage = refined, "
        + "usd_per_kg = 30}, {mineral = cobalt, stage = refined, usd_per_kg = 35, "
        + "valid_from = \"2025-01-01\"}]\n"
        + "scenarios.stockpile_targets = {importers = [g7], days = [7], budgets_usd = []}\n");
    ScenarioSettings s = ConfigLoader.load(file, List.of()).scenarios();
    assertEquals(2, s.floorPrices().size());
    assertEquals(java.time.LocalDate.of(2025, 1, 1), s.floorPrices().get(1).validFrom());
    assertEquals(List.of("USA", "CAN", "GBR", "FRA", "DEU", "ITA", "JPN"),
        s.stockpileTargets().importers());
    assertEquals(List.of(7), s.stockpileTargets().days());
    assertEquals(List.of(), s.stockpileTargets().budgetsUsd());
  }

  @Test
  void aConfigurationReplacesTheLists() throws IOException {
    Path file = write("scenarios.disruptions = [{name = \"g7_cobalt\", suppliers = [\"g7\", "
        + "\"COD\"], minerals = [\"cobalt\"], stage = \"refined\", cut_share = 0.25}]\n"
        + "scenarios.stockpiles = []\n");
    ScenarioSettings s = ConfigLoader.load(file, List.of()).scenarios();
    assertEquals(1, s.disruptions().size());
    ScenarioSettings.Disruption d = s.disruptions().get(0);
    assertEquals(List.of("USA", "CAN", "GBR", "FRA", "DEU", "ITA", "JPN", "COD"), d.suppliers());
    assertEquals(0.25, d.cutShare());
    assertEquals(List.of(), s.stockpiles());
  }

  @Test
  void badValuesNameTheirKey() throws IOException {
    assertProblem("scenarios.disruptions = [{name = a, suppliers = [CHN], minerals = [\"*\"], "
        + "cut_share = 1.5}]", "scenarios.disruptions[0].cut_share");
    assertProblem("scenarios.disruptions = [{name = a, suppliers = [china], minerals = [\"*\"]}]",
        "scenarios.disruptions[0].suppliers");
    assertProblem("scenarios.disruptions = [{name = a, suppliers = [CHN], minerals = [\"*\"], "
        + "share = 1}]", "scenarios.disruptions[0].share");
    assertProblem("scenarios.disruptions = [{name = a, suppliers = [CHN]}]",
        "scenarios.disruptions[0]");
    assertProblem("scenarios.disruptions = [{name = a, suppliers = [china_linked], "
        + "importers = [HKG], minerals = [\"*\"]}]", "scenarios.disruptions[0].importers");
    assertProblem("scenarios.disruptions = [{name = a, suppliers = [CHN], minerals = [\"*\"], "
        + "reroute_share = 0.5}]", "scenarios.disruptions[0].reroute_share");
    assertProblem("scenarios.disruptions = [{name = a, suppliers = [CHN], importers = [USA], "
        + "minerals = [\"*\"], reroute_share = 2}]", "scenarios.disruptions[0].reroute_share");
    assertProblem("scenarios.stockpiles = [{importer = USA, mineral = cobalt, tonnes = -1}]",
        "scenarios.stockpiles[0].tonnes");
    assertProblem("scenarios.stockpiles = [{importer = USA, mineral = cobalt, tonnes = lots}]",
        "scenarios.stockpiles[0]");
    assertProblem("scenarios.blocs = [nato]", "scenarios.blocs");
    // A partnership bloc changes members over time: not a fixed supplier or importer list.
    assertProblem("scenarios.disruptions = [{name = a, suppliers = [msp], minerals = [\"*\"]}]",
        "scenarios.disruptions[0].suppliers");
    assertProblem("concentration.supply_risk.importers = [MSP]",
        "concentration.supply_risk.importers");
    assertProblem("concentration.blocs.x = {frameworks = []}", "concentration.blocs.x.frameworks");
    assertProblem("concentration.blocs.x = {frameworks = [a], as_of = yesterday}",
        "concentration.blocs.x.as_of");
    assertProblem("concentration.blocs.x = {frameworks = [a], members = [USA]}",
        "concentration.blocs.x.members");
    assertProblem("concentration.blocs.x = {frameworks = [a], european_union = msp}",
        "concentration.blocs.x.european_union");
    assertProblem("concentration.blocs.x = [usa]", "concentration.blocs.x");
    assertProblem("scenarios.price_outlier_mads = 0", "scenarios.price_outlier_mads");
    assertProblem("scenarios.floor_prices = [{mineral = cobalt, stage = all, usd_per_kg = 3}]",
        "scenarios.floor_prices[0].stage");
    assertProblem("scenarios.floor_prices = [{mineral = cobalt, stage = refined, usd_per_kg = 3, "
        + "valid_from = \"2025-13-01\"}]", "scenarios.floor_prices[0].valid_from");
    assertProblem("scenarios.floor_prices = [{mineral = cobalt, stage = refined, usd_per_kg = 3, "
        + "valid_from = \"2025-01-01\"}, {mineral = cobalt, stage = refined, usd_per_kg = 4, "
        + "valid_from = \"2025-01-01\"}]", "scenarios.floor_prices[1]");
    assertProblem("scenarios.stockpile_targets.days = [0]", "scenarios.stockpile_targets.days");
    assertProblem("scenarios.stockpile_targets.days = [30.5]", "scenarios.stockpile_targets.days");
    assertProblem("scenarios.stockpile_targets.days = [30, 30]",
        "scenarios.stockpile_targets.days");
    assertProblem("scenarios.stockpile_targets.budgets_usd = [-1]",
        "scenarios.stockpile_targets.budgets_usd");
    assertProblem("scenarios.stockpile_targets.importers = [nato]",
        "scenarios.stockpile_targets.importers");
    assertProblem("scenarios.stockpile_targets.importers = [msp]",
        "scenarios.stockpile_targets.importers");
    assertProblem("scenarios.stockpile_targets.weeks = [1]", "scenarios.stockpile_targets.weeks");
    assertProblem("scenarios.price_cv_window_months = 1", "scenarios.price_cv_window_months");
    assertProblem("scenarios.price_cv_window_months = 12.5", "scenarios.price_cv_window_months");
  }

  private Path write(String body) throws IOException {
    Path file = dir.resolve("scenario-" + System.nanoTime() + ".conf");
    Files.writeString(file, "include \"" + LOCAL.getParent().resolve("base.conf") + "\"\n" + body);
    return file;
  }

  private void assertProblem(String body, String key) throws IOException {
    Path file = write(body + "\n");
    UserInputException e = assertThrows(UserInputException.class,
        () -> ConfigLoader.load(file, List.of()), body);
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }
}
