package org.critmin.delta;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * One table of the contract: its layer (bronze, silver or gold), name, schema with a comment on every
 * column, and partition columns. {@link Warehouse} turns it into a catalog name and a location.
 */
public record TableSpec(String layer, String name, String comment, StructType schema,
    List<String> partitionColumns) {

  public TableSpec {
    partitionColumns = List.copyOf(partitionColumns);
    for (String p : partitionColumns) {
      schema.apply(p);
    }
  }
}
