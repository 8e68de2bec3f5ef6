package org.critmin.delta;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** Rows (part, n) of the warehouse tests' probe tables: one part, n = 0, 1, ... */
final class PartRows {

  private PartRows() {}

  static Dataset<Row> of(SparkSession spark, TableSpec spec, String part, int count) {
    List<Row> rows = new ArrayList<>();
    for (long n = 0; n < count; n++) {
      rows.add(RowFactory.create(part, n));
    }
    return spark.createDataFrame(rows, spec.schema());
  }
}
