package org.critmin.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.ConfigLoader;
import org.critmin.config.CritminConfig;
import org.critmin.run.SparkSessions;
import org.critmin.stats.Fit;
import org.critmin.stats.Regression;
import org.critmin.stats.RegressionResult;
import org.critmin.stats.Variance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The benchmark of the regression engine (run by {@code jobs/benchmark-regress}; not a test): fits
 * OLS and PPML with three absorbed fixed effects and standard errors clustered by the first, on a
 * generated panel, and prints per model the rows, fixed-effect levels, wall time, sweeps and IRLS
 * iterations, convergence, the estimates against the true slopes, the CPU time of the process (all
 * threads; on a shared machine a steadier measure than wall time) and the peak resident memory of
 * the process (VmHWM of /proc/self/status, cumulative over the run).
 *
 * <p>The panel is made on the executors, deterministically from the seed (one random stream per
 * partition): row r has levels drawn uniformly in each fixed effect, regressors
 * {@code x1 = 0.5 a1 + N(0,1)} and {@code x2 = 0.5 a2 + N(0,1)} correlated with the fixed effects
 * a_d (uniform in [-0.5, 0.5] per level, from a hash of the level), an OLS outcome
 * {@code y = 1.0 x1 - 0.5 x2 + a1 + a2 + a3 + N(0,1)} and a Poisson count with mean
 * {@code exp(0.3 x1 - 0.2 x2 + a1 + a2 + a3 - 0.5)} (about 45 % zeros).
 */
@Command(name = "benchmark-regress", mixinStandardHelpOptions = true,
    description = "Benchmark OLS and PPML with three fixed effects on a generated panel.")
public final class RegressionBenchmark implements Callable<Integer> {

  static final double[] OLS_BETA = {1.0, -0.5};
  static final double[] PPML_BETA = {0.3, -0.2};

  static final StructType PANEL = new StructType()
      .add("fe1", DataTypes.IntegerType, false, "Level of the first fixed effect (and cluster)")
      .add("fe2", DataTypes.IntegerType, false, "Level of the second fixed effect")
      .add("fe3", DataTypes.IntegerType, false, "Level of the third fixed effect")
      .add("x1", DataTypes.DoubleType, false, "Regressor correlated with fe1")
      .add("x2", DataTypes.DoubleType, false, "Regressor correlated with fe2")
      .add("y", DataTypes.DoubleType, false, "OLS outcome")
      .add("count", DataTypes.DoubleType, false, "Poisson outcome, with zeros");

  @Option(names = "--rows", defaultValue = "5000000", description = "Rows of the panel.")
  long rows;

  @Option(names = "--levels", split = ",", defaultValue = "60000,40000,1000",
      description = "Levels of the three fixed effects.")
  List<Integer> levels;

  @Option(names = "--seed", defaultValue = "20261127", description = "Random seed.")
  long seed;

  @Option(names = "--partitions", defaultValue = "8", description = "Partitions of the panel.")
  int partitions;

  @Option(names = "--models", split = ",", defaultValue = "ols,ppml",
      description = "Models to fit: ols, ppml.")
  List<String> models;

  @Option(names = "--config", description = "Configuration (default conf/local.conf of the home).")
  Path conf;

