package org.critmin.scenarios;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.critmin.SparkTestSession;

/** Tiny yearly flow frames in the {@link AnnualFlows} layout, for hand-computed scenario tests. */
final class ScenarioFrames {

  private ScenarioFrames() {}

  /** One flow of gallium, refined stage, 2023, whole year; X99 is an area, not a country. */
  static Row ga(String exporter, String importer, double value, Double kg) {
    return flow(exporter, importer, "gallium", value, kg);
  }

  static Row flow(String exporter, String importer, String mineral, double value, Double kg) {
    return flow(exporter, importer, mineral, "refined", value, kg);
  }

  static Row flow(String exporter, String importer, String mineral, String stage, double value,
      Double kg) {
    return RowFactory.create(exporter, importer, !"X99".equals(importer), mineral, stage, 2023,
        12, value, kg);
  }

  static Dataset<Row> frame(List<Row> rows) {
    return SparkTestSession.get().createDataFrame(rows, AnnualFlows.SCHEMA);
  }
}
