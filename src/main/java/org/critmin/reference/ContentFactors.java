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
 * Content factors per HS6 code and mineral from {@code conf/reference/content_factors.csv}: the
 * share of a traded kilogram that counts in the measure of the mineral's production series
 * (metal content, or the commodity itself where the series counts it by weight), each with its
 * source. Only factors a public source gives are shipped (stoichiometry with IUPAC atomic
 * weights, a code whose good is what the production series counts); trade under any other code
 * stays in gross weight (docs/methods.md, "Apparent consumption and net import reliance").
 */
public final class ContentFactors {

  /** Location of the file under the reference folder. */
  public static final String FILE = "content_factors.csv";

  /** How a factor is known. */
  public static final List<String> BASES = List.of("stoichiometric", "same_commodity",
      "typical_grade", "hs_definition");

  public static final StructType SCHEMA = new StructType()
      .add("hs6", DataTypes.StringType, false, "HS6 code")
      .add("mineral", DataTypes.StringType, false, "Mineral id as in hs6_minerals.csv")
      .add("content_share", DataTypes.DoubleType, false, "Share of the traded weight counted "
          + "in the production series' measure, above 0 and at most 1")
      .add("basis", DataTypes.StringType, false, "stoichiometric, same_commodity, typical_grade "
          + "or hs_definition")
      .add("source", DataTypes.StringType, false, "Where the factor comes from")
      .add("note", DataTypes.StringType, true, "How the factor is read");

  private ContentFactors() {}

  /** Reads and checks {@code <referenceDir>/content_factors.csv}. */
  public static Dataset<Row> load(SparkSession spark, Location referenceDir) {
    return load(spark, referenceDir.resolve(FILE).toString());
  }

  /**
   * Reads and checks a file in the {@link #SCHEMA} layout: six-digit codes, a share in (0, 1],
   * a known basis, one factor per code and mineral. A bad row stops the run naming file, row and
   * column.
   */
  public static Dataset<Row> load(SparkSession spark, String file) {
    List<Row> rows = ReferenceCsv.read(spark.sparkContext().hadoopConfiguration(), file, SCHEMA);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      String hs6 = r.getString(0);
      if (!hs6.matches("[0-9]{6}")) {
        throw ReferenceCsv.problem(file, i, "column hs6: '" + hs6 + "' is not six digits");
      }
      double share = r.getDouble(2);
      if (!(share > 0 && share <= 1)) {
        throw ReferenceCsv.problem(file, i, "column content_share: " + share
            + " is not above 0 and at most 1");
      }
      if (!BASES.contains(r.getString(3))) {
        throw ReferenceCsv.problem(file, i, "column basis: '" + r.getString(3)
            + "', expected one of " + BASES);
      }
      if (r.getString(4).isBlank()) {
        throw ReferenceCsv.problem(file, i, "column source: a factor needs its source");
      }
      if (!seen.add(hs6 + "|" + r.getString(1))) {
        throw ReferenceCsv.problem(file, i, "column hs6: " + hs6 + " and mineral "
            + r.getString(1) + " given twice");
      }
    }
    return spark.createDataFrame(rows, SCHEMA);
  }
}
