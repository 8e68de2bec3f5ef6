package org.critmin.reference;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.Location;

/**
 * The net import reliance of the United States as USGS publishes it (Mineral Commodity Summaries
 * 2026, salient statistics, 2021-2025), from
 * {@code conf/reference/production/usgs_mcs2026_us_net_import_reliance.csv}, derived by
 * {@code conf/reference/build/build_reference.py}. A figure is for a mineral as a whole
 * ({@code stage} empty) or for one trade stage (zinc ores, refined zinc). Published bounds
 * ("&gt;50"), "E" (net exporter) and withheld figures have no {@code nir_share} and say why in
 * {@code qualifier}.
 */
public final class PublishedNetImportReliance {

  /** Location of the file under the reference folder. */
  public static final String FILE = "production/usgs_mcs2026_us_net_import_reliance.csv";

  /** The country the figures are for. */
  public static final String COUNTRY = "USA";

  public static final StructType SCHEMA = new StructType()
      .add("edition", DataTypes.StringType, false, "Edition, e.g. MCS2026")
      .add("commodity", DataTypes.StringType, false, "USGS commodity")
      .add("statistics_detail", DataTypes.StringType, false, "What USGS measured")
      .add("mineral", DataTypes.StringType, false, "Mineral id")
      .add("stage", DataTypes.StringType, true, "Trade stage the figure is for; empty: the "
          + "mineral as a whole")
      .add("year", DataTypes.IntegerType, false, "Year")
      .add("published_value", DataTypes.StringType, true, "The value as published (percent)")
      .add("nir_share", DataTypes.DoubleType, true, "Published percent / 100, where a number")
      .add("qualifier", DataTypes.StringType, true, "<, >, net_exporter or not_published where "
          + "no number is published")
      .add("note", DataTypes.StringType, true, "USGS notes (definition, estimates)");

  private PublishedNetImportReliance() {}

  /** Reads and checks the file under {@code referenceDir}. */
  public static Dataset<Row> load(SparkSession spark, Location referenceDir) {
    return load(spark, referenceDir.resolve(FILE).toString());
  }

  /**
   * Reads and checks a file in the {@link #SCHEMA} layout: one figure per mineral, stage and
   * year, a share between -10 and 1 (a net exporter's reliance is negative). A bad row stops
   * the run naming file, row and column.
   */
  public static Dataset<Row> load(SparkSession spark, String file) {
    List<Row> rows = ReferenceCsv.read(spark.sparkContext().hadoopConfiguration(), file, SCHEMA);
    Set<String> seen = new HashSet<>();
    int share = SCHEMA.fieldIndex("nir_share");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      if (!r.isNullAt(share) && !(r.getDouble(share) <= 1 && r.getDouble(share) >= -10)) {
        throw ReferenceCsv.problem(file, i, "column nir_share: " + r.getDouble(share)
            + " is not a share at most 1");
      }
      if (!seen.add(r.getString(3) + "|" + r.getString(4) + "|" + r.getInt(5))) {
        throw ReferenceCsv.problem(file, i, "column year: " + r.getString(3) + " "
            + (r.isNullAt(4) ? "" : r.getString(4)) + " " + r.getInt(5) + " given twice");
      }
    }
    return spark.createDataFrame(rows, SCHEMA);
  }
}
