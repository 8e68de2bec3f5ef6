package org.critmin.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.critmin.cli.Critmin;

/**
 * The warm-JVM runs of {@code jobs/benchmark --warm N} (not a test): the same {@code pipeline} run N
 * times in one process, each into a fresh warehouse and a fresh SparkSession. The first run pays
 * for class loading, code generation and the JIT compilers; the later runs show what a pipeline
 * costs once the process is warm, which separates start-up cost from the per-query and per-table
 * cost of Spark and Delta.
 *
 * <p>Usage: {@code INPUT WORKDIR RUNS}. Each run is framed on standard error by
 * {@code warm run I of N: started} and {@code warm run I of N: finished in S s (exit E)}, so that
 * the caller can read the stage times logged in between.
 */
public final class WarmPipeline {

  private WarmPipeline() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: WarmPipeline INPUT WORKDIR RUNS");
      System.exit(2);
    }
    String input = args[0];
    Path workdir = Path.of(args[1]);
    int runs = Integer.parseInt(args[2]);
    int failed = 0;
    for (int run = 1; run <= runs; run++) {
      Path warehouse = workdir.resolve("warm_warehouse_" + run);
      deleteRecursively(warehouse);
      System.err.printf("warm run %d of %d: started%n", run, runs);
      long start = System.nanoTime();
      int exit = Critmin.run("pipeline", "--input", input, "--warehouse", warehouse.toString(),
          "--set", "spark.console_progress=false");
      System.err.printf("warm run %d of %d: finished in %.2f s (exit %d)%n", run, runs,
          (System.nanoTime() - start) / 1e9, exit);
      deleteRecursively(warehouse);
      failed += exit == 0 ? 0 : 1;
    }
    System.exit(failed == 0 ? 0 : 1);
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
