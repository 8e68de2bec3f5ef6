package org.critmin;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.critmin.delta.Tables;
import org.critmin.delta.TableSpec;

/**
 * Compares the contents of two warehouses table by table: the same schema and the same multiset of
 * rows ({@code EXCEPT ALL} both ways, so duplicates count), ignoring only {@code run_id}, which
 * differs between runs by design. Doubles are compared to 12 significant digits: a sum over
 * partitions may add in another order in another process. {@code pipeline_runs} is left out: every
 * run adds its own row.
 */
public final class TableContents {
  private static final List<String> RUN_COLUMNS = List.of("run_id");

  private TableContents() {}

  /** The tables compared: every table of the contract but {@code pipeline_runs}. */
  public static List<TableSpec> compared() {
    return Tables.ALL.stream().filter(t -> t != Tables.PIPELINE_RUNS).toList();
  }

  /** The table at its location under {@code warehouse}, read by path (no catalog needed). */
  public static Dataset<Row> read(SparkSession spark, String warehouse, TableSpec spec) {
    return spark.read().format("delta").load(warehouse + "/" + spec.layer() + "/" + spec.name());
  }

  /** Asserts that every compared table holds the same rows in both warehouses; returns the rows. */
  public static long assertSameTables(SparkSession spark, String expected, String actual) {
    long rows = 0;
    for (TableSpec spec : compared()) {
      rows += assertSame(spec.layer() + "." + spec.name(), read(spark, expected, spec),
          read(spark, actual, spec));
    }
    return rows;
  }

  private static Dataset<Row> comparable(Dataset<Row> rows) {
    Dataset<Row> result = rows.drop(RUN_COLUMNS.toArray(String[]::new));
    for (StructField field : result.schema().fields()) {
      if (field.dataType().equals(DataTypes.DoubleType)) {
        Column x = col(field.name());
        Column scale = pow(lit(10.0), floor(log10(abs(x))).minus(11));
        result = result.withColumn(field.name(), when(x.equalTo(0).or(isnan(x)), x)
            .otherwise(round(x.divide(scale)).multiply(scale)));
      }
    }
    return result;
  }

  /**
   * Asserts equal multisets of rows, {@code run_id} aside; returns the row count. Rows that differ
   * after rounding to 12 significant digits (a value next to a rounding boundary) must still pair
   * up: the same values in every other column, and doubles within 1e-9 relative.
   */
  public static long assertSame(String what, Dataset<Row> expected, Dataset<Row> actual) {
    Dataset<Row> e = comparable(expected);
    Dataset<Row> a = comparable(actual);
    assertEquals(Arrays.asList(e.columns()), Arrays.asList(a.columns()), what + ": columns");
    List<Row> missing = e.exceptAll(a).limit(1000).collectAsList();
    List<Row> extra = new java.util.ArrayList<>(a.exceptAll(e).limit(1000).collectAsList());
    List<Row> unmatched = new java.util.ArrayList<>();
    for (Row m : missing) {
      Row match = extra.stream().filter(x -> close(m, x)).findFirst().orElse(null);
      if (match == null) {
        unmatched.add(m);
      } else {
        extra.remove(match);
      }
    }
    if (!unmatched.isEmpty() || !extra.isEmpty()) {
      fail(what + " differs: rows missing " + unmatched.stream().limit(5).toList()
          + ", rows extra " + extra.stream().limit(5).toList());
    }
    return e.count();
  }

  /** The same values, doubles within 1e-9 relative. */
  private static boolean close(Row x, Row y) {
    for (int i = 0; i < x.size(); i++) {
      Object a = x.get(i);
      Object b = y.get(i);
      if (a instanceof Double da && b instanceof Double db) {
        if (!(da.equals(db) || Math.abs(da - db) <= 1e-9 * Math.max(Math.abs(da), Math.abs(db)))) {
          return false;
        }
      } else if (!java.util.Objects.equals(a, b)) {
        return false;
      }
    }
    return true;
  }
}
