package org.critmin.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.critmin.CommandResult;
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.Test;

/**
 * The bundled HS6 map keeps the coverage the concentration tables promise: at least 30 minerals of
 * the USGS 2025 and EU 2023 lists, at least 120 HS6 codes, both HS editions, every stage from ore to
 * products, lumped codes flagged with the minerals they hold, and a source on every row.
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
}
