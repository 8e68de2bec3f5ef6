package org.critmin.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.GeneralizedLinearRegression;
import org.apache.spark.ml.regression.GeneralizedLinearRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * PPML coefficients against Spark MLlib's GeneralizedLinearRegression (Poisson, log link, IRLS) on a
 * small model with year dummies and no absorbed fixed effects. Only coefficients are compared: MLlib's
 * standard errors are model-based, not robust.
 */
class MllibCrossCheckTest {

  @Test
  void ppmlMatchesMllibPoissonGlm() {
    Dataset<Row> data = GoldenData.read("twoway", GoldenData.TWOWAY);
    RegressionResult ours = Regression.fit(data, "y ~ ldist + fta + i(year, ref = 2019)", "ppml",
        List.of(), "full", Regression.DEFAULT_IN_MEMORY_ROWS);
    assertTrue(ours.converged());

    List<String> features = List.of("ldist", "fta", "y2020", "y2021", "y2022", "y2023");
    Dataset<Row> wide = data.withColumn("fta", col("fta").cast("double"));
    for (int year = 2020; year <= 2023; year++) {
      wide = wide.withColumn("y" + year, when(col("year").equalTo(year), 1.0).otherwise(0.0));
    }
    Dataset<Row> assembled = new VectorAssembler()
        .setInputCols(features.toArray(String[]::new)).setOutputCol("features").transform(wide);
    GeneralizedLinearRegressionModel glm = new GeneralizedLinearRegression()
        .setFamily("poisson").setLink("log").setLabelCol("y").setFeaturesCol("features")
        .setMaxIter(100).setTol(1e-12).fit(assembled);

    List<String> terms = List.of("ldist", "fta", "year::2020", "year::2021", "year::2022",
        "year::2023");
    for (int j = 0; j < terms.size(); j++) {
      double expected = glm.coefficients().apply(j);
      double actual = ours.estimate(terms.get(j));
      assertEquals(expected, actual, 1e-6 * Math.max(1.0, Math.abs(expected)), terms.get(j));
    }
    assertEquals(glm.intercept(), ours.estimate(Formula.INTERCEPT),
        1e-6 * Math.max(1.0, Math.abs(glm.intercept())), "intercept");
  }
}
