package org.critmin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.critmin.CommandResult;
import org.critmin.SampleWarehouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared pipeline run on sample-data/ (which ends with the report), then: the report opened in
 * headless Chromium (every chart decoded, no load error, a screenshot that is not blank), and each
 * notebook of notebooks/ run with {@code jobs/critmin sql -f}, every query cell returning rows.
 */
class ReportAndNotebooksTest {
  private static final String PREFIX = SampleWarehouse.PREFIX;
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  /** Charts the sample data must produce (the trend of nickel stands for the trend charts). */
  private static final List<String> EXPECTED_CHARTS = List.of("chart-trend-nickel",
      "chart-china-linked", "chart-top-suppliers", "chart-importer-dependency",
      "chart-hhi-wgi-trade", "chart-hhi-wgi-production", "chart-supply-risk",
      "chart-prices-floors", "chart-stockpile-cover", "chart-resource-hhi",
      "chart-group-reserves", "chart-net-import-reliance", "chart-stockpile-economics",
      "chart-price-volatility", "chart-price-floor-1");

  @TempDir
  static Path dir;
  private static Path warehouse;
  private static Path report;
  private static CommandResult pipeline;

  @BeforeAll
  static void runPipeline() {
    warehouse = SampleWarehouse.root();
    pipeline = SampleWarehouse.firstRun();
    // With report.out unset, the report goes to the folder report under the warehouse root.
    report = warehouse.resolve("report").resolve("index.html");
  }

  @Test
  void pipelineEndsWithASummaryNamingTablesRowsAndTheReport() {
    String out = pipeline.out();
    assertTrue(out.contains("critmin pipeline succeeded"), out);
    assertTrue(out.contains(PREFIX + "_silver.trade_flows"), out);
    assertTrue(out.contains("input lines read: 61,838; rejected: 0"), out);
    assertTrue(out.contains("report: " + report.toUri().toString().replace("file:///", "file:/")),
        out);
    assertTrue(out.lines().count() < 40, "the summary fits on one screen:\n" + out);
  }

  @Test
  void reportOpensInHeadlessChromiumWithEveryChartAndIsNotBlank() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      fail("headless Chromium is needed at " + CHROMIUM + " for this test: apt-get install -y "
          + "chromium (.ci/run installs it)");
    }
    String html = Files.readString(report, StandardCharsets.UTF_8);
    assertFalse(html.contains("http://") || html.contains("https://"),
        "the report must not refer to the network");
    for (String chart : EXPECTED_CHARTS) {
      assertTrue(html.contains("id=\"" + chart + "\""), "chart missing from the report: " + chart);
    }

    String dom = chromium("--dump-dom", report.toUri().toString());
    Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
    assertTrue(body.find(), "no body in the DOM Chromium dumped:\n" + dom.substring(0,
        Math.min(dom.length(), 2000)));
    Map<String, String> checks = attributes(body.group(1));
    assertEquals("true", checks.get("data-checked"), "the load check did not run: " + checks);
    assertEquals("0", checks.get("data-load-errors"), "load errors: " + checks);
    int expected = Integer.parseInt(checks.get("data-charts-expected"));
    assertTrue(expected >= EXPECTED_CHARTS.size(), "charts expected: " + checks);
    assertEquals(String.valueOf(expected), checks.get("data-charts-found"), checks.toString());
    assertEquals(checks.get("data-images-total"), checks.get("data-images-loaded"),
        "some images did not decode: " + checks);
    assertEquals(String.valueOf(expected), checks.get("data-images-loaded"), checks.toString());

    Path png = dir.resolve("report.png");
    chromium("--screenshot=" + png, "--window-size=1100,2000", report.toUri().toString());
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(1100, image.getWidth());
    double[] stats = luminanceMeanAndVariance(image);
    assertTrue(stats[1] > 100, "the screenshot looks blank: luminance variance " + stats[1]);
    assertTrue(stats[0] > 100 && stats[0] < 254, "mean luminance " + stats[0]);
  }

  @TestFactory
  Stream<DynamicTest> everyNotebookCellReturnsRows() throws IOException {
    List<Path> notebooks;
    try (Stream<Path> files = Files.list(Path.of(CommandResult.home(), "notebooks"))) {
      notebooks = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    }
    assertTrue(notebooks.size() >= 5, "notebooks: " + notebooks);
    return notebooks.stream().map(notebook -> DynamicTest.dynamicTest(
        notebook.getFileName().toString(), () -> runNotebook(notebook)));
  }

  private static void runNotebook(Path notebook) throws IOException {
    String text = Files.readString(notebook, StandardCharsets.UTF_8);
    assertTrue(text.startsWith("-- Databricks notebook source\n"), notebook + " header");
    // The notebooks name the default databases; this class's warehouse has its own prefix.
    Path copy = dir.resolve(notebook.getFileName());
    Files.writeString(copy, text.replaceAll("\\bcritmin_(bronze|silver|gold)\\.",
        PREFIX + "_$1."), StandardCharsets.UTF_8);
    int cells = org.critmin.cli.SqlScript.cells(text).size();
    CommandResult result = CommandResult.run("sql", "--warehouse", warehouse.toString(),
        "--set", "database_prefix=" + PREFIX, "--set", "spark.console_progress=false",
        "--format", "json", "--limit", "5", "-f", copy.toString());
    assertEquals(0, result.exitCode(), notebook.getFileName() + ": " + result.err());
    Map<Integer, Integer> rowsPerCell = new HashMap<>();
    int cell = 0;
    for (String line : result.out().lines().toList()) {
      if (line.startsWith("-- cell ")) {
        cell = Integer.parseInt(line.substring("-- cell ".length()).strip());
        rowsPerCell.put(cell, 0);
      } else if (line.startsWith("{") && cell > 0) {
        rowsPerCell.merge(cell, 1, Integer::sum);
      }
    }
    assertEquals(cells, rowsPerCell.size(), "cells run:\n" + result.out());
    List<Integer> empty = new ArrayList<>();
    rowsPerCell.forEach((c, rows) -> {
      if (rows == 0) {
        empty.add(c);
      }
    });
    assertTrue(empty.isEmpty(), notebook.getFileName() + ": query cells without rows " + empty
        + "\n" + result.out());
  }

  /** Runs headless Chromium on its own fresh profile; returns its standard output. */
  private static String chromium(String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(dir, "chromium-profile");
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile));
    command.addAll(List.of(args));
    File log = dir.resolve("chromium-" + System.nanoTime() + ".log").toFile();
    Process process = new ProcessBuilder(command).redirectError(log).start();
    byte[] out = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "Chromium did not finish");
    assertEquals(0, process.exitValue(), "Chromium failed: " + Files.readString(log.toPath()));
    return new String(out, StandardCharsets.UTF_8);
  }

  private static Map<String, String> attributes(String tag) {
    Map<String, String> attributes = new HashMap<>();
    Matcher m = Pattern.compile("([a-z-]+)=\"([^\"]*)\"").matcher(tag);
    while (m.find()) {
      attributes.put(m.group(1), m.group(2));
    }
    return attributes;
  }

  private static double[] luminanceMeanAndVariance(BufferedImage image) {
    double sum = 0;
    double sumSquares = 0;
    long n = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y);
        double l = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff)
            + 0.114 * (rgb & 0xff);
        sum += l;
        sumSquares += l * l;
        n++;
      }
    }
    double mean = sum / n;
    return new double[] {mean, sumSquares / n - mean * mean};
  }
}
