package org.critmin.delta;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * One table of the contract: its layer (bronze, silver or gold), name, schema with a comment on every
 * column, partition columns, and the columns analysts filter by, on which {@code maintain} Z-orders
 * the data files (partition columns cannot be among them: a partition is already one value).
 * {@link Warehouse} turns it into a catalog name and a location; layer and name are plain identifiers,
 * so a location never leaves the warehouse root.
 */
public record TableSpec(String layer, String name, String comment, StructType schema,
    List<String> partitionColumns, List<String> zorderColumns) {

  public TableSpec {
    for (String identifier : List.of(layer, name)) {
      if (!Warehouse.IDENTIFIER.matcher(identifier).matches()) {
        throw new IllegalArgumentException("table layer and name must be identifiers: "
            + layer + "." + name);
      }
    }
    partitionColumns = List.copyOf(partitionColumns);
    zorderColumns = List.copyOf(zorderColumns);
    for (String p : partitionColumns) {
      schema.apply(p);
    }
    for (String z : zorderColumns) {
      schema.apply(z);
      if (partitionColumns.contains(z)) {
        throw new IllegalArgumentException(name + ": Z-order column " + z + " is a partition column");
      }
    }
  }

  /** A table without Z-order columns (small tables: OPTIMIZE only compacts them). */
  public TableSpec(String layer, String name, String comment, StructType schema,
      List<String> partitionColumns) {
    this(layer, name, comment, schema, partitionColumns, List.of());
  }
}
