package org.critmin.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.critmin.CommandResult;
import org.critmin.LogCapture;
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table folder whose {@code _delta_log} holds no commit, as a run killed between Delta creating
 * the folder and its first commit leaves it: {@code sql} still answers for the other tables, and
 * the next command that writes the table removes the folder and creates the table.
 */
@Tag("e2e")
class BrokenTableFolderTest {
  private static final String HEADER =
      "period,reporterCode,reporterISO,partnerCode,partnerISO,flowCode,cmdCode,primaryValue,netWgt";

  @TempDir
  Path dir;

  private CommandResult command(String name, String... more) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(name,
        "--warehouse", dir.resolve("warehouse").toString(), "--input",
        dir.resolve("in").toString(), "--set", "database_prefix=broken", "--set",
        "spark.console_progress=false"));
    args.addAll(java.util.List.of(more));
    return CommandResult.run(args.toArray(String[]::new));
  }

  @Test
  void aFolderWithoutCommitIsSkippedByReadersAndReplacedByTheNextWriter() throws IOException {
    SparkTestSession.get();
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in").resolve("usa_2020.csv"), HEADER + "\n"
        + "2020,842,USA,0,W00,M,260400,150,15\n"
        + "2020,842,USA,156,CHN,M,260400,100,10\n"
        + "2020,842,USA,36,AUS,M,260400,50,5\n");
    CommandResult ingest = command("ingest");
    assertEquals(0, ingest.exitCode(), ingest.err());

    // What a kill between the folder and the first commit of trade_flows leaves.
    Path broken = dir.resolve("warehouse").resolve("silver").resolve("trade_flows");
    Files.createDirectories(broken.resolve("_delta_log"));
    Files.writeString(broken.resolve("part-00000-uncommitted.snappy.parquet"), "not committed");

    try (LogCapture logs = new LogCapture()) {
      CommandResult sql = command("sql", "--format", "csv", "-e",
          "SELECT count(*) AS n FROM broken_bronze.trade_records");
      assertEquals(0, sql.exitCode(), sql.err());
      assertEquals("n\n3", sql.out().strip());
      assertTrue(logs.text().contains("skipped " + broken.toUri().toString()
          .replaceAll("/+$", "").replace("file:///", "file:/")), logs.text());

      CommandResult refine = command("refine");
      assertEquals(0, refine.exitCode(), refine.err());
      assertTrue(logs.text().contains("WARN org.critmin.delta.Warehouse: removing the folder "),
          logs.text());
    }
    assertFalse(Files.exists(broken.resolve("part-00000-uncommitted.snappy.parquet")),
        "the uncommitted file went with the folder");
    assertEquals(2, SparkTestSession.get().read().format("delta").load(broken.toString())
        .count(), "trade_flows created by the refine: the two partner rows (World is no flow)");
  }
}
