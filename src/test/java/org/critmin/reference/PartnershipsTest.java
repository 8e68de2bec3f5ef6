package org.critmin.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.CommandResult;
import org.critmin.SparkTestSession;
import org.critmin.config.Location;
import org.critmin.config.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped partnerships table loads, with a source on every row and the frameworks analysts ask
 * about; a malformed row stops the run naming the file, row and column.
 */
class PartnershipsTest {
  private static final String HEADER = "framework,kind,partner_iso3,signed,ended,minerals,"
      + "instruments,source,confidence,note";
  private static final Set<String> MINERALS = Set.of("cobalt", "gallium", "nickel");

  @TempDir
  Path dir;

  @Test
  void theShippedTableLoadsWithItsSources() {
    SparkSession spark = SparkTestSession.get();
    ReferenceData reference = ReferenceData.load(spark, Location.of(
        Path.of(CommandResult.home(), "conf/reference")));
    Dataset<Row> partnerships = Partnerships.load(spark, Location.of(
        Path.of(CommandResult.home(), "conf/reference")), reference.minerals());
    partnerships.createOrReplaceTempView("partnerships_shipped");
    Row counts = spark.sql("SELECT count(*), count_if(trim(source) = ''), "
        + "count_if(partner_iso3 IS NULL AND (note IS NULL OR note = '')) "
        + "FROM partnerships_shipped").first();
    assertTrue(counts.getLong(0) >= 20, "rows: " + counts);
    assertEquals(0L, counts.getLong(1), "rows without a source");
    assertEquals(0L, counts.getLong(2), "unnamed partners without a note saying so");
    List<String> frameworks = spark.sql("SELECT DISTINCT framework FROM partnerships_shipped")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    for (String expected : List.of("Minerals Security Partnership", "Pax Silica")) {
      assertTrue(frameworks.contains(expected), expected + " in " + frameworks);
    }
    assertTrue(frameworks.stream().anyMatch(f -> f.contains("FORGE")), frameworks.toString());
    // The MSP grew after its launch: a member joined later than the founders.
    Row msp = spark.sql("SELECT min(signed_date), max(signed_date) FROM partnerships_shipped "
        + "WHERE framework = 'Minerals Security Partnership'").first();
    assertTrue(msp.getDate(0).before(msp.getDate(1)), "MSP membership over time: " + msp);
  }

  @Test
  void aMalformedRowNamesFileRowAndColumn() throws Exception {
    String good = "Test Framework,framework,USA,2025-10-20,,nickel;cobalt,finance;offtake,"
        + "https://example.org,verified,";
    assertEquals(2L, load(good, good.replace("USA", "AUS").replace("2025-10-20", "2025-10"))
        .count());
    assertProblem("data row 2: kind 'treaty' is not one of", good,
        good.replace(",framework,", ",treaty,"));
    assertProblem("data row 1: partner_iso3 'Australia' is not an ISO3 code",
        good.replace("USA", "Australia"));
    assertProblem("data row 1: partner_iso3 is empty but confidence is not unnamed",
        good.replace("USA", ""));
    assertProblem("data row 1: signed '20 Oct 2025' is not a date",
        good.replace("2025-10-20", "20 Oct 2025"));
    assertProblem("data row 1: ended 2024-01-01 is before signed 2025-10-20",
        good.replace("2025-10-20,,", "2025-10-20,2024-01,"));
    assertProblem("data row 1: minerals holds 'unobtainium'",
        good.replace("nickel;cobalt", "nickel;unobtainium"));
    assertProblem("data row 1: instruments holds 'handshake'",
        good.replace("finance;offtake", "finance;handshake"));
    assertProblem("data row 2: Test Framework lists USA twice for 2025-10-20", good, good);
  }

  private Dataset<Row> load(String... rows) throws Exception {
    Files.writeString(dir.resolve("partnerships.csv"), HEADER + "\n" + String.join("\n", rows)
        + "\n");
    return Partnerships.load(SparkTestSession.get(), Location.of(dir), MINERALS);
  }

  private void assertProblem(String expected, String... rows) {
    String message = assertThrows(UserInputException.class, () -> load(rows)).getMessage();
    assertTrue(message.contains("partnerships.csv, " + expected), message);
  }
}
