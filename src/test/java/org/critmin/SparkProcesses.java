package org.critmin;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs jobs/submit and Spark daemons as separate processes, as users and clusters do, with their
 * output in files and hard time limits; every process is killed with its children.
 */
public final class SparkProcesses {

  private SparkProcesses() {}

  /**
   * Runs {@code jobs/submit args} with {@code env} added (SPARK_HOME removed, so that it uses the
   * Maven-resolved Spark; no build, the test run has built the jar); stdout and stderr go to {@code log}. Returns the exit code.
   */
  public static int submit(Path log, Duration timeout, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", CommandResult.home() + "/jobs/submit"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().remove("SPARK_HOME");
    // The Maven run of the tests has built the jar; a nested build would rewrite its classes.
    builder.environment().put("CRITMIN_SKIP_BUILD", "1");
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("jobs/submit did not finish in " + timeout + ":\n" + tail(log));
      }
      return process.exitValue();
    } finally {
      kill(process);
    }
  }

  /** The Spark home jobs/submit runs Spark from (target/spark-home, made of the Maven jars). */
  public static Path sparkHome(Path log) throws IOException, InterruptedException {
    int code = submit(log, Duration.ofMinutes(5), Map.of(), "--spark-home");
    if (code != 0) {
      throw new AssertionError("jobs/submit --spark-home failed:\n" + tail(log));
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return Path.of(lines.get(lines.size() - 1).strip());
  }

  /** Starts {@code mainClass} of Spark in its own JVM from {@code sparkHome}'s jars. */
  public static Process startDaemon(Path sparkHome, Path log, Map<String, String> env,
      String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
    command.addAll(moduleFlags());
    command.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    // hadoop-aws and the AWS SDK, after Spark's jars (see jobs/submit); a worker hands them on to
    // the executors it starts.
    builder.environment().put("SPARK_DIST_CLASSPATH", sparkHome.resolve("hadoop-aws") + "/*");
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Kills {@code process} and everything it started (a worker's executors), forcibly. */
  public static void kill(Process process) {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The last lines of a log, for failure messages. */
  public static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** The --add-opens flags this test JVM runs with (the pom's spark.jvm.flags). */
  private static List<String> moduleFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognized"))
        .toList();
  }
}
