package org.critmin.reference;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.critmin.CommandResult;
import org.critmin.SparkTestSession;
import org.critmin.config.UserInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production loader on the committed file: counts, known figures, and its checks. */
class ProductionTest {
  private static Dataset<Row> production;

  @BeforeAll
  static void load() {
    production = Production.load(SparkTestSession.get(),
        org.critmin.config.Location.of(Path.of(CommandResult.home(), "conf/reference"))).cache();
  }

  private static double quantity(String source, String mineral, String stage, int year,
      String iso3) {
    Row r = production.filter(col("source").equalTo(source).and(col("mineral").equalTo(mineral))
        .and(col("stage").equalTo(stage)).and(col("year").equalTo(year))
        .and(col("iso3").equalTo(iso3))).first();
    return r.getDouble(r.fieldIndex("quantity"));
  }

  @Test
  void rowCountsBySourceAndKind() {
    assertEquals(26880, production.count());
    assertEquals(958, production.filter(col("source").equalTo("usgs")).count());
    assertEquals(25922, production.filter(col("source").equalTo("bgs")).count());
    assertEquals(76, production.filter(col("kind").equalTo("world")).count());
    assertEquals(56, production.filter(col("kind").equalTo("other")).count());
    assertEquals(0, production.filter(col("kind").equalTo("unresolved")).count());
  }

  @Test
  void knownFigures() {
    // BGS World Mineral Statistics, cobalt mine production 2023, DR Congo: 140,121 t Co content.
    assertEquals(140121.0, quantity("bgs", "cobalt", "mine", 2023, "COD"), 0.0);
    assertEquals(140000.0, quantity("bgs", "cobalt", "refined", 2023, "CHN"), 0.0);
    // USGS MCS 2025: "Congo (Kinshasa)" resolves to COD, 175,000 t in 2023.
    assertEquals(175000.0, quantity("usgs", "cobalt", "mine", 2023, "COD"), 0.0);
    // BGS lithium content of Zimbabwe 2023 is split over three series (12963 + 48 + 5726).
    assertEquals(3, production.filter(col("source").equalTo("bgs")
        .and(col("mineral").equalTo("lithium")).and(col("stage").equalTo("mine"))
        .and(col("year").equalTo(2023)).and(col("iso3").equalTo("ZWE"))).count());
    Row world = production.filter(col("source").equalTo("usgs").and(col("mineral")
        .equalTo("cobalt")).and(col("year").equalTo(2023)).and(col("kind").equalTo("world")))
        .first();
    assertEquals(238000.0, world.getDouble(world.fieldIndex("quantity")), 0.0);
  }

  @Test
  void aCountryRowWithoutIso3IsRejectedNamingTheRow(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("production.csv");
    Files.writeString(file, String.join(",", Production.SCHEMA.fieldNames()) + "\n"
        + "bgs,cobalt,mine,\"cobalt, mine\",2023,Canada,CAN,country,5099,tonnes,\n"
        + "bgs,cobalt,mine,\"cobalt, mine\",2023,Atlantis,,country,10,tonnes,\n");
    UserInputException e = assertThrows(UserInputException.class,
        () -> Production.load(SparkTestSession.get(), file.toString()));
    assertTrue(e.getMessage().contains("data row 2") && e.getMessage().contains("iso3"),
        e.getMessage());
  }
}
