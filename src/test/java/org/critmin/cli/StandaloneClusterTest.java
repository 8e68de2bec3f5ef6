package org.critmin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.critmin.CritminProcess;
import org.critmin.GoldCheck;
import org.critmin.SparkProcesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on 127.0.0.1: a master and a worker in their own JVMs, started
 * from the jars jobs/submit uses; the worker starts executors in their own JVMs. The pipeline is
 * submitted with jobs/submit --master spark://..., as it would be to a cluster: the shaded
 * application jar, with the configuration and reference tables shipped inside it.
 */
@Tag("system")
class StandaloneClusterTest {
  private static final Map<String, String> ENV = Map.of(
      "SPARK_LOCAL_IP", "127.0.0.1",
      // What a distribution's bin/load-spark-env.sh sets; the worker's launcher needs it.
      "SPARK_SCALA_VERSION", "2.13");

  @TempDir
  static Path dir;
  private static Process master;
  private static Process worker;
  private static String masterUrl;

  @BeforeAll
  static void startCluster() throws Exception {
    Path sparkHome = SparkProcesses.sparkHome(dir.resolve("spark-home.log"));
    int port = SparkProcesses.freePort();
    masterUrl = "spark://127.0.0.1:" + port;
    Path masterLog = dir.resolve("master.log");
    master = SparkProcesses.startDaemon(sparkHome, masterLog, ENV,
        "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
        Integer.toString(port), "--webui-port", Integer.toString(SparkProcesses.freePort()));
    worker = SparkProcesses.startDaemon(sparkHome, dir.resolve("worker.log"), ENV,
        "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "2",
        "--memory", "2g", "--webui-port", Integer.toString(SparkProcesses.freePort()),
        "--work-dir", dir.resolve("work").toString(), masterUrl);
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!Files.readString(masterLog, StandardCharsets.UTF_8).contains("Registering worker")) {
      if (System.nanoTime() > deadline || !master.isAlive() || !worker.isAlive()) {
        throw new AssertionError("no worker registered:\n" + SparkProcesses.tail(masterLog)
            + "\n" + SparkProcesses.tail(dir.resolve("worker.log")));
      }
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stopCluster() {
    SparkProcesses.kill(worker);
    SparkProcesses.kill(master);
  }

  @Test
  void pipelineSubmittedToTheClusterWritesTheGoldTables() throws Exception {
    Path input = GoldCheck.nickelInput(dir);
    Path warehouse = dir.resolve("warehouse");
    Path log = dir.resolve("submit.log");
    long start = System.nanoTime();
    int code = SparkProcesses.submit(log, Duration.ofMinutes(20), ENV,
        "--master", masterUrl, "--driver-memory", "1g", "--executor-memory", "1g",
        "--total-executor-cores", "2",
        "--conf", "spark.ui.enabled=false",
        "pipeline", "--config", "classpath:critmin/cluster.conf",
        "--input", input.toString(), "--warehouse", warehouse.toString(),
        "--set", "database_prefix=cluster", "--set", "spark.shuffle_partitions=4",
        CritminProcess.SHORT_SHOCKS.get(0), CritminProcess.SHORT_SHOCKS.get(1));
    System.out.printf("StandaloneClusterTest: pipeline on the cluster in %.1f s%n",
        (System.nanoTime() - start) / 1e9);
    assertEquals(0, code, SparkProcesses.tail(log) + "\n--- worker\n"
        + SparkProcesses.tail(dir.resolve("worker.log")) + executorLogs());

    // The work ran in executor JVMs the worker started, which fetched the application jar; the
    // driver read its configuration and reference tables from that jar.
    List<Path> executorDirs = executorDirs();
    assertTrue(!executorDirs.isEmpty(), "no executor ran");
    try (Stream<Path> files = Files.list(executorDirs.get(0))) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().matches("critmin-.+-all\\.jar")),
          "executor fetched the application jar");
    }
    assertTrue(Files.readString(log, StandardCharsets.UTF_8)
        .contains("reference tables from classpath:critmin/reference"), SparkProcesses.tail(log));
    assertTrue(Files.readString(executorDirs.get(0).resolve("stderr"), StandardCharsets.UTF_8)
        .contains("Finished task"), "executor ran tasks");

    GoldCheck.assertJapanNickelOre2014("cluster", "--warehouse", warehouse.toString());
  }

  /** work/<app-id>/<executor-id>/ of every executor the worker started. */
  private static List<Path> executorDirs() throws IOException {
    Path work = dir.resolve("work");
    if (!Files.isDirectory(work)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.walk(work, 2)) {
      return paths.filter(p -> work.relativize(p).getNameCount() == 2 && Files.isDirectory(p))
          .toList();
    }
  }

  private static String executorLogs() throws IOException {
    StringBuilder logs = new StringBuilder();
    for (Path executor : executorDirs()) {
      logs.append("\n--- executor ").append(executor).append('\n')
          .append(SparkProcesses.tail(executor.resolve("stderr")));
    }
    return logs.toString();
  }
}
