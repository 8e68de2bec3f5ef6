package org.critmin.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.delta.TableLog;
import org.critmin.delta.TableSpec;
import org.critmin.delta.TableWriter;
import org.critmin.delta.Warehouse;

/**
 * What one run read from and wrote to the warehouse, through which it does both, and the row
 * counts it knows without a query: the stage log's rows in and out and the run summary come from
 * here.
 */
public final class RunLedger {
  private final SparkSession spark;
  private final Warehouse warehouse;
  /** The tables this run has read or written, by catalog name. */
  private final Map<String, TableSpec> touched = new HashMap<>();
  private final List<String> reads = new ArrayList<>();
  private final List<TableWriter.Write> writes = new ArrayList<>();
  /** Row counts known without a query: counted once, or written whole, since the last write. */
  private final Map<String, Long> knownRows = new HashMap<>();

  public RunLedger(SparkSession spark, Warehouse warehouse) {
    this.spark = spark;
    this.warehouse = warehouse;
  }

  public Warehouse warehouse() {
    return warehouse;
  }

  /** {@link Warehouse#read}, recorded. */
  public Dataset<Row> read(TableSpec spec) {
    Dataset<Row> rows = warehouse.read(spec);
    String name = warehouse.tableName(spec);
    touched.put(name, spec);
    reads.add(name);
    return rows;
  }

  /**
   * {@link Warehouse#replace}, recorded; a whole-table replace makes its row count known.
   */
  public TableWriter.Write replace(TableSpec spec, Dataset<Row> rows, Column scope,
      String runId) {
    TableWriter.Write write = warehouse.replace(spec, rows, scope, runId);
    record(spec, write);
    if (TableWriter.isWholeTable(scope) && write.rows() >= 0) {
      knownRows.put(write.table(), write.rows());
    }
    return write;
  }

  /** {@link Warehouse#append}, recorded. */
  public TableWriter.Write append(TableSpec spec, Dataset<Row> rows, String runId) {
    TableWriter.Write write = warehouse.append(spec, rows, runId);
    record(spec, write);
    return write;
  }

  private void record(TableSpec spec, TableWriter.Write write) {
    touched.put(write.table(), spec);
    writes.add(write);
    knownRows.remove(write.table());
  }

  /** The catalog names of the tables read so far, in order, with repeats. */
  public List<String> reads() {
    return List.copyOf(reads);
  }

  /** The writes so far, in order. */
  public List<TableWriter.Write> writes() {
    return List.copyOf(writes);
  }

  /**
   * Rows in a table this run has read or written (each stage logs the rows it read). A
   * whole-table replace supplies the count from its commit; otherwise it comes from the checksum
   * file of the table's newest version where that lists the files (Delta writes the list for
   * tables of up to 50 files), else from a count query. The answer is kept until the run writes
   * the table again.
   */
  public long rowCount(String tableName) {
    return knownRows.computeIfAbsent(tableName, name -> {
      TableSpec spec = touched.get(name);
      if (spec == null) {
        return spark.read().table(name).count();
      }
      long counted = TableLog.checksumRows(spark, warehouse.location(spec));
      return counted >= 0 ? counted : warehouse.read(spec).count();
    });
  }
}
