package org.critmin;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts critmin in a JVM of its own, as {@code jobs/critmin} does: the same main class, the same
 * Spark module flags (taken from this test JVM, which Maven starts with the launcher's list), a 2 GB
 * heap ({@code CRITMIN_JAVA_OPTS=-Xmx2g}), the launcher's log configuration. The class path is the
 * test's, so no packaging step runs inside a test. Output goes to {@code log}.
 */
public final class CritminProcess {

  private CritminProcess() {}

  public static Process start(Path log, String... args) throws IOException {
    return start(List.of("-Xmx2g"), log, args);
  }

  /** {@link #start(Path, String...)} with JVM options of the test's choosing (heap, GC log). */
  public static Process start(List<String> jvmOptions, Path log, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-") || flag.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
          || flag.startsWith("-Djdk.reflect") || flag.startsWith("-Dio.netty")) {
        command.add(flag);
      }
    }
    String home = CommandResult.home();
    command.add("-Dcritmin.home=" + home);
    command.add("-Dlog4j2.configurationFile=" + Path.of(home, "conf", "log4j2.properties"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.critmin.cli.Critmin");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return builder.start();
  }

  /**
   * Settings that keep a test pipeline short where the test is about loading, storage or
   * recovery, not about the models: the shocks stage runs one event, which lists no HS6 codes and
   * so is reported not estimable without a fit (the models are tested on the sample warehouse).
   * Every table is still written.
   */
  public static final List<String> SHORT_SHOCKS =
      List.of("--set", "shocks.events=[\"CHN-2023-REE-TECH\"]");

  /** The arguments of a quiet, {@link #SHORT_SHOCKS short} pipeline run of {@code input}. */
  public static String[] pipeline(Path warehouse, String input, String prefix) {
    List<String> args = new ArrayList<>(List.of("pipeline", "--warehouse", warehouse.toString(),
        "--input", input, "--set", "database_prefix=" + prefix,
        "--set", "spark.console_progress=false"));
    args.addAll(SHORT_SHOCKS);
    return args.toArray(String[]::new);
  }
}
