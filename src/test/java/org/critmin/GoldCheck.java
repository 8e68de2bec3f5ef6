package org.critmin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The gold check of the tests that run the pipeline elsewhere (S3, spark-submit, a standalone
 * cluster) on the real nickel extract: read back with the {@code sql} command, Japan's 2014 sourcing
 * of nickel ore must be the figures hand-computed from the file's partner rows in
 * PipelineEndToEndTest (5 partners, HHI 4823.0459, the Philippines first).
 */
public final class GoldCheck {
  public static final String NICKEL_FILE = "nickel_api_extract_2010-2015.csv";

  private GoldCheck() {}

  /** A folder under {@code dir} holding a copy of the nickel extract of sample-data/. */
  public static Path nickelInput(Path dir) throws IOException {
    Path input = Files.createDirectories(dir.resolve("input"));
    Files.copy(Path.of(CommandResult.home(), "sample-data/comtrade", NICKEL_FILE),
        input.resolve(NICKEL_FILE));
    return input;
  }

  /** Runs the check through {@code jobs/critmin sql} with {@code options} (warehouse, settings). */
  public static void assertJapanNickelOre2014(String prefix, String... options) {
    List<String> args = new ArrayList<>(List.of("sql", "--set", "database_prefix=" + prefix,
        "--format", "csv", "-e",
        "SELECT n_partners, round(hhi, 4) AS hhi, top_partner_iso3 FROM " + prefix
            + "_gold.partner_concentration WHERE reporter_iso3 = 'JPN' AND flow = 'M' AND "
            + "mineral = 'nickel' AND stage = 'ore' AND period = '2014'"));
    args.addAll(Arrays.asList(options));
    CommandResult result = CommandResult.run(args.toArray(String[]::new));
    assertEquals(0, result.exitCode(), result.err());
    assertEquals(List.of("n_partners,hhi,top_partner_iso3", "5,4823.0459,PHL"),
        result.out().lines().toList());
  }
}
