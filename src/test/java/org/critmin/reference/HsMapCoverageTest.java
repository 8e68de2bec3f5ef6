package org.critmin.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.CommandResult;
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.Test;

/**
 * The bundled HS6 map keeps the coverage the concentration tables promise: every mineral of the
 * official lists shipped in critical_minerals_lists.csv (USGS 2022 and 2025, EU 2023 and 2024),
 * under its own id or the one critical_minerals_ids.csv gives its name; every HS6 code a shock
 * event restricts; at least 120 HS6 codes, both HS editions, every stage from ore to products,
 * lumped codes flagged with the minerals they hold, and a source on every row.
 */
class HsMapCoverageTest {

  @Test
  void bundledMapCoversTheCriticalMinerals() {
    ReferenceData reference = ReferenceData.load(SparkTestSession.get(), org.critmin.config.Location.of(
        Path.of(CommandResult.home(), "conf/reference")));
    reference.hsMap().createOrReplaceTempView("hs_map_coverage");
    Row r = SparkTestSession.get().sql("SELECT count(DISTINCT mineral), count(DISTINCT hs6), "
        + "count(DISTINCT CASE WHEN hs_edition = 'HS2017' THEN hs6 END), "
        + "count(DISTINCT CASE WHEN hs_edition = 'HS2022' THEN hs6 END), "
        + "count_if(source IS NULL OR trim(source) = ''), "
        + "count_if(lumped AND (lumped_minerals IS NULL OR lumped_minerals = '')), "
        + "count_if(lumped) FROM hs_map_coverage").first();
    assertTrue(r.getLong(0) >= 30, "minerals: " + r.getLong(0));
    assertTrue(r.getLong(1) >= 120, "HS6 codes: " + r.getLong(1));
    assertTrue(r.getLong(2) >= 120 && r.getLong(3) >= 120, "per edition: " + r);
    assertEquals(0L, r.getLong(4), "rows without a source");
    assertEquals(0L, r.getLong(5), "lumped rows without the minerals they hold");
    assertTrue(r.getLong(6) > 0, "some codes are lumped");
    List<String> stages = SparkTestSession.get().sql("SELECT DISTINCT stage FROM hs_map_coverage "
        + "ORDER BY stage").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(List.of("basket", "intermediate", "ore", "product", "refined", "semi"), stages);
  }

  @Test
  void everyCodeAShockEventRestrictsIsKeptByIngest() {
    org.critmin.config.Location dir = org.critmin.config.Location.of(
        Path.of(CommandResult.home(), "conf/reference"));
    ReferenceData reference = ReferenceData.load(SparkTestSession.get(), dir);
    reference.hsMap().createOrReplaceTempView("hs_map_coverage");
    java.util.Set<Integer> kept = new java.util.HashSet<>(reference.mappedHs6());
    java.util.Map<String, List<String>> dropped = new java.util.TreeMap<>();
    for (ShockEvents.Event event : ShockEvents.load(SparkTestSession.get(), dir)) {
      List<String> missing = event.hs6Codes().stream()
          .filter(code -> !kept.contains(Integer.parseInt(code))).toList();
      if (!missing.isEmpty()) {
        dropped.put(event.eventId(), missing);
      }
    }
    assertEquals(java.util.Map.of(), dropped, "codes named by shock events that ingest would "
        + "drop as out of scope; map them (stage basket where their trade is mostly other goods)");
    // The basket codes are lumped, with the event's minerals.
    Row basket = SparkTestSession.get().sql("SELECT count(*), count_if(NOT lumped), "
        + "count(DISTINCT hs6) FROM hs_map_coverage WHERE stage = 'basket'").first();
    assertEquals(0L, basket.getLong(1), "basket rows are lumped");
    assertEquals(10L, basket.getLong(2), "the ten codes events named outside the map");
  }

  @Test
  void everyMineralOfTheOfficialListsMapsToHsCodes() {
    SparkSession spark = SparkTestSession.get();
    String dir = Path.of(CommandResult.home(), "conf/reference").toString();
    ReferenceData reference = ReferenceData.load(spark, org.critmin.config.Location.of(
        Path.of(dir)));
    java.util.Set<String> mapped = reference.minerals();
    // List names that differ from the map's ids (aluminum, the single rare earths, grades).
    java.util.Map<String, String> ids = new java.util.HashMap<>();
    for (Row r : spark.read().option("header", true).csv(dir + "/critical_minerals_ids.csv")
        .collectAsList()) {
      ids.put(r.getString(0), r.getString(1));
    }
    java.util.Map<String, List<String>> uncovered = new java.util.TreeMap<>();
    for (Row r : spark.read().option("header", true).csv(dir + "/critical_minerals_lists.csv")
        .select("list", "mineral").collectAsList()) {
      String id = ids.getOrDefault(r.getString(1), r.getString(1).replace(' ', '_'));
      assertTrue(id == null || !id.isEmpty(), "an id row without a mineral: " + r);
      if (!mapped.contains(id)) {
        uncovered.computeIfAbsent(r.getString(0), l -> new java.util.ArrayList<>())
            .add(r.getString(1));
      }
    }
    assertEquals(java.util.Map.of(), uncovered, "list minerals without HS6 codes in "
        + "hs6_minerals.csv (add codes, or map the name in critical_minerals_ids.csv)");
    assertTrue(ids.values().stream().allMatch(mapped::contains), "ids naming unknown minerals: "
        + ids);
  }
}
