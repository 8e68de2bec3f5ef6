package org.critmin.concentration;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.reference.Governance;

/**
 * Governance-weighted concentration, {@code HHI_WGI,t = sum_c s_c^2 * WGI_c * t_c} (European
 * Commission, JRC, "Methodology for establishing the EU list of critical raw materials:
 * Guidelines", 2017; docs/methods.md, "Governance-weighted HHI and EU supply risk"), with shares
 * {@code s_c} as fractions 0..1 and {@code WGI_c} the scaled score 0..10 of
 * {@link Governance#scaled}, so the result is on 0..10 (10: one supplier of the worst
 * governance).
 *
 * <p>Choices, documented because they change the numbers:
 * <ul>
 *   <li>Only WGI Political Stability (PV.EST) is used; see {@link Governance}.
 *   <li>Year matching: a supplier's WGI is its latest non-missing estimate of a year at or before
 *       the data year, at most {@link Options#maxWgiLagYears()} years older (default
 *       {@value #DEFAULT_MAX_WGI_LAG_YEARS}). The World Bank published 1996, 1998 and 2000 only,
 *       then yearly up to 2023, so 2024 data use 2023 estimates. A later estimate is never used
 *       for an earlier year.
 *   <li>Missing WGI: a supplier without an estimate in that window contributes nothing to
 *       {@code hhi_wgi}, and its share is reported in {@code wgi_missing_share}. Shares are not
 *       renormalised over the suppliers with WGI, so {@code hhi_wgi} is a lower bound whose gap
 *       is at most {@code 10 * wgi_missing_share^2}; it is null when no supplier has WGI. A missing
 *       score never counts as good governance.
 *   <li>Trade-restriction factor {@code t_c}: 1.0 unless a {@link TradeRestriction} names the
 *       supplier and mineral (the EU method uses 0.8 for trade-agreement partners and 1.1 to 1.5
 *       for export restrictions).
 * </ul>
 */
public final class GovernanceWeighting {

  /** Default: a WGI estimate may be up to three years older than the data. */
  public static final int DEFAULT_MAX_WGI_LAG_YEARS = 3;

  /** Input column holding the supplier's ISO3 code. */
  public static final String PARTNER = "partner";
  /** Input column holding the supplier's share of its group, 0..1. */
  public static final String SHARE = "share";
  /** Output column of {@link #withLatestEstimate}: the WGI PV.EST estimate used. */
  public static final String PV_EST = "pv_est";

  private static final StructType RESTRICTION_SCHEMA = new StructType()
      .add("tr_mineral", DataTypes.StringType, false)
      .add("tr_iso3", DataTypes.StringType, false)
      .add("tr_factor", DataTypes.DoubleType, false);

  private GovernanceWeighting() {}

  /** The trade-restriction factor {@code t_c} of one supplier for one mineral. */
  public record TradeRestriction(String mineral, String iso3, double factor) {
    public TradeRestriction {
      if (mineral == null || iso3 == null || !(factor > 0) || Double.isInfinite(factor)) {
        throw new IllegalArgumentException("trade restriction needs a mineral, an iso3 and a "
            + "positive factor: " + mineral + ", " + iso3 + ", " + factor);
      }
    }
  }

  /**
   * How the data meet the WGI table.
   *
   * @param yearColumn the integer year column of the groups (one of the group keys)
   * @param mineralColumn the mineral column of the groups; needed only with restrictions
   * @param maxWgiLagYears how many years older than the data a WGI estimate may be (0: same year)
   * @param restrictions trade-restriction factors; suppliers not named get 1.0
   */
  public record Options(String yearColumn, String mineralColumn, int maxWgiLagYears,
      List<TradeRestriction> restrictions) {
    public Options {
      if (maxWgiLagYears < 0) {
        throw new IllegalArgumentException("maxWgiLagYears must be >= 0: " + maxWgiLagYears);
      }
      restrictions = List.copyOf(restrictions);
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (TradeRestriction t : restrictions) {
        if (!seen.add(t.mineral() + "|" + t.iso3())) {
          throw new IllegalArgumentException("trade restriction for " + t.mineral() + ", "
              + t.iso3() + " given twice");
        }
      }
    }

    /** {@code year}, {@code mineral}, a three-year lag, no restrictions. */
    public static Options defaults() {
      return new Options("year", "mineral", DEFAULT_MAX_WGI_LAG_YEARS, List.of());
    }

    public Options withRestrictions(List<TradeRestriction> factors) {
      return new Options(yearColumn, mineralColumn, maxWgiLagYears, factors);
    }
  }

  /**
   * Shares of each supplier in its group, from rows of (keys..., {@code partnerColumn},
   * {@code valueColumn}): several rows of one supplier are summed, suppliers with a positive sum
   * are kept, and {@code share = value / sum(value)} over the group. Rows that are not suppliers
   * (world totals, unallocated areas) must be filtered out by the caller. Returns keys...,
   * {@value #PARTNER}, {@value #SHARE}.
   */
  public static Dataset<Row> sharesOf(Dataset<Row> rows, List<String> keys, String partnerColumn,
      String valueColumn) {
    List<Column> byPartner = new ArrayList<>(columns(keys));
    byPartner.add(col(partnerColumn).as(PARTNER));
    return rows.groupBy(byPartner.toArray(Column[]::new))
        .agg(sum(valueColumn).as("value"))
        .filter(col("value").gt(0))
        .withColumn(SHARE, col("value").divide(sum("value").over(
            Window.partitionBy(columns(keys).toArray(Column[]::new)))))
        .drop("value");
  }

