package org.critmin.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.critmin.CommandResult;
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names are taken literally: a comma, glob characters and a colon in a name, and a name that
 * is a glob of another file's name beside it; each file loads its own rows under its own name. A
 * folder's other entries are listed with the reason they were not read; a name that is not valid
 * UTF-8 is a bad file, named; a link back to a folder does not read it twice.
 */
@Tag("e2e")
class LiteralFileNamesTest {
  private static final String HEADER = "period,reporterCode,reporterISO,partnerCode,partnerISO,"
      + "flowCode,cmdCode,primaryValue,netWgt";

  @TempDir
  Path dir;

  @Test
  void aColonInAPlainNameIsNoUriScheme() {
    org.apache.hadoop.fs.Path path = InputFiles.inputPath("comtrade_2024-01-01T10:00:00.csv");
    assertEquals("file", path.toUri().getScheme());
    assertEquals(Path.of("comtrade_2024-01-01T10:00:00.csv").toAbsolutePath().toString(),
        path.toUri().getPath());
    assertEquals("s3a", InputFiles.inputPath("s3a://bucket/in/a:b.csv").toUri().getScheme());
    assertEquals("in/x.csv", InputFiles.inputPath("in/x.csv").toString());
  }

  @Test
  void skippedEntriesAreListedAnUndecodableNameIsBadAndALinkLoopIsReadOnce() throws Exception {
    Path input = Files.createDirectories(dir.resolve("folder"));
    Files.writeString(input.resolve("good.csv"), HEADER + "\n2020,842,USA,156,CHN,M,260400,"
        + "700,10\n", StandardCharsets.UTF_8);
    Files.writeString(input.resolve(".hidden.csv"), HEADER + "\n", StandardCharsets.UTF_8);
    Files.writeString(input.resolve("readme.md"), "notes\n", StandardCharsets.UTF_8);
    Files.writeString(input.resolve("_SUCCESS"), "", StandardCharsets.UTF_8);
    Files.createSymbolicLink(input.resolve("loop"), input);
    CommandResult clean = ingest(input, "skip1");
    assertEquals(0, clean.exitCode(), clean.err());
    assertTrue(clean.out().contains("files not read: 4 in the input folders, each in "
        + "skip1_bronze.ingest_files with skipped_reason"), clean.out());
    Map<String, String> skipped = new TreeMap<>();
    for (Row r : SparkTestSession.get().sql("SELECT regexp_extract(source_file, '[^/]+$', 0), "
        + "coalesce(skipped_reason, concat('read ', rows_read)) FROM skip1_bronze.ingest_files")
        .collectAsList()) {
      skipped.put(r.getString(0), r.getString(1));
    }
    assertEquals(Map.of("good.csv", "read 1", ".hidden.csv", "hidden (a name starting with . or _)",
        "_SUCCESS", "hidden (a name starting with . or _)",
        "readme.md", "not a data file name (.csv, .csv.gz, .txt, .txt.gz, .json, .json.gz)",
        "loop", "a link to the folder " + input.toRealPath() + ", read already"), skipped);

    // A name with the byte 0xFF, made by the shell: Java cannot write it.
    Process touch = new ProcessBuilder("sh", "-c", "printf '" + HEADER
        + "\\n2020,842,USA,156,CHN,M,260400,1,1\\n' > \"$(printf 'bad\\377.csv')\"")
        .directory(input.toFile()).inheritIO().start();
    assertEquals(0, touch.waitFor());
    CommandResult bad = ingest(input, "skip2");
    assertEquals(2, bad.exitCode(), bad.err());
    assertTrue(bad.err().contains("1 input file not loaded (the others were): "), bad.err());
    assertTrue(bad.err().contains("/bad\uFFFD.csv: the file name is not valid UTF-8 (shown with "
        + "U+FFFD), so it cannot be opened; rename the file"), bad.err());
    assertEquals(1L, SparkTestSession.get().sql("SELECT count(*) FROM skip2_bronze.trade_records")
        .first().getLong(0));
  }

  private CommandResult ingest(Path input, String prefix) {
    return CommandResult.run("ingest", "--warehouse", dir.resolve(prefix).toString(), "--input",
        input.toString(), "--set", "database_prefix=" + prefix, "--set",
        "spark.console_progress=false");
  }

  @Test
  void everyFileLoadsItsOwnRowsUnderItsOwnName() throws IOException {
    Path input = Files.createDirectories(dir.resolve("in"));
    Map<String, Double> values = new TreeMap<>(Map.of(
        "06_glob1.csv", 100.0,
        "06_glob[1].csv", 200.0,
        "a,b.csv", 300.0,
        "star*.csv", 500.0,
        "comtrade_2024-01-01T10:00:00.csv", 600.0));
    for (Map.Entry<String, Double> file : values.entrySet()) {
      Files.writeString(input.resolve(file.getKey()), HEADER + "\n2020,842,USA,156,CHN,M,260400,"
          + file.getValue() + ",10\n", StandardCharsets.UTF_8);
    }
    CommandResult result = CommandResult.run("ingest", "--warehouse",
        dir.resolve("warehouse").toString(), "--input", input.toString(), "--set",
        "database_prefix=names", "--set", "spark.console_progress=false");
    assertEquals(0, result.exitCode(), result.err());
    Map<String, Double> loaded = new TreeMap<>();
    for (Row r : SparkTestSession.get().read().format("delta")
        .load(dir.resolve("warehouse/bronze/trade_records").toString())
        .select("source_file", "primary_value").collectAsList()) {
      String name = r.getString(0).substring(r.getString(0).lastIndexOf('/') + 1);
      assertEquals(null, loaded.put(java.net.URLDecoder.decode(name.replace("+", "%2B"),
          StandardCharsets.UTF_8), r.getDouble(1)), "one row per file: " + name);
    }
    assertEquals(values, loaded);

    // Named explicitly, a file whose name is a glob is that file.
    CommandResult one = CommandResult.run("ingest", "--warehouse",
        dir.resolve("warehouse2").toString(), "--input", input.resolve("06_glob[1].csv")
            .toString(), "--set", "database_prefix=names2", "--set",
        "spark.console_progress=false");
    assertEquals(0, one.exitCode(), one.err());
    assertEquals(200.0, SparkTestSession.get().read().format("delta")
        .load(dir.resolve("warehouse2/bronze/trade_records").toString())
        .select("primary_value").first().getDouble(0));
  }
}
