package org.critmin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.critmin.CommandResult;
import org.critmin.ingest.CsvLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobs/critmin regress} on the two-way golden panel, against R's numbers. */
class RegressCommandTest {
  private static final String PANEL =
      CommandResult.home() + "/src/test/resources/golden/regression/twoway.csv";

  @TempDir
  Path dir;

  @Test
  void printsAndWritesTheCoefficientTable() throws IOException {
    Path out = dir.resolve("estimates.csv");
    CommandResult result = CommandResult.run("regress", "--data", PANEL,
        "--formula", "log(y) ~ ldist + fta | exporter + importer + year",
        "--cluster", "exporter,importer", "--ssc", "full", "--out", out.toString(),
        "--set", "spark.console_progress=false");
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains("ldist"), result.out());
    List<String> lines = Files.readAllLines(out);
    List<String> header = List.of(lines.get(0).split(","));
    String ldist = lines.stream().filter(l -> l.contains(",ldist,")).findFirst().orElseThrow();
    CsvLine csv = new CsvLine(',');
    byte[] bytes = ldist.getBytes(StandardCharsets.UTF_8);
    csv.split(bytes, bytes.length);
    List<String> values = new java.util.ArrayList<>();
    for (int i = 0; i < csv.fieldCount(); i++) {
      values.add(csv.text(i, StandardCharsets.UTF_8));
    }
    // R: lm with dummies, sandwich::vcovCL(cluster = ~ exporter + importer, type = "HC1").
    assertEquals(-0.81227774912440387,
        Double.parseDouble(values.get(header.indexOf("estimate"))), 1e-6);
    assertEquals(0.029469677244902778,
        Double.parseDouble(values.get(header.indexOf("std_error"))), 0.029469677244902778 * 1e-4);
    assertEquals("660", values.get(header.indexOf("n_obs")));
    assertEquals("full", values.get(header.indexOf("ssc")));
  }

  @Test
  void aMissingColumnIsAUserError() {
    CommandResult result = CommandResult.run("regress", "--data", PANEL,
        "--formula", "y ~ distance | exporter", "--set", "spark.console_progress=false");
    assertEquals(2, result.exitCode(), result.err());
    assertTrue(result.err().contains("distance"), result.err());
    assertFalse(result.err().contains("\tat "), result.err());
  }
}
