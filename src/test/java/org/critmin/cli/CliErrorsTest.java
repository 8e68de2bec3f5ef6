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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage, configuration and input problems: exit code 2 and one clear message, no stack trace. */
@Tag("e2e")
class CliErrorsTest {

  @TempDir
  static Path dir;

  private static void assertUserError(CommandResult result, String... mentions) {
    assertEquals(2, result.exitCode(), result.err());
    for (String mention : mentions) {
      assertTrue(result.err().contains(mention), "expected '" + mention + "' in: " + result.err());
    }
    assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
    assertFalse(result.err().contains("Exception"), "no exception names: " + result.err());
  }

  private CommandResult ingest(Path input) {
    return CommandResult.run("ingest", "--warehouse", dir.resolve("warehouse").toString(),
        "--input", input.toString(), "--set", "database_prefix=clierr",
        "--set", "spark.console_progress=false");
  }

  @Test
  void unknownCommand() {
    assertUserError(CommandResult.run("frobnicate"), "frobnicate");
  }

  @Test
  void unknownOption() {
    assertUserError(CommandResult.run("pipeline", "--bogus"), "--bogus");
  }

  @Test
  void unknownConfigurationKey() {
    assertUserError(CommandResult.run("pipeline", "--set", "ingest.max_reject=0.1"),
        "ingest.max_reject");
  }

  @Test
  void configurationValueOfTheWrongType() {
    assertUserError(CommandResult.run("pipeline", "--set", "ingest.max_reject_ratio=lots"),
        "ingest.max_reject_ratio");
  }

  @Test
  void missingConfigurationFile() {
    assertUserError(CommandResult.run("pipeline", "--config", dir.resolve("nope.conf").toString()),
        "nope.conf");
  }

  @Test
  void missingConfigurationResource() {
    assertUserError(CommandResult.run("pipeline", "--config", "classpath:critmin/nope.conf"),
        "classpath:critmin/nope.conf");
  }

  /** spark-submit's --conf given after the jar, where critmin reads it: told where it belongs. */
  @Test
  void sparkSettingGivenToCritminSaysWhereItBelongs() {
    assertUserError(CommandResult.run("pipeline", "--conf", "spark.executor.memory=4g"),
        "--conf spark.executor.memory=4g is not a critmin option", "--config FILE",
        "--set key=value", "spark-submit's --conf key=value");
  }

  /**
   * An API error body saved as .json and a response cut short (count 3, two records) beside a good
   * file: both named in the exit-2 message, the good file loaded.
   */
  @Test
  void apiErrorBodiesAndCutResponsesAreBadFilesTheOthersLoad() throws IOException {
    Path input = Files.createDirectories(dir.resolve("api"));
    Path resources = Path.of(CommandResult.home(), "src/test/resources");
    for (String file : List.of("hostile/comtrade_api_error_401.json",
        "hostile/comtrade_api_count_3_holds_2.json", "fixtures/comtrade_api_nickel_2000-2015.csv")) {
      Files.copy(resources.resolve(file), input.resolve(Path.of(file).getFileName()));
    }
    CommandResult result = CommandResult.run("ingest", "--warehouse",
        dir.resolve("api-warehouse").toString(), "--input", input.toString(),
        "--set", "database_prefix=apierr", "--set", "spark.console_progress=false");
    assertUserError(result, "2 input files not loaded", "comtrade_api_error_401.json",
        "no \"data\" array", "statusCode=401", "comtrade_api_count_3_holds_2.json",
        "count 3 but its \"data\" holds 2 records");
    List<String> loaded = org.critmin.SparkTestSession.get().read().format("delta")
        .load(dir.resolve("api-warehouse/bronze/ingest_files").toString())
        .select("source_file").distinct().as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
    assertEquals(1, loaded.size(), loaded.toString());
    assertTrue(loaded.get(0).endsWith("comtrade_api_nickel_2000-2015.csv"), loaded.toString());
  }

  /** A file name can hold a line break and a terminal escape: shown escaped, never raw. */
  @Test
  void controlCharactersOfAFileNameCannotForgeALineOrDriveTheTerminal() throws IOException {
    Path input = Files.createDirectories(dir.resolve("names"));
    Path file = input.resolve("x\n2026-01-01 INFO forged\u001b[31m.csv");
    Files.writeString(file, "no,header,of,comtrade\n1,2,3,4\n", StandardCharsets.UTF_8);
    CommandResult result = ingest(input);
    assertUserError(result, "x\\n2026-01-01 INFO forged\\u001b[31m.csv");
    String message = result.err().lines().filter(l -> l.startsWith("critmin ingest: "))
        .findFirst().orElseThrow(() -> new AssertionError(result.err()));
    assertTrue(message.contains("forged"), message);
    assertFalse(result.err().contains("\u001b"), "a raw escape reached the terminal");
    assertFalse(result.err().lines().anyMatch(l -> l.startsWith("2026-01-01 INFO forged")),
        "a forged line: " + result.err());
  }

  @Test
  void missingRequiredColumnNamesFileAndColumn() throws IOException {
    Path file = dir.resolve("no_cmd_code.csv");
    Files.writeString(file, "period,reporterCode,partnerCode,flowCode,primaryValue\n"
        + "2020,842,156,M,100\n", StandardCharsets.UTF_8);
    assertUserError(ingest(file), "no_cmd_code.csv", "cmdCode");
  }

  @Test
  void wrongDelimiterIsExplained() throws IOException {
    Path file = dir.resolve("semicolons.csv");
    Files.writeString(file, "period;reporterCode;partnerCode;flowCode;cmdCode;primaryValue\n"
        + "2020;842;156;M;260400;100\n", StandardCharsets.UTF_8);
    assertUserError(ingest(file), "semicolons.csv", "delimiter");
  }

  @Test
  void binaryFileIsRefused() throws IOException {
    Path file = dir.resolve("image.csv");
    Files.write(file, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
    assertUserError(ingest(file), "image.csv", "binary");
  }

  @Test
  void emptyFileIsRefused() throws IOException {
    Path file = dir.resolve("empty.csv");
    Files.writeString(file, "");
    assertUserError(ingest(file), "empty.csv", "empty");
  }

  @Test
  void missingInput() {
    assertUserError(ingest(dir.resolve("does-not-exist.csv")), "does-not-exist.csv");
  }

  @Test
  void sqlErrorsAreUserErrors() {
    assertUserError(CommandResult.run("sql", "--warehouse", dir.resolve("w").toString(),
        "--set", "database_prefix=clierr", "-e", "SELEC nothing"), "SQL");
  }
}