  @Option(names = "--in-memory-rows", defaultValue = "0",
      description = "Fit panels of at most this many rows in the driver's memory; default 0: "
          + "every panel on the executors, the engine this benchmark measures.")
  long inMemoryRows;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RegressionBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    if (levels.size() != 3) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--levels needs three numbers");
    }
    Path file = conf != null ? conf
        : Path.of(System.getProperty("critmin.home", "."), "conf", "local.conf");
    CritminConfig config = ConfigLoader.load(file, List.of());
    SparkSession spark = SparkSessions.create(config);
    try {
      Dataset<Row> panel = panel(spark, rows, levels.stream().mapToInt(Integer::intValue).toArray(),
          seed, partitions);
      System.out.printf(Locale.ROOT, "panel: %d rows, fixed effects fe1 %d + fe2 %d + fe3 %d = %d "
              + "levels, seed %d, %d cores, load average %s%n", rows, levels.get(0),
          levels.get(1), levels.get(2), levels.stream().mapToInt(Integer::intValue).sum(), seed,
          Runtime.getRuntime().availableProcessors(), loadAverage());
      for (String model : models) {
        boolean ppml = model.trim().equalsIgnoreCase("ppml");
        String formula = (ppml ? "count" : "y") + " ~ x1 + x2 | fe1 + fe2 + fe3";
        long start = System.nanoTime();
        double cpuStart = cpuSeconds();
        Fit fit = Regression.estimate(panel, formula, ppml ? "ppml" : "ols", List.of("fe1"),
            inMemoryRows);
        double fitSeconds = (System.nanoTime() - start) / 1e9;
        RegressionResult r = Regression.result(fit, Variance.Type.CLUSTER, Variance.Ssc.NESTED);
        double seconds = (System.nanoTime() - start) / 1e9;
        fit.sample().release();
        double[] truth = ppml ? PPML_BETA : OLS_BETA;
        System.out.printf(Locale.ROOT, "%s: %s%n", ppml ? "PPML" : "OLS", formula);
        System.out.printf(Locale.ROOT, "  rows used %d (dropped: %d singletons, %d separated), "
                + "fixed-effect rank %d, clusters %s%n", r.nObs(), r.droppedSingletons(),
            r.droppedSeparated(), fit.feRank(), r.nClusters());
        System.out.printf(Locale.ROOT, "  wall %.1f s (fit %.1f s, clustered variance %.1f s), "
                + "process CPU %.1f s; %s; converged %s%n", seconds, fitSeconds,
            seconds - fitSeconds, cpuSeconds() - cpuStart,
            ppml ? fit.iterations() + " IRLS iterations, " + fit.sweeps() + " sweeps in all"
                : fit.sweeps() + " sweeps", r.converged());
        for (int j = 0; j < truth.length; j++) {
          String term = r.terms().get(j);
          System.out.printf(Locale.ROOT, "  %-3s true %7.4f  estimate %9.6f  se %.6f  "
                  + "(estimate - true) / se %6.2f%n", term, truth[j], r.estimate(term),
              r.stdError(term), (r.estimate(term) - truth[j]) / r.stdError(term));
        }
        System.out.printf(Locale.ROOT, "  peak resident memory so far (VmHWM) %s; load average "
            + "%s%n", peakMemory(), loadAverage());
      }
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** The generated panel (see the class comment), deterministic for a seed and partition count. */
  static Dataset<Row> panel(SparkSession spark, long rows, int[] levels, long seed,
      int partitions) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Integer> parts = IntStream.range(0, partitions).boxed().toList();
    JavaRDD<Row> data = jsc.parallelize(parts, partitions).flatMap(p -> {
      long from = rows * p / partitions;
      long to = rows * (p + 1) / partitions;
      SplittableRandom random = new SplittableRandom(seed * 1_000_003L + p);
      List<Row> out = new ArrayList<>((int) (to - from));
      for (long r = from; r < to; r++) {
        int f1 = random.nextInt(levels[0]);
        int f2 = random.nextInt(levels[1]);
        int f3 = random.nextInt(levels[2]);
        double a1 = effect(seed, 1, f1);
        double a2 = effect(seed, 2, f2);
        double a3 = effect(seed, 3, f3);
        double x1 = 0.5 * a1 + gaussian(random);
        double x2 = 0.5 * a2 + gaussian(random);
        double y = OLS_BETA[0] * x1 + OLS_BETA[1] * x2 + a1 + a2 + a3 + gaussian(random);
        double mu = Math.exp(PPML_BETA[0] * x1 + PPML_BETA[1] * x2 + a1 + a2 + a3 - 0.5);
        out.add(RowFactory.create(f1, f2, f3, x1, x2, y, (double) poisson(random, mu)));
      }
      return out.iterator();
    });
    return spark.createDataFrame(data, PANEL);
  }

  /** The effect of a level, uniform in [-0.5, 0.5), from a hash of the seed, dimension and level. */
  static double effect(long seed, int dimension, int level) {
    return new SplittableRandom(seed * 31 + dimension * 1_000_000_007L + level).nextDouble() - 0.5;
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller; SplittableRandom has no nextGaussian in Java 17.
    double u = 1.0 - random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * random.nextDouble());
  }

  /** A Poisson draw by Knuth's multiplication method (means here stay below about 20). */
  private static int poisson(SplittableRandom random, double mu) {
    double limit = Math.exp(-mu);
    double product = random.nextDouble();
    int k = 0;
    while (product > limit) {
      k++;
      product *= random.nextDouble();
    }
    return k;
  }

  private static String peakMemory() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        return String.format(Locale.ROOT, "%.0f MiB", kb / 1024.0);
      }
    }
    return "unknown";
  }

  /** CPU time of the whole process (all threads), seconds: a measure less bent by other load. */
  private static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  private static String loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
    return f[0] + " " + f[1] + " " + f[2];
  }
}
