package org.critmin.concentration;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.critmin.reference.BlocMembership;

/**
 * Concentration of a total over partners (suppliers of the world, or one reporter's partners).
 *
 * <p>Formulas (docs/methods.md, "Concentration"): shares {@code s_c = v_c / sum(v)} over partners with a
 * positive value; {@code HHI = sum((100 s_c)^2)} on 0..10000, computed as
 * {@code 10000 * sum(v^2) / sum(v)^2}; normalised {@code HHI* = (HHI/10000 - 1/N) / (1 - 1/N)} for
 * N > 1, 1 for N = 1; top-1 and top-3 shares with ties broken by ISO3 code so results are stable.
 * Unallocated partners (areas nes, special categories) are reported apart, outside the shares.
 */
public final class Concentration {

  private Concentration() {}

  /**
   * Optional boolean input column: the partner is of concern in that row's year. Where the rows
   * carry it ({@link ConcentrationJob} marks them from the named list and the WGI threshold),
   * {@code concern_share} counts it; otherwise it counts {@link Groups#concern()}.
   */
  public static final String CONCERN_FLAG = "partner_concern";

  /**
   * Boolean column of {@link #perPartner} rows: the partner is in {@link Groups#bloc()} at the end
   * of the row's period, for its mineral.
   */
  public static final String BLOC_FLAG = "partner_in_bloc";

  /**
   * Country groups and thresholds the metrics use. Countries of concern are the named
   * {@code concern} list plus, where {@code concernWgiThreshold} is set and the rows were marked
   * by {@link #markConcern}, the countries whose WGI Political Stability estimate is below it.
   */
  public record Groups(List<String> chinaLinked, BlocMembership bloc, List<String> concern,
      Double concernWgiThreshold, double moderateThreshold, double highThreshold) {}

  /**
   * Adds {@value #CONCERN_FLAG} to rows of ({@code partner}, {@code year}, ...): the partner is in
   * the named concern list, or its latest WGI PV.EST estimate at or before the year (at most
   * {@link GovernanceWeighting#DEFAULT_MAX_WGI_LAG_YEARS} years older) is below the threshold.
   * A partner without an estimate is of concern only by name: a missing score is not evidence of
   * instability.
   */
  public static Dataset<Row> markConcern(Dataset<Row> rows, Groups groups, Dataset<Row> wgi) {
    Column named = col("partner").isin(groups.concern().toArray());
    if (groups.concernWgiThreshold() == null) {
      return rows.withColumn(CONCERN_FLAG, named);
    }
    Column unstable = coalesce(col(GovernanceWeighting.PV_EST)
        .lt(groups.concernWgiThreshold()), lit(false));
    return GovernanceWeighting.withLatestEstimate(rows, "partner", "year", wgi,
            GovernanceWeighting.DEFAULT_MAX_WGI_LAG_YEARS)
        .withColumn(CONCERN_FLAG, named.or(unstable))
        .drop(GovernanceWeighting.PV_EST);
  }

  /**
   * Computes the metrics per group of {@code keys}, from rows of (keys..., {@code partner},
   * {@code partner_kind}, {@code value_usd}, {@code net_kg}); several rows of one partner are summed.
   * The result has the keys plus {@code n}, the value and weight totals, the HHI family, top-k,
   * group shares, {@code unallocated_value_usd} and {@code concentration_level}.
   */
  public static Dataset<Row> byPartner(Dataset<Row> rows, List<String> keys, Groups groups) {
    return metrics(perPartner(rows, keys, groups), keys, groups);
  }

  /**
   * The first step of {@link #byPartner}: one row per group and partner ({@code partner_kind}
   * kept), with the summed {@code value} and positive {@code kg} and whether the partner is of
   * concern. Callers that also need {@link #countedShares} start from these rows, so the input is
   * aggregated once for both.
   */
  public static Dataset<Row> perPartner(Dataset<Row> rows, List<String> keys, Groups groups) {
    List<String> partnerKey = new ArrayList<>(keys);
    partnerKey.add("partner");
    partnerKey.add("partner_kind");
    List<String> columns = java.util.Arrays.asList(rows.columns());
    Dataset<Row> marked = columns.contains(CONCERN_FLAG) ? rows
        : rows.withColumn(CONCERN_FLAG, col("partner").isin(groups.concern().toArray()));
    Column inBloc = groups.bloc().terms().isEmpty() ? lit(false)
        : groups.bloc().contains(col("partner"), BlocMembership.periodEnd(col("year"),
            columns.contains("month") ? col("month") : lit(null).cast("int")), col("mineral"));
    return marked.groupBy(columns(partnerKey))
        .agg(sum("value_usd").as("value"), sum(when(col("net_kg").gt(0), col("net_kg")))
            .as("kg"), max(col(CONCERN_FLAG)).as(CONCERN_FLAG), max(inBloc).as(BLOC_FLAG));
  }

  /**
   * The shares the metrics count, from {@link #perPartner} rows: each country partner with a
   * positive value, as a fraction of its group's total, in the (keys...,
   * {@value GovernanceWeighting#PARTNER}, {@value GovernanceWeighting#SHARE}) layout that
   * {@link GovernanceWeighting#byGroup} takes.
   */
  public static Dataset<Row> countedShares(Dataset<Row> perPartner, List<String> keys) {
    return perPartner.filter(counted())
        .select(columnsWith(keys, col("partner").as(GovernanceWeighting.PARTNER),
            col("value").divide(sum("value").over(Window.partitionBy(columns(keys))))
                .as(GovernanceWeighting.SHARE)));
  }

