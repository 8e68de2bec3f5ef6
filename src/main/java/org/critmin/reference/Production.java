package org.critmin.reference;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.Location;

/**
 * Mine and refinery production by country from {@code conf/reference/production/production.csv}:
 * the USGS Mineral Commodity Summaries 2025 world tables (2023, and 2024 estimated) and the British
 * Geological Survey World Mineral Statistics (1971-2023), made tidy by
 * {@code conf/reference/build/build_reference.py} (origin and derivation in sample-data/SOURCES.md).
 *
 * <p>One (source, mineral, stage, unit, year) group holds one measure: sub-series that measure
 * something else (lithium minerals by gross weight, rare-earth mineral concentrates, ferro-alloys)
 * carry a stage of their own, so quantities of one group can be added. A country may have several
 * rows in a group where the source splits its output (BGS lithium content of spodumene and of
 * lepidolite); they are summed. Only {@code kind = country} rows enter shares; USGS world totals
 * ({@code world}) and "Other countries" ({@code other}) are kept for reference.
 */
public final class Production {

  /** Location of the tidy production file under the reference folder. */
  public static final String FILE = "production/production.csv";

  public static final StructType SCHEMA = new StructType()
      .add("source", DataTypes.StringType, false, "usgs (MCS 2025) or bgs (World Mineral "
          + "Statistics)")
      .add("mineral", DataTypes.StringType, false, "Mineral id as in hs6_minerals.csv")
      .add("stage", DataTypes.StringType, false, "mine, refined, smelter, or a product of its own "
          + "(spodumene, ferro_manganese...)")
      .add("series", DataTypes.StringType, false, "The source's commodity and type or "
          + "sub-commodity label")
      .add("year", DataTypes.IntegerType, false, "Production year")
      .add("country_name_raw", DataTypes.StringType, false, "Country as written in the source")
      .add("iso3", DataTypes.StringType, true, "ISO3 code; empty for world, other and unresolved")
      .add("kind", DataTypes.StringType, false, "country, world (a world total), other (Other "
          + "countries) or unresolved")
      .add("quantity", DataTypes.DoubleType, true, "Production in unit; null where the source has "
          + "no figure, 0 where it says nil")
      .add("unit", DataTypes.StringType, false, "Unit and basis, e.g. tonnes (metal content)")
      .add("note", DataTypes.StringType, true, "Estimates, qualifiers and the source's notes");

  public static final List<String> SOURCES = List.of("usgs", "bgs");
  public static final List<String> KINDS = List.of("country", "world", "other", "unresolved");
  /** The only kind whose rows are a producer with a share. */
  public static final String COUNTRY = "country";

  private Production() {}

  /**
   * Reads and checks {@code <referenceDir>/production/production.csv}: known source and kind,
   * an ISO3 code on every country row, non-negative quantities, plausible years. A malformed file
   * stops the run (exit 2) naming the file and row.
   */
  public static Dataset<Row> load(SparkSession spark, Location referenceDir) {
    return load(spark, referenceDir.resolve(FILE).toString());
  }

  /**
   * Checks one row of a file of country figures (production here, capacity and reserves in
   * {@link Resources}): a known source and kind, an ISO3 code on every country row, a plausible
   * year and no negative figure; a bad row stops the run naming the file, row and column.
   */
  static void checkHolding(String file, int i, Row r, StructType schema) {
    String source = r.getString(schema.fieldIndex("source"));
    if (!SOURCES.contains(source)) {
      throw ReferenceCsv.problem(file, i, "source '" + source + "', expected one of " + SOURCES);
    }
    String kind = r.getString(schema.fieldIndex("kind"));
    if (!KINDS.contains(kind)) {
      throw ReferenceCsv.problem(file, i, "kind '" + kind + "', expected one of " + KINDS);
    }
    int iso3 = schema.fieldIndex("iso3");
    if (COUNTRY.equals(kind) && (r.isNullAt(iso3) || !r.getString(iso3).matches("[A-Z]{3}"))) {
      throw ReferenceCsv.problem(file, i, "a country row needs a three-letter iso3, found '"
          + (r.isNullAt(iso3) ? "" : r.getString(iso3)) + "'");
    }
    int year = r.getInt(schema.fieldIndex("year"));
    if (year < 1900 || year > 2100) {
      throw ReferenceCsv.problem(file, i, "year " + year + " is not plausible");
    }
    int quantity = schema.fieldIndex("quantity");
    if (!r.isNullAt(quantity) && !(r.getDouble(quantity) >= 0)) {
      throw ReferenceCsv.problem(file, i, "quantity " + r.getDouble(quantity)
          + " is negative or not a number");
    }
  }

  /** Reads and checks a production file in the {@link #SCHEMA} layout. */
  public static Dataset<Row> load(SparkSession spark, String file) {
    List<Row> rows = ReferenceCsv.read(spark.sparkContext().hadoopConfiguration(), file, SCHEMA);
    for (int i = 0; i < rows.size(); i++) {
      checkHolding(file, i, rows.get(i), SCHEMA);
    }
    return spark.createDataFrame(rows, SCHEMA);
  }
}
