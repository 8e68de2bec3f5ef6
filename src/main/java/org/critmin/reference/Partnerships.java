package org.critmin.reference;

import java.sql.Date;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.Location;

/**
 * {@code partnerships.csv}: the critical-minerals agreements and groupings, one row per framework
 * and partner, with the date the partner signed or joined, the date it ended, the minerals and the
 * instruments named, a source and a confidence. A row without a partner stands for members no
 * public source names. Read to the driver (a few hundred rows at most) and checked, so that an
 * analyst can join {@code critmin_gold.partnerships} to trade by partner and date.
 */
public final class Partnerships {

  /** The columns of {@code partnerships.csv}. */
  public static final StructType CSV_SCHEMA = new StructType()
      .add("framework", DataTypes.StringType, false, "The agreement's name")
      .add("kind", DataTypes.StringType, false, "bilateral_mou, framework, action_plan, "
          + "multilateral_partnership, trade_zone or agreement")
      .add("partner_iso3", DataTypes.StringType, true, "The partner (ISO3; EUR the European "
          + "Union); empty when no source names it")
      .add("signed", DataTypes.StringType, false, "Signed or joined: YYYY-MM-DD or YYYY-MM")
      .add("ended", DataTypes.StringType, true, "Ended or superseded; empty while in force")
      .add("minerals", DataTypes.StringType, false, "all, or mineral ids ';'-separated")
      .add("instruments", DataTypes.StringType, false, "price_floor, offtake, finance, stockpile, "
          + "investment, trade_zone, cooperation; ';'-separated")
      .add("source", DataTypes.StringType, false, "Sources, ' ; '-separated")
      .add("confidence", DataTypes.StringType, false, "verified, reported, sources_disagree or "
          + "unnamed")
      .add("note", DataTypes.StringType, true, "What the source says; gaps and disagreements");

  /** The rows as the pipeline writes them ({@code critmin_gold.partnerships}, without run_id). */
  public static final StructType SCHEMA = new StructType()
      .add("framework", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("partner_iso3", DataTypes.StringType, true)
      .add("signed_date", DataTypes.DateType, false)
      .add("signed_precision", DataTypes.StringType, false)
      .add("ended_date", DataTypes.DateType, true)
      .add("minerals", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("instruments", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("source", DataTypes.StringType, false)
      .add("confidence", DataTypes.StringType, false)
      .add("note", DataTypes.StringType, true);

  static final Set<String> KINDS = Set.of("bilateral_mou", "framework", "action_plan",
      "multilateral_partnership", "trade_zone", "agreement");
  static final Set<String> INSTRUMENTS = Set.of("price_floor", "offtake", "finance", "stockpile",
      "investment", "trade_zone", "cooperation");
  static final Set<String> CONFIDENCE = Set.of("verified", "reported", "sources_disagree",
      "unnamed");
  /** The file name in the reference folder. */
  public static final String FILE = "partnerships.csv";
  /** Every mineral, in {@code minerals}. */
  public static final String ALL_MINERALS = "all";

  private Partnerships() {}

  /**
   * Reads and checks {@code dir/partnerships.csv}: known kinds, instruments and confidence, ISO3
   * partners (empty only with confidence unnamed), dates that parse and end after they start,
   * minerals of the HS map; a bad row stops the run (exit 2) naming the file, row and column.
   */
  public static Dataset<Row> load(SparkSession spark, Location dir, Set<String> minerals) {
    return spark.createDataFrame(read(spark, dir, minerals), SCHEMA);
  }

  /** The checked rows of {@link #load}, in {@link #SCHEMA}, on the driver. */
  static List<Row> read(SparkSession spark, Location dir, Set<String> minerals) {
    String file = dir.resolve(FILE).toString();
    List<Row> rows = ReferenceCsv.read(spark.sparkContext().hadoopConfiguration(), file,
        CSV_SCHEMA);
    List<Row> out = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      String framework = r.getString(0).trim();
      String kind = r.getString(1).trim();
      if (!KINDS.contains(kind)) {
        throw ReferenceCsv.problem(file, i, "kind '" + kind + "' is not one of " + sorted(KINDS));
      }
      String partner = r.isNullAt(2) || r.getString(2).isBlank() ? null : r.getString(2).trim();
      String confidence = r.getString(8).trim();
      if (!CONFIDENCE.contains(confidence)) {
        throw ReferenceCsv.problem(file, i, "confidence '" + confidence + "' is not one of "
            + sorted(CONFIDENCE));
      }
      if (partner == null ? !confidence.equals("unnamed") : !partner.matches("[A-Z]{3}")) {
        throw ReferenceCsv.problem(file, i, partner == null
            ? "partner_iso3 is empty but confidence is not unnamed"
            : "partner_iso3 '" + partner + "' is not an ISO3 code");
      }
      String signedText = r.getString(3).trim();
      LocalDate signed = date(file, i, "signed", signedText);
      LocalDate ended = r.isNullAt(4) || r.getString(4).isBlank() ? null
          : date(file, i, "ended", r.getString(4).trim());
      if (ended != null && ended.isBefore(signed)) {
        throw ReferenceCsv.problem(file, i, "ended " + ended + " is before signed " + signed);
      }
      List<String> mineralList = ShockEvents.split(r.getString(5));
      if (!mineralList.equals(List.of(ALL_MINERALS))) {
        for (String mineral : mineralList) {
          if (!minerals.contains(mineral)) {
            throw ReferenceCsv.problem(file, i, "minerals holds '" + mineral + "', not all and "
                + "not a mineral of hs6_minerals.csv");
          }
        }
      }
      List<String> instruments = ShockEvents.split(r.getString(6));
      for (String instrument : instruments) {
        if (!INSTRUMENTS.contains(instrument)) {
          throw ReferenceCsv.problem(file, i, "instruments holds '" + instrument
              + "', not one of " + sorted(INSTRUMENTS));
        }
      }
      if (partner != null && !keys.add(framework + "|" + partner + "|" + signed)) {
        throw ReferenceCsv.problem(file, i, framework + " lists " + partner + " twice for "
            + signed);
      }
      out.add(RowFactory.create(framework, kind, partner, Date.valueOf(signed),
          signedText.length() == 10 ? "day" : "month", ended == null ? null : Date.valueOf(ended),
          mineralList.toArray(String[]::new), instruments.toArray(String[]::new),
          r.getString(7).trim(), confidence, r.isNullAt(9) ? null : r.getString(9).trim()));
    }
    return List.copyOf(out);
  }

  /** {@link ShockEvents#date} of a day or a month; a year alone is too coarse for a signing. */
  private static LocalDate date(String file, int row, String column, String value) {
    if (value.matches("\\d{4}-\\d{2}(-\\d{2})?")) {
      try {
        return ShockEvents.date(value);
      } catch (DateTimeException e) {
        // reported below
      }
    }
    throw ReferenceCsv.problem(file, row, column + " '" + value + "' is not a date (YYYY-MM-DD "
        + "or YYYY-MM)");
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }
}
