package org.critmin.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;

/** The datasets and expected values made by src/test/resources/golden/regression/make_golden.R. */
final class GoldenData {

  static final String DIR = "src/test/resources/golden/regression/";

  static final StructType GRAVITY = new StructType()
      .add("exporter", DataTypes.StringType).add("importer", DataTypes.StringType)
      .add("year", DataTypes.IntegerType).add("pair", DataTypes.StringType)
      .add("dist", DataTypes.DoubleType).add("policy", DataTypes.IntegerType)
      .add("tariff", DataTypes.DoubleType).add("y", DataTypes.DoubleType);

  static final StructType EVENT_PANEL = new StructType()
      .add("unit", DataTypes.StringType).add("year", DataTypes.IntegerType)
      .add("region", DataTypes.StringType).add("rel_period", DataTypes.IntegerType)
      .add("x", DataTypes.DoubleType).add("y", DataTypes.DoubleType);

  static final StructType THREE_FE = new StructType()
      .add("firm", DataTypes.StringType).add("product", DataTypes.StringType)
      .add("year", DataTypes.IntegerType).add("x1", DataTypes.DoubleType)
      .add("x2", DataTypes.DoubleType).add("y", DataTypes.DoubleType);

  static final StructType TWOWAY = new StructType()
      .add("exporter", DataTypes.StringType).add("importer", DataTypes.StringType)
      .add("year", DataTypes.IntegerType).add("pair", DataTypes.StringType)
      .add("ldist", DataTypes.DoubleType).add("fta", DataTypes.IntegerType)
      .add("y", DataTypes.DoubleType);

  /** One row of expected.csv. */
  record Expected(String model, String formula, String estimator, String seType,
      List<String> clusters, String ssc, String term, double estimate, double stdError,
      double statistic, double pValue, double ciLow, double ciHigh, long nObs,
      List<Long> nClusters, long kFull, Long kUsed, double df, Double r2Within, Double pseudoR2) {}

  private GoldenData() {}

  static Dataset<Row> read(String name, StructType schema) {
    return SparkTestSession.get().read().option("header", "true").schema(schema)
        .csv(DIR + name + ".csv");
  }

  static List<Expected> expected(String model) {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of(DIR + "expected.csv"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> header = fields(lines.get(0));
    List<Expected> out = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> f = fields(line);
      Map<String, String> r = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        String v = f.get(i).trim();
        r.put(header.get(i), v.isEmpty() ? null : v);
      }
      if (!r.get("model").equals(model)) {
        continue;
      }
      String clusters = r.get("clusters");
      String nClusters = r.get("n_clusters");
      String kUsed = r.get("k_used");
      out.add(new Expected(r.get("model"), r.get("formula"), r.get("estimator"),
          r.get("se_type"),
          clusters == null ? List.of() : Arrays.asList(clusters.split("\\+")), r.get("ssc"),
          r.get("term"), num(r, "estimate"), num(r, "std_error"), num(r, "statistic"),
          num(r, "p_value"), num(r, "ci_low"), num(r, "ci_high"), Long.parseLong(r.get("n_obs")),
          nClusters == null ? List.of()
              : Arrays.stream(nClusters.split("\\+")).map(Long::valueOf).toList(),
          Long.parseLong(r.get("k_full")), kUsed == null ? null : Long.valueOf(kUsed),
          num(r, "df"), optional(r, "r2_within"), optional(r, "pseudo_r2")));
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no expected rows for " + model);
    }
    return out;
  }

  /** Fields of a CSV line as R's write.csv writes it: quoted strings, no embedded quotes. */
  private static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  private static double num(Map<String, String> r, String c) {
    String v = r.get(c);
    return v.equals("Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
  }

  private static Double optional(Map<String, String> r, String c) {
    String v = r.get(c);
    return v == null || v.equals("NA") ? null : Double.valueOf(v);
  }
}
