package org.critmin.stats;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Rows held in the driver's memory with their schema: the data of a model small enough to be
 * fitted without Spark (see {@link Regression}). Values are those of Spark's {@link Row} for the
 * schema's types (Integer, Long, Double, String...); null is missing.
 *
 * @param schema the columns
 * @param rows the rows, each in the schema's column order
 */
public record LocalData(StructType schema, List<Row> rows) {

  public LocalData {
    rows = List.copyOf(rows);
  }
}
