package org.critmin.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** A newer USGS edition replaces an older one's figures for the same table and year. */
class ResourcesTest {

  private static Row reserves(String edition, int year, String country, String iso3, double t) {
    return RowFactory.create("usgs", edition, "lithium", "mine", "reserves", "Lithium", year,
        country, iso3, "country", t, false, "metric tons", null);
  }

  @Test
  void theNewestEditionOfEachYearWins() {
    // MCS2025 and MCS2026 both give 2024 reserves (2026 revises Chile and adds Mexico); only
    // MCS2025 gives 2023, only MCS2026 gives 2025.
    List<Row> rows = List.of(
        reserves("MCS2025", 2023, "Chile", "CHL", 9_300_000),
        reserves("MCS2025", 2024, "Chile", "CHL", 9_300_000),
        reserves("MCS2025", 2024, "Australia", "AUS", 7_000_000),
        reserves("MCS2026", 2024, "Chile", "CHL", 9_500_000),
        reserves("MCS2026", 2024, "Mexico", "MEX", 1_700_000),
        reserves("MCS2026", 2025, "Chile", "CHL", 9_600_000));
    List<String> kept = Resources.newestEditions(rows).stream()
        .map(r -> r.getString(1) + " " + r.getInt(6) + " " + r.getString(8)).toList();
    assertEquals(List.of("MCS2025 2023 CHL", "MCS2026 2024 CHL", "MCS2026 2024 MEX",
        "MCS2026 2025 CHL"), kept);
  }
}
