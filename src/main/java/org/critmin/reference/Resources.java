package org.critmin.reference;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.Location;

/**
 * Capacity and reserves by country from {@code conf/reference/production/resources.csv}: the
 * capacity (2023, 2024 estimated) and reserves (2024) columns of the USGS Mineral Commodity
 * Summaries 2025 world table, on the mineral ids, stages and country codes of
 * {@link Production}, made tidy by {@code conf/reference/build/build_reference.py} (origin in
 * sample-data/SOURCES.md). A newer edition is added by running that script on it; where two
 * editions give the same mineral, stage, measure and year, the newer edition's figures replace
 * the older's as a whole (a new edition revises estimates and may list other countries).
 *
 * <p>As in {@link Production}, only {@code kind = country} rows are a holder with a share; the
 * source's "World total (rounded)" ({@code world}) and "Other countries" ({@code other}) rows
 * are kept for the totals. {@code lower_bound} marks figures the source gives as "more than"
 * (world reserves of nickel and rare earths, for example).
 */
public final class Resources {

  /** Location of the tidy file under the reference folder. */
  public static final String FILE = "production/resources.csv";

  /** The measures of the file; production comes from {@link Production}. */
  public static final List<String> MEASURES = List.of("capacity", "reserves");

  public static final StructType SCHEMA = new StructType()
      .add("source", DataTypes.StringType, false, "usgs")
      .add("edition", DataTypes.StringType, false, "Edition of the source, e.g. MCS2025")
      .add("mineral", DataTypes.StringType, false, "Mineral id as in hs6_minerals.csv")
      .add("stage", DataTypes.StringType, false, "Stage of the production series the figure "
          + "belongs to (mine, refined, sponge...)")
      .add("measure", DataTypes.StringType, false, "capacity or reserves")
      .add("series", DataTypes.StringType, false, "The source's commodity and type")
      .add("year", DataTypes.IntegerType, false, "Year of the capacity, or of the reserves")
      .add("country_name_raw", DataTypes.StringType, false, "Country as written in the source")
      .add("iso3", DataTypes.StringType, true, "ISO3 code; empty for world, other, unresolved")
      .add("kind", DataTypes.StringType, false, "country, world, other or unresolved")
      .add("quantity", DataTypes.DoubleType, true, "Figure in unit; null where the source has a "
          + "note only")
      .add("lower_bound", DataTypes.BooleanType, false, "The source gives the figure as more "
          + "than (>) this")
      .add("unit", DataTypes.StringType, false, "Unit and basis")
      .add("note", DataTypes.StringType, true, "The source's notes and qualifiers");

  private Resources() {}

  /** Reads and checks {@code <referenceDir>/production/resources.csv}. */
  public static Dataset<Row> load(SparkSession spark, Location referenceDir) {
    return load(spark, referenceDir.resolve(FILE).toString());
  }

  /**
   * Reads and checks a file in the {@link #SCHEMA} layout: a known source, measure and kind, an
   * ISO3 code on every country row, a plausible year and no negative figure. A bad row stops the
   * run (exit 2) naming the file, row and column.
   */
  public static Dataset<Row> load(SparkSession spark, String file) {
    List<Row> rows = ReferenceCsv.read(spark.sparkContext().hadoopConfiguration(), file, SCHEMA);
    int measure = SCHEMA.fieldIndex("measure");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      Production.checkHolding(file, i, r, SCHEMA);
      if (!MEASURES.contains(r.getString(measure))) {
        throw ReferenceCsv.problem(file, i, "measure '" + r.getString(measure)
            + "', expected one of " + MEASURES);
      }
    }
    return spark.createDataFrame(newestEditions(rows), SCHEMA);
  }

  /**
   * The rows of the newest edition (editions compare as text: MCS2025 before MCS2026) for each
   * source, mineral, stage, measure and year.
   */
  static List<Row> newestEditions(List<Row> rows) {
    int edition = SCHEMA.fieldIndex("edition");
    Map<List<Object>, String> newest = new HashMap<>();
    for (Row r : rows) {
      newest.merge(figureKey(r), r.getString(edition),
          (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }
    return rows.stream().filter(r -> r.getString(edition).equals(newest.get(figureKey(r))))
        .toList();
  }

  private static List<Object> figureKey(Row r) {
    return List.of(r.getString(SCHEMA.fieldIndex("source")),
        r.getString(SCHEMA.fieldIndex("mineral")), r.getString(SCHEMA.fieldIndex("stage")),
        r.getString(SCHEMA.fieldIndex("measure")), r.getInt(SCHEMA.fieldIndex("year")));
  }
}
