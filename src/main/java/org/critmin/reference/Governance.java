package org.critmin.reference;

import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.Location;

/**
 * Governance scores of producing and exporting countries: the World Bank Worldwide Governance
 * Indicators (WGI), dimension "Political Stability and Absence of Violence/Terrorism", estimate
 * (indicator code PV.EST), from {@code conf/reference/wgi/wgi_pv.csv}.
 *
 * <p>Only PV.EST is used. The EU criticality method (European Commission, JRC, "Methodology for
 * establishing the EU list of critical raw materials: Guidelines", 2017; docs/methods.md,
 * "Governance-weighted HHI and EU supply risk") takes the mean of all six WGI estimates; critmin
 * has the political-stability estimate only, so {@code x = PV.EST} and every output built on it
 * says so in its column comment. Estimates are in units of a standard normal distribution, about
 * -2.5 (worst) .. +2.5 (best).
 */
public final class Governance {

  /** Location of the tidy WGI file under the reference folder. */
  public static final String FILE = "wgi/wgi_pv.csv";

  /** {@code wgi_pv.csv}: one row per country (no aggregates) and year the World Bank published. */
  public static final StructType WGI_SCHEMA = new StructType()
      .add("iso3", DataTypes.StringType, false, "ISO 3166 alpha-3 code as the World Bank uses it "
          + "(XKX for Kosovo)")
      .add("country_name", DataTypes.StringType, true, "World Bank country name")
      .add("year", DataTypes.IntegerType, false, "Year of the estimate")
      .add("pv_est", DataTypes.DoubleType, true, "WGI Political Stability and Absence of "
          + "Violence/Terrorism: Estimate (PV.EST), about -2.5..2.5, higher is better; null where "
          + "the World Bank has no estimate");

  /** The scaled score's bounds: 0 is the best governance, 10 the worst. */
  public static final double SCALED_MIN = 0.0;
  public static final double SCALED_MAX = 10.0;

  /** Estimates outside this range are taken as a broken file, not as data. */
  static final double PV_EST_LIMIT = 4.0;

  private Governance() {}

  /**
   * Reads and checks {@code <referenceDir>/wgi/wgi_pv.csv}: ISO3 codes of three capital letters,
   * one row per country and year, estimates within -4..4. A malformed file stops the run (exit 2)
   * naming the file and row.
   */
  public static Dataset<Row> load(SparkSession spark, Location referenceDir) {
    String file = referenceDir.resolve(FILE).toString();
    List<Row> rows = ReferenceCsv.read(spark.sparkContext().hadoopConfiguration(), file, WGI_SCHEMA);
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      String iso3 = r.getString(0);
      if (!iso3.matches("[A-Z]{3}")) {
        throw ReferenceCsv.problem(file, i, "iso3 '" + iso3 + "' is not three capital letters");
      }
      if (!keys.add(iso3 + "|" + r.getInt(2))) {
        throw ReferenceCsv.problem(file, i, iso3 + " " + r.getInt(2) + " appears twice");
      }
      if (!r.isNullAt(3) && Math.abs(r.getDouble(3)) > PV_EST_LIMIT) {
        throw ReferenceCsv.problem(file, i, "pv_est " + r.getDouble(3) + " of " + iso3
            + " is outside -" + PV_EST_LIMIT + ".." + PV_EST_LIMIT);
      }
    }
    return spark.createDataFrame(rows, WGI_SCHEMA);
  }

  /**
   * The governance score on the supply-risk scale, {@code WGI_scaled = clamp(5 - 2x, 0, 10)} with
   * {@code x = PV.EST}: the fixed bounds -2.5 and +2.5 map to 10 and 0, estimates beyond them are
   * clamped. A missing estimate stays null: it never becomes "perfect governance" (0).
   */
  public static Column scaled(Column pvEst) {
    Column raw = lit(5.0).minus(pvEst.multiply(2.0));
    // greatest and least skip nulls, so the null case is kept apart explicitly.
    return when(pvEst.isNotNull(), least(greatest(raw, lit(SCALED_MIN)), lit(SCALED_MAX)));
  }
}
