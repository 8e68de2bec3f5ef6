package org.critmin.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.critmin.CommandResult;
import org.critmin.CritminProcess;

/**
 * The clean run the reliability tests compare against: the pipeline once, in this JVM, on the real
 * nickel extract of sample-data (1,785 lines, 2010-2015), into a warehouse of its own. Run once per
 * test JVM, on first use, and shared by every test that needs it.
 */
final class ReferenceRun {
  /** The input every reliability run reads. */
  static final String INPUT =
      Path.of(CommandResult.home(), "sample-data", "comtrade", "nickel_api_extract_2010-2015.csv")
          .toString();

  private static String warehouse;
  private static double seconds;

  private ReferenceRun() {}

  /** The reference warehouse root (a path), running the pipeline first if needed. */
  static synchronized String warehouse() throws IOException {
    if (warehouse == null) {
      Path dir = Files.createTempDirectory("critmin-reference");
      Runtime.getRuntime().addShutdownHook(new Thread(
          () -> org.apache.commons.io.FileUtils.deleteQuietly(dir.toFile())));
      long t0 = System.nanoTime();
      CommandResult result = CommandResult.run(CritminProcess.pipeline(dir, INPUT, "relref"));
      assertEquals(0, result.exitCode(), result.err());
      seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("[reliability] reference run (in-process pipeline, nickel extract): "
          + "%.1f s%n", seconds);
      warehouse = dir.toUri().toString().replaceAll("/+$", "");
    }
    return warehouse;
  }
}
