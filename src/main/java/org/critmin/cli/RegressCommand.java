package org.critmin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.critmin.config.CritminConfig;
import org.critmin.config.UserInputException;
import org.critmin.delta.Warehouse;
import org.critmin.run.SparkSessions;
import org.critmin.stats.ModelException;
import org.critmin.stats.Regression;
import org.critmin.stats.RegressionResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Fits an analyst's own model, fixest style, on any warehouse table or CSV file, and prints the
 * coefficient table (optionally also written as CSV in the columns of
 * {@code critmin_gold.shock_estimates}).
 */
@Command(name = "regress", mixinStandardHelpOptions = true,
    description = "Fit OLS or PPML with absorbed fixed effects and clustered standard errors.")
final class RegressCommand implements Callable<Integer> {

  @Mixin
  JobOptions options;

  @Option(names = "--data", required = true, paramLabel = "TABLE_OR_FILE",
      description = "A warehouse table (critmin_silver.bilateral_flows) or a CSV file with a header.")
  String data;

  @Option(names = "--formula", required = true,
      description = "y ~ x1 + x2 + x1:x2 + i(rel_period, ref = -1) | fe1 + fe2^fe3; log(y) allowed.")
  String formula;

  @Option(names = "--estimator", defaultValue = "ols", description = "ols or ppml.")
  String estimator;

  @Option(names = "--cluster", split = ",", paramLabel = "V",
      description = "Cluster variables (one: one-way; two: two-way). None: HC1.")
  List<String> clusters = new ArrayList<>();

  @Option(names = "--ssc", defaultValue = "nested",
      description = "Small-sample correction: nested (fixest default), full (sandwich HC1) or none.")
  String ssc;

  @Option(names = "--out", paramLabel = "FILE.csv", description = "Also write the table as CSV.")
  Path out;

  @Option(names = "--in-memory-rows", paramLabel = "N",
      description = "Data of at most N rows are fitted in this process's memory, larger data on "
          + "the Spark executors (the same numbers either way). Default: ${DEFAULT-VALUE}.")
  long inMemoryRows = Regression.DEFAULT_IN_MEMORY_ROWS;

  @Override
  public Integer call() throws IOException {
    CritminConfig config = options.load();
    boolean sessionExisted = SparkSessions.sessionRunning();
    SparkSession spark = SparkSessions.create(config);
    try {
      Dataset<Row> input = load(spark, config);
      RegressionResult result;
      try {
        result = Regression.fit(input, formula, estimator, clusters, ssc, inMemoryRows);
      } catch (ModelException e) {
        throw new UserInputException(e.getMessage());
      }
      List<Row> rows = result.rows("regress");
      PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
      print(rows, stdout);
      if (out != null) {
        writeCsv(rows, out);
        stdout.println("written: " + out);
      }
      return 0;
    } finally {
      SparkSessions.stopIfOwned(spark, sessionExisted);
    }
  }

  private Dataset<Row> load(SparkSession spark, CritminConfig config) {
    boolean file = data.contains("/") || data.toLowerCase(Locale.ROOT).endsWith(".csv");
    if (file) {
      if (!data.contains("://") && !Files.isRegularFile(Path.of(data))) {
        throw new UserInputException("--data: file not found: " + data);
      }
      // An analyst's own file: column types are inferred from the values.
      return spark.read().option("header", "true").option("inferSchema", "true").csv(data);
    }
    new Warehouse(spark, config.warehouse(), config.databasePrefix()).catalog().registerAll();
    if (!spark.catalog().tableExists(data)) {
      throw new UserInputException("--data: no table " + data + " in the warehouse "
          + config.warehouse());
    }
    return spark.table(data);
  }

  private static void print(List<Row> rows, PrintStream out) {
    Row first = rows.get(0);
    out.printf("%s  estimator=%s  N=%s  se=%s  ssc=%s%n", field(first, "formula"),
        field(first, "estimator"), field(first, "n_obs"), field(first, "se_type"),
        field(first, "ssc"));
    out.printf("%-28s %14s %12s %9s %9s %14s %14s%n", "term", "estimate", "std_error",
        "statistic", "p_value", "ci_low", "ci_high");
    for (Row r : rows) {
      out.printf("%-28s %14.6g %12.6g %9.3f %9.4f %14.6g %14.6g%n", field(r, "term"),
          (Double) field(r, "estimate"), (Double) field(r, "std_error"),
          (Double) field(r, "statistic"), (Double) field(r, "p_value"),
          (Double) field(r, "ci_low"), (Double) field(r, "ci_high"));
    }
    out.printf("clusters=%s  fixed effects=%s  r2_within=%s  pseudo_r2=%s  iterations=%s  "
            + "converged=%s%n", field(first, "n_clusters"), field(first, "fixed_effects"),
        field(first, "r2_within"), field(first, "pseudo_r2"), field(first, "iterations"),
        field(first, "converged"));
  }

  private static Object field(Row row, String name) {
    return row.get(RegressionResult.SCHEMA.fieldIndex(name));
  }

  private static void writeCsv(List<Row> rows, Path file) throws IOException {
    StructField[] fields = RegressionResult.SCHEMA.fields();
    List<String> lines = new ArrayList<>();
    lines.add(String.join(",", Arrays.stream(fields).map(StructField::name).toList()));
    for (Row r : rows) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < fields.length; i++) {
        String v = r.isNullAt(i) ? "" : String.valueOf(r.get(i));
        values.add(v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
      }
      lines.add(String.join(",", values));
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