  /**
   * {@code hhi_wgi} (0..10) and {@code wgi_missing_share} (0..1) per group of {@code keys}, from
   * rows of (keys..., {@value #PARTNER}, {@value #SHARE}) with shares as fractions of the group
   * (as {@link #sharesOf} makes them) and {@code wgi} in the {@link Governance#WGI_SCHEMA} layout.
   * Groups without a positive share produce no row.
   */
  public static Dataset<Row> byGroup(Dataset<Row> shares, List<String> keys, Dataset<Row> wgi,
      Options options) {
    if (!keys.contains(options.yearColumn())) {
      throw new IllegalArgumentException("the year column " + options.yearColumn()
          + " must be one of the group keys " + keys);
    }
    List<String> supplierKeys = new ArrayList<>(keys);
    supplierKeys.add(PARTNER);
    Dataset<Row> perSupplier = shares.groupBy(columns(supplierKeys).toArray(Column[]::new))
        .agg(sum(SHARE).as(SHARE))
        .filter(col(SHARE).gt(0));

    Dataset<Row> withWgi = latestWgi(perSupplier, wgi, options);
    Column factor = lit(1.0);
    if (!options.restrictions().isEmpty()) {
      withWgi = withRestrictions(withWgi, options);
      factor = coalesce(col("tr_factor"), lit(1.0));
    }
    Column s = col(SHARE);
    Column known = col("wgi_scaled").isNotNull();
    return withWgi
        .groupBy(columns(keys).toArray(Column[]::new))
        .agg(
            sum(when(known, s.multiply(s).multiply(col("wgi_scaled")).multiply(factor)))
                .as("hhi_wgi"),
            coalesce(sum(when(col("wgi_scaled").isNull(), s)), lit(0.0))
                .as("wgi_missing_share"));
  }

  /**
   * {@code metrics} (one row per group of {@code keys}) with {@code hhi_wgi} and
   * {@code wgi_missing_share} from {@link #byGroup}, replacing columns of those names. The join
   * is null-safe on every key, so nullable keys such as {@code month} (null for annual data) match;
   * groups without a positive share get nulls. The per-group side is small and broadcast.
   */
  public static Dataset<Row> attach(Dataset<Row> metrics, Dataset<Row> shares, List<String> keys,
      Dataset<Row> wgi, Options options) {
    Dataset<Row> weighted = byGroup(shares, keys, wgi, options);
    Column match = lit(true);
    for (String k : keys) {
      weighted = weighted.withColumnRenamed(k, "gw_" + k);
      match = match.and(metrics.col(k).eqNullSafe(col("gw_" + k)));
    }
    Dataset<Row> joined = metrics.drop("hhi_wgi", "wgi_missing_share")
        .join(broadcast(weighted), match, "left");
    return joined.drop(keys.stream().map(k -> "gw_" + k).toArray(String[]::new));
  }

  /**
   * Adds {@code wgi_scaled}: the supplier's scaled WGI of the latest year at or before the data
   * year within the lag, or null.
   */
  private static Dataset<Row> latestWgi(Dataset<Row> perSupplier, Dataset<Row> wgi,
      Options options) {
    return withLatestEstimate(perSupplier, PARTNER, options.yearColumn(), wgi,
            options.maxWgiLagYears())
        .withColumn("wgi_scaled", Governance.scaled(col(PV_EST)))
        .drop(PV_EST);
  }

  /**
   * Adds {@value #PV_EST} to every row of {@code rows}: the WGI Political Stability estimate of
   * the row's country for its year, that is the estimate of the latest WGI year at or before the
   * year and at most {@code maxLagYears} older, null where there is none.
   *
   * <p>The WGI table is turned into one row per country and data year it can serve (each estimate
   * covers its own year and the {@code maxLagYears} after it, the latest covering estimate wins)
   * and broadcast, so the rows are matched on equality without being shuffled; the WGI table is a
   * few thousand rows.
   */
  public static Dataset<Row> withLatestEstimate(Dataset<Row> rows, String countryColumn,
      String yearColumn, Dataset<Row> wgi, int maxLagYears) {
    Dataset<Row> byDataYear = wgi.filter(col("pv_est").isNotNull())
        .select(col("iso3").as("wgi_iso3"),
            explode(sequence(col("year"), col("year").plus(maxLagYears))).as("wgi_data_year"),
            struct(col("year"), col("pv_est")).as("estimate"))
        .groupBy(col("wgi_iso3"), col("wgi_data_year"))
        .agg(max(col("estimate")).getField("pv_est").as(PV_EST));
    Column match = col(countryColumn).equalTo(col("wgi_iso3"))
        .and(col(yearColumn).equalTo(col("wgi_data_year")));
    return rows.join(broadcast(byDataYear), match, "left").drop("wgi_iso3", "wgi_data_year");
  }

  private static Dataset<Row> withRestrictions(Dataset<Row> rows, Options options) {
    if (options.mineralColumn() == null) {
      throw new IllegalArgumentException("trade restrictions need a mineral column");
    }
    List<Row> factors = options.restrictions().stream()
        .map(t -> RowFactory.create(t.mineral(), t.iso3(), t.factor())).toList();
    Dataset<Row> table = rows.sparkSession().createDataFrame(factors, RESTRICTION_SCHEMA);
    Column match = col(options.mineralColumn()).equalTo(col("tr_mineral"))
        .and(col(PARTNER).equalTo(col("tr_iso3")));
    return rows.join(broadcast(table), match, "left").drop("tr_mineral", "tr_iso3");
  }

  private static List<Column> columns(List<String> names) {
    return names.stream().map(org.apache.spark.sql.functions::col).toList();
  }
}
