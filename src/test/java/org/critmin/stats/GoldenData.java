package org.critmin.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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
    SparkSession spark = SparkTestSession.get();
    List<Row> rows = spark.read().option("header", "true").option("quote", "\"")
        .option("ignoreLeadingWhiteSpace", "true").option("ignoreTrailingWhiteSpace", "true")
        .csv(DIR + "expected.csv").where("model = '" + model + "'").collectAsList();
    List<Expected> out = new ArrayList<>();
    for (Row r : rows) {
      String clusters = r.getAs("clusters");
      String nClusters = r.getAs("n_clusters");
      String kUsed = r.getAs("k_used");
      out.add(new Expected(r.getAs("model"), r.getAs("formula"), r.getAs("estimator"),
          r.getAs("se_type"),
          clusters == null ? List.of() : Arrays.asList(clusters.split("\\+")), r.getAs("ssc"),
          r.getAs("term"), num(r, "estimate"), num(r, "std_error"), num(r, "statistic"),
          num(r, "p_value"), num(r, "ci_low"), num(r, "ci_high"),
          Long.parseLong(r.getAs("n_obs")),
          nClusters == null ? List.of()
              : Arrays.stream(nClusters.split("\\+")).map(Long::valueOf).toList(),
          Long.parseLong(r.getAs("k_full")), kUsed == null ? null : Long.valueOf(kUsed),
          num(r, "df"), optional(r, "r2_within"), optional(r, "pseudo_r2")));
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no expected rows for " + model);
    }
    return out;
  }

  private static double num(Row r, String c) {
    String v = ((String) r.getAs(c)).trim();
    return v.equals("Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
  }

  private static Double optional(Row r, String c) {
    String v = r.getAs(c);
    v = v == null ? null : v.trim();
    return v == null || v.equals("NA") ? null : Double.valueOf(v);
  }
}
