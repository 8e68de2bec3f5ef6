package org.critmin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.critmin.cli.Critmin;
import org.critmin.delta.Warehouse;

/**
 * Runs a critmin command in this JVM (sharing the test session) and captures its output. A
 * command writes its tables by location; afterwards the tables of its warehouse are registered
 * in the shared session's catalog, as {@code jobs/critmin sql} does, so tests query them by name.
 */
public record CommandResult(int exitCode, String out, String err) {

  public static synchronized CommandResult run(String... args) {
    try {
      return execute(args);
    } finally {
      register(args);
    }
  }

  /** Registers the tables of the warehouse named by {@code --warehouse}, if it exists. */
  private static void register(String[] args) {
    List<String> list = Arrays.asList(args);
    int at = list.indexOf("--warehouse");
    if (at < 0 || at + 1 >= args.length
        || !args[at + 1].contains("://") && !Files.isDirectory(Path.of(args[at + 1]))) {
      return;
    }
    String prefix = "critmin";
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--set") && args[i + 1].startsWith("database_prefix=")) {
        prefix = args[i + 1].substring("database_prefix=".length());
      }
    }
    if (prefix.matches("[A-Za-z][A-Za-z0-9_]*")) {
      try {
        new Warehouse(SparkTestSession.get(), args[at + 1], prefix).catalog().registerAll();
      } catch (RuntimeException e) {
        // A store that is down (a test's outage) has nothing to register.
      }
    }
  }

  /**
   * The command's arguments, with {@code --config conf/test.conf} (the test session's own settings)
   * after the command name unless the test names a configuration file.
   */
  private static String[] withTestConf(String[] args) {
    List<String> list = new java.util.ArrayList<>(Arrays.asList(args));
    if (list.isEmpty() || list.contains("--config") || list.contains("--help")
        || !List.of("pipeline", "ingest", "refine", "concentration", "shocks", "scenarios",
            "report", "maintain", "sql", "register", "regress").contains(list.get(0))) {
      return args;
    }
    list.add(1, "--config");
    list.add(2, Path.of(home(), "conf", "test.conf").toString());
    return list.toArray(String[]::new);
  }

  private static CommandResult execute(String... commandArgs) {
    String[] args = withTestConf(commandArgs);
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
