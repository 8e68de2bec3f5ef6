package org.critmin.reference;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.UserInputException;

/**
 * Reads a small curated reference CSV to the driver against an explicit schema: the header must
 * name the schema's columns, every value must parse, and non-nullable columns must have a value.
 * A problem stops the run (exit 2) with a message naming the file and, where it applies, the data
 * row (1 is the first line after the header) and the column.
 */
final class ReferenceCsv {

  private ReferenceCsv() {}

  static List<Row> read(SparkSession spark, String file, StructType schema) {
    if (!file.contains("://") && !new java.io.File(file).isFile()) {
      throw new UserInputException("reference file not found: " + file);
    }
    List<Row> rows;
    try {
      rows = scan(spark, file, schema).collectAsList();
    } catch (Exception e) {
      throw new UserInputException("reference file " + file + " does not hold the columns "
          + String.join(",", schema.fieldNames()) + ": " + rootMessage(e));
    }
    for (int i = 0; i < rows.size(); i++) {
      for (int f = 0; f < schema.size(); f++) {
        if (!schema.fields()[f].nullable() && rows.get(i).isNullAt(f)) {
          throw problem(file, i, "no value for " + schema.fields()[f].name());
        }
      }
    }
    return rows;
  }

  /**
   * The file as a lazily read Dataset with the same options as {@link #read}. Returned by loaders
   * after {@link #read} has checked the rows: a file scan keeps query plans small, where a local
   * relation of tens of thousands of rows would be copied into every plan and task.
   */
  static Dataset<Row> scan(SparkSession spark, String file, StructType schema) {
    return spark.read().option("header", "true").option("escape", "\"")
        .option("mode", "FAILFAST").option("enforceSchema", "false").schema(schema).csv(file);
  }

  /** An input problem at data row {@code index} (0-based) of {@code file}. */
  static UserInputException problem(String file, int index, String what) {
    return new UserInputException("reference file " + file + ", data row " + (index + 1) + ": "
        + what);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }
}
