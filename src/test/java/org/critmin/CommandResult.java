package org.critmin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.critmin.cli.Critmin;

/** Runs a critmin command in this JVM (sharing the test session) and captures its output. */
public record CommandResult(int exitCode, String out, String err) {

  public static synchronized CommandResult run(String... args) {
    SparkTestSession.get();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Critmin.run(args);
      return new CommandResult(code, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** The project root (tests run with critmin.home set by Maven). */
  public static String home() {
    return System.getProperty("critmin.home", ".");
  }
}