  /** The metrics of {@link #byPartner} from its {@link #perPartner} rows. */
  public static Dataset<Row> metrics(Dataset<Row> perPartner, List<String> keys, Groups groups) {
    Column counted = counted();
    WindowSpec byValue = Window.partitionBy(columns(keys))
        .orderBy(when(counted, lit(0)).otherwise(lit(1)), col("value").desc_nulls_last(),
            col("partner"));
    Column v = when(counted, col("value"));
    Column kg = when(counted.and(col("kg").gt(0)), col("kg"));
    Dataset<Row> metrics = perPartner
        .withColumn("rank", row_number().over(byValue))
        .groupBy(columns(keys))
        .agg(
            count(v).as("n"),
            coalesce(sum(v), lit(0.0)).as("total_value_usd"),
            sum(v.multiply(v)).as("sum_v2"),
            sum(kg).as("total_net_kg"),
            sum(kg.multiply(kg)).as("sum_kg2"),
            first(when(counted.and(col("rank").equalTo(1)), col("partner")), true)
                .as("top1_iso3"),
            sum(when(col("rank").equalTo(1), v)).as("top1_value"),
            sum(when(col("rank").leq(3), v)).as("top3_value"),
            sum(when(col("partner").isin(groups.chinaLinked().toArray()), v)).as("china_value"),
            sum(when(col(BLOC_FLAG), v)).as("bloc_value"),
            sum(when(col(CONCERN_FLAG), v)).as("concern_value"),
            coalesce(sum(when(col("partner_kind").notEqual("country"), col("value"))), lit(0.0))
                .as("unallocated_value_usd"));

    Column total = col("total_value_usd");
    Column hasTotal = total.gt(0);
    Column hhi = when(hasTotal, col("sum_v2").multiply(10000.0).divide(total.multiply(total)));
    Column n = col("n");
    return metrics
        .withColumn("hhi", hhi)
        .withColumn("hhi_qty", when(col("total_net_kg").gt(0), col("sum_kg2").multiply(10000.0)
            .divide(col("total_net_kg").multiply(col("total_net_kg")))))
        .withColumn("hhi_normalized", when(n.equalTo(1), lit(1.0))
            .when(n.gt(1), col("hhi").divide(10000.0).minus(lit(1.0).divide(n))
                .divide(lit(1.0).minus(lit(1.0).divide(n)))))
        .withColumn("top1_share", when(hasTotal, col("top1_value").divide(total)))
        .withColumn("top3_share", when(hasTotal, col("top3_value").divide(total)))
        .withColumn("china_linked_share", when(hasTotal,
            coalesce(col("china_value"), lit(0.0)).divide(total)))
        .withColumn("bloc_share", when(hasTotal, coalesce(col("bloc_value"), lit(0.0))
            .divide(total)))
        .withColumn("concern_share", when(hasTotal, coalesce(col("concern_value"), lit(0.0))
            .divide(total)))
        .withColumn("concentration_level", level(col("hhi"), groups))
        .drop("sum_v2", "sum_kg2", "top1_value", "top3_value", "china_value", "bloc_value",
            "concern_value");
  }

  /** low, moderate or high against the configured thresholds; null without an HHI. */
  static Column level(Column hhi, Groups groups) {
    return when(hhi.isNull(), lit(null).cast("string"))
        .when(hhi.lt(groups.moderateThreshold()), lit("low"))
        .when(hhi.leq(groups.highThreshold()), lit("moderate"))
        .otherwise(lit("high"));
  }

  /**
   * Adds {@code hhi_change}: HHI minus the HHI of the immediately preceding period of the same series
   * (previous year for annual data, previous month for monthly), null where that period is missing.
   */
  public static Dataset<Row> withHhiChange(Dataset<Row> metrics, List<String> seriesKeys) {
    List<String> partition = new ArrayList<>(seriesKeys);
    partition.add("frequency");
    WindowSpec series = Window.partitionBy(columns(partition)).orderBy("period");
    Column previousPeriod = when(col("month").isNull(), col("year").minus(1).cast("string"))
        .otherwise(when(col("month").equalTo(1),
            concat(col("year").minus(1).cast("string"), lit("-12")))
            .otherwise(format_string("%04d-%s", col("year"),
                lpad(col("month").minus(1).cast("string"), 2, "0"))));
    return metrics
        .withColumn("frequency", when(col("month").isNull(), lit("A")).otherwise(lit("M")))
        .withColumn("prev_period", lag("period", 1).over(series))
        .withColumn("prev_hhi", lag("hhi", 1).over(series))
        .withColumn("hhi_change", when(col("prev_period").equalTo(previousPeriod),
            col("hhi").minus(col("prev_hhi"))))
        .drop("frequency", "prev_period", "prev_hhi");
  }

  /** A partner the shares count: a country with a positive value. */
  private static Column counted() {
    return col("partner_kind").equalTo("country").and(col("value").gt(0));
  }

  private static Column[] columnsWith(List<String> names, Column... more) {
    List<Column> all = new ArrayList<>(java.util.Arrays.asList(columns(names)));
    all.addAll(java.util.Arrays.asList(more));
    return all.toArray(Column[]::new);
  }

  static Column[] columns(List<String> names) {
    return names.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }
}
