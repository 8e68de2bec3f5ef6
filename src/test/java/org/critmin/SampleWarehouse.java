package org.critmin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default pipeline on sample-data/, run once per test JVM into one warehouse that every test
 * reading its tables shares (a pipeline on the sample costs minutes; the suite runs in one fork).
 * The shocks stage is limited to two events: the nickel-ore ban the real extract covers and one
 * without HS6 codes, which must come out as not estimable.
 */
public final class SampleWarehouse {
  /** Database prefix of the shared warehouse: tables are {@code sample_gold.supply_risk} etc. */
  public static final String PREFIX = "sample";

  private static Path root;
  private static CommandResult firstRun;

  private SampleWarehouse() {}

  /** The warehouse root, after the first pipeline run in this JVM (made on first use). */
  public static synchronized Path root() {
    if (firstRun == null) {
      try {
        root = Files.createTempDirectory("critmin-sample-warehouse");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      firstRun = run();
      if (firstRun.exitCode() != 0) {
        throw new IllegalStateException("the sample pipeline failed:\n" + firstRun.err());
      }
    }
    return root;
  }

  /** Standard output and error of the first pipeline run. */
  public static synchronized CommandResult firstRun() {
    root();
    return firstRun;
  }

  /** Runs the pipeline on the sample data into the shared warehouse again. */
  public static synchronized CommandResult runAgain() {
    root();
    return run();
  }

  private static CommandResult run() {
    return CommandResult.run("pipeline", "--warehouse", root.toString(),
        "--input", CommandResult.home() + "/sample-data",
        "--set", "database_prefix=" + PREFIX, "--set", "spark.console_progress=false",
        "--set", "shocks.events=[\"IDN-2014-ORE-BAN\", \"CHN-2023-REE-TECH\"]");
  }
}
