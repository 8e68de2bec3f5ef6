package org.critmin.refine;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Turns bronze trade records into silver flows. Every function is a plain Dataset transformation,
 * tested on small frames.
 *
 * <p>Comtrade facts applied here (docs/methods.md, "UN Comtrade facts"): partner 0 is World, a total
 * and never a partner; plus-mode breakdowns repeat a total (partner2 0, customs C00, transport 0 and
 * supply mode 0 are the totals); {@code isAggregate} or an aggregation level below 6 marks aggregates;
 * M already includes re-imports and X re-exports, so only the configured flows are kept.
 */
public final class TradeFlowRefiner {

  private TradeFlowRefiner() {}

  /** Why a bronze record does not reach trade_flows; null when it does. */
  public static final String WORLD = "world";
  public static final String BREAKDOWN = "breakdown";
  public static final String AGGREGATE = "aggregate";
  public static final String OTHER_FLOW = "other_flow";
  public static final String DUPLICATE = "duplicate";
  public static final String CONFLICT = "conflict";
  public static final String SUPERSEDED = "superseded";
  public static final String OUT_OF_SCOPE = "out_of_scope";

  private static final String HS2017 = "HS2017";
  private static final String HS2022 = "HS2022";

  /**
   * Adds {@code flow} (M or X, or null for other flows) and {@code filter_reason} to each bronze
   * record.
   *
   * <p>Revisions: for one reporter, flow, HS6 code and period, the most recently modified file that
   * reports partner figures replaces every older file's figures (reason {@code superseded}), so a
   * corrected file also removes partners it no longer lists. Within the kept figures, a record with
   * the same key (partner and breakdown) as the kept one is a {@code duplicate} when its value is the
   * same and a {@code conflict} when it differs (the later line wins); both are counted.
   */
  public static Dataset<Row> classify(Dataset<Row> records, List<String> importFlows,
      List<String> exportFlows) {
    Column flow = when(col("flow_code").isin(importFlows.toArray()), lit("M"))
        .when(col("flow_code").isin(exportFlows.toArray()), lit("X"));
    Column breakdown = notTotal(col("partner2_code"), lit(0))
        .or(notTotal(col("customs_code"), lit("C00")))
        .or(notTotal(col("mot_code"), lit(0)))
        .or(notTotal(col("mos_code"), lit("0")));
    Column aggregate = coalesce(col("is_aggregate"), lit(false))
        .or(coalesce(col("aggr_level").lt(6), lit(false)));
    Column fileOrder = struct(col("source_modified"), col("source_file"));
    WindowSpec publication = Window.partitionBy("reporter_code", "flow_code", "cmd_code",
        "period");
    WindowSpec sameKey = Window.partitionBy("reporter_code", "partner_code", "flow_code",
            "cmd_code", "period", "partner2_code", "customs_code", "mot_code", "mos_code")
        .orderBy(col("from_newest").desc(), col("source_modified").desc_nulls_last(),
            col("source_file").desc(), col("line_number").desc());
    return records.withColumn("flow", flow)
        .withColumn("filter_reason",
            when(col("partner_code").equalTo(0), lit(WORLD))
                .when(aggregate, lit(AGGREGATE))
                .when(breakdown, lit(BREAKDOWN))
                .when(col("flow").isNull(), lit(OTHER_FLOW)))
        .withColumn("from_newest", fileOrder.equalTo(
            max(when(isPartnerTotal(), fileOrder)).over(publication)))
        .withColumn("rank_in_key", when(isPartnerTotal(), row_number().over(sameKey)))
        .withColumn("kept_value", when(isPartnerTotal(), first("primary_value").over(sameKey)))
        .withColumn("filter_reason",
            when(col("rank_in_key").isNull(), col("filter_reason"))
                .when(not(col("from_newest")), lit(SUPERSEDED))
                .when(col("rank_in_key").equalTo(1), col("filter_reason"))
                .when(col("primary_value").eqNullSafe(col("kept_value")), lit(DUPLICATE))
                .otherwise(lit(CONFLICT)))
        .drop("from_newest", "rank_in_key", "kept_value");
  }

  /** A deduplication candidate: a partner row that is a total, of any flow. */
  private static Column isPartnerTotal() {
    return col("filter_reason").isNull().or(col("filter_reason").equalTo(OTHER_FLOW));
  }

  private static Column notTotal(Column value, Column total) {
    return value.isNotNull().and(value.notEqual(total));
  }

  /**
   * Maps the kept records to minerals and stages and resolves country codes, giving the rows of
   * {@code silver.trade_flows} plus {@code line_number} (dropped when written). The HS edition of a
   * record selects the map's edition (H6 and later: HS2022; earlier: HS2017; unknown: by year); where
   * the code exists only in the other edition, that edition is used. A partner the country table
   * does not know is kept as an unallocated partner named {@code _<code>}.
   */
  public static Dataset<Row> tradeFlows(Dataset<Row> classified, Dataset<Row> countries,
      Dataset<Row> hsMap, String runId) {
    Dataset<Row> kept = withMapEdition(classified.filter(col("filter_reason").isNull()));
    Dataset<Row> map = broadcast(mapByEdition(hsMap));
    Dataset<Row> mapped = kept.join(map, mapsTo(kept, map));

    Dataset<Row> reporters = broadcast(countries.select(col("comtrade_code").as("r_code"),
        col("iso3").as("reporter_iso3")));
    Dataset<Row> partners = broadcast(countries.select(col("comtrade_code").as("p_code"),
        col("iso3").as("p_iso3"), col("kind").as("p_kind")));
    Column netKg = when(col("net_wgt").gt(0), col("net_wgt"))
        .when(col("qty_unit_code").equalTo(8).and(col("qty").gt(0)), col("qty"));
    return mapped
        .join(reporters, col("reporter_code").equalTo(col("r_code")))
        .join(partners, col("partner_code").equalTo(col("p_code")), "left")
        .select(
            col("period"), col("year"), col("month"), col("reporter_code"), col("reporter_iso3"),
            col("partner_code"),
            coalesce(col("p_iso3"), concat(lit("_"), col("partner_code").cast("string")))
                .as("partner_iso3"),
            when(col("p_kind").equalTo("country"), lit("country")).otherwise(lit("unallocated"))
                .as("partner_kind"),
            col("flow"), col("hs6"), col("hs_edition").as("hs_version"), col("mineral"),
            col("stage"), col("lumped"),
            col("primary_value").as("value_usd"), col("cif_value").as("cif_usd"),
            col("fob_value").as("fob_usd"), netKg.as("net_kg"),
            col("is_net_wgt_estimated").as("net_kg_estimated"), col("qty"), col("qty_unit"),
            col("primary_value").divide(netKg).as("unit_value_usd_per_kg"),
            col("source_format"), col("source_file"), col("line_number"),
            lit(runId).as("run_id"));
  }

  /**
   * Adds {@code map_edition}, the edition of the HS map a record is read in: H6 and later
   * HS2022, other classifications HS2017, and by year where the record names none.
   */
  static Dataset<Row> withMapEdition(Dataset<Row> records) {
    return records.withColumn("map_edition",
        when(col("classification").isin("H6", "H7"), lit(HS2022))
            .when(col("classification").isNotNull(), lit(HS2017))
            .when(col("year").geq(2022), lit(HS2022))
            .otherwise(lit(HS2017)));
  }

  /** The join condition of records (with {@link #withMapEdition}) and {@link #mapByEdition}. */
  static Column mapsTo(Dataset<Row> records, Dataset<Row> map) {
    return records.col("cmd_code").equalTo(map.col("hs6"))
        .and(records.col("map_edition").equalTo(map.col("requested_edition")));
  }

  /**
   * The map rows a record of each HS6 code and edition uses: the rows of its own edition where the
   * map lists the code in it, else the code's rows in the other edition, keyed by {@code hs6} and
   * {@code requested_edition}. Resolved on the small map, so that the records take one broadcast
   * join and no shuffle.
   */
  static Dataset<Row> mapByEdition(Dataset<Row> hsMap) {
    return hsMap.select(col("hs6"), col("hs_edition"), col("mineral"), col("stage"), col("lumped"))
        .withColumn("requested_edition", explode(array(lit(HS2022), lit(HS2017))))
        .withColumn("edition_rank", when(col("hs_edition").equalTo(col("requested_edition")),
            lit(0)).otherwise(lit(1)))
        .withColumn("best_rank",
            min("edition_rank").over(Window.partitionBy("hs6", "requested_edition")))
        .filter(col("edition_rank").equalTo(col("best_rank")))
        .drop("edition_rank", "best_rank");
  }

  /**
   * Reconciles mirror flows into {@code silver.bilateral_flows}: the importer's report of a flow
   * (CIF, usually the more reliable) is preferred, the exporter's report is the fallback, and where
   * both exist {@code mirror_gap = (import - export) / max(import, export)} is kept.
   */
  public static Dataset<Row> bilateralFlows(Dataset<Row> tradeFlows, String runId) {
    // A flow is keyed by its period, which also fixes year and month; those two ride along instead
    // of joining, because month is null for annual data and a null never equals a null in a join.
    String[] key = {"period", "exporter_iso3", "importer_iso3", "hs6", "mineral", "stage",
        "lumped"};
    Dataset<Row> imports = tradeFlows.filter(col("flow").equalTo("M"))
        .withColumn("exporter_iso3", col("partner_iso3"))
        .withColumn("importer_iso3", col("reporter_iso3"))
        .withColumn("exporter_kind", col("partner_kind"))
        .groupBy(columns(key))
        .agg(first("year").as("import_year"), first("month").as("import_month"),
            sum("value_usd").as("import_value_usd"), sum("net_kg").as("import_net_kg"),
            first("exporter_kind").as("import_side_exporter_kind"));
    Dataset<Row> exports = tradeFlows.filter(col("flow").equalTo("X"))
        .withColumn("exporter_iso3", col("reporter_iso3"))
        .withColumn("importer_iso3", col("partner_iso3"))
        .groupBy(columns(key))
        .agg(first("year").as("export_year"), first("month").as("export_month"),
            sum("value_usd").as("export_value_usd"), sum("net_kg").as("export_net_kg"));
    Column bothReported = col("import_value_usd").isNotNull()
        .and(col("export_value_usd").isNotNull());
    Column largest = greatest(col("import_value_usd"), col("export_value_usd"));
    return imports.join(exports, key, "full_outer")
        .withColumn("year", coalesce(col("import_year"), col("export_year")))
        .withColumn("month", coalesce(col("import_month"), col("export_month")))
        .select(
            col("period"), col("year"), col("month"), col("exporter_iso3"), col("importer_iso3"),
            when(col("import_value_usd").isNotNull(), col("import_side_exporter_kind"))
                .otherwise(lit("country")).as("exporter_kind"),
            col("hs6"), col("mineral"), col("stage"), col("lumped"),
            coalesce(col("import_value_usd"), col("export_value_usd")).as("value_usd"),
            when(col("import_value_usd").isNotNull(), col("import_net_kg"))
                .otherwise(col("export_net_kg")).as("net_kg"),
            when(col("import_value_usd").isNotNull(), lit("importer_reported"))
                .otherwise(lit("exporter_reported")).as("basis"),
            col("import_value_usd"), col("export_value_usd"),
            when(bothReported.and(largest.gt(0)),
                col("import_value_usd").minus(col("export_value_usd")).divide(largest))
                .as("mirror_gap"),
            lit(runId).as("run_id"));
  }

  /**
   * Counts, per file and period, the reporter-flow-HS6 groups whose kept partner rows do not add up
   * to their World row: apart by more than {@code tolerance} (relative to World) and by more than
   * 1 USD (Comtrade rounds each row to whole dollars).
   */
  public static Dataset<Row> worldTotalMismatches(Dataset<Row> classified, double tolerance) {
    Dataset<Row> partnerSums = classified
        .filter(isPartnerTotal())
        .groupBy("reporter_code", "flow_code", "cmd_code", "period")
        .agg(sum("primary_value").as("partner_sum"));
    Dataset<Row> worldRows = classified
        .filter(col("partner_code").equalTo(0)
            .and(coalesce(col("partner2_code"), lit(0)).equalTo(0))
            .and(coalesce(col("customs_code"), lit("C00")).equalTo("C00"))
            .and(coalesce(col("mot_code"), lit(0)).equalTo(0))
            .and(coalesce(col("mos_code"), lit("0")).equalTo("0")))
        .groupBy("reporter_code", "flow_code", "cmd_code", "period")
        .agg(max_by(col("primary_value"), struct(col("source_modified"), col("source_file")))
                .as("world_value"),
            max_by(col("source_file"), struct(col("source_modified"), col("source_file")))
                .as("source_file"));
    Column difference = abs(coalesce(col("partner_sum"), lit(0.0)).minus(col("world_value")));
    return worldRows.join(partnerSums, new String[] {"reporter_code", "flow_code", "cmd_code",
            "period"}, "left")
        .filter(difference.gt(greatest(lit(1.0), col("world_value").multiply(tolerance))))
        .groupBy("source_file", "period")
        .agg(count(lit(1)).as("world_total_mismatches"));
  }

  private static Column[] columns(String[] names) {
    Column[] cols = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      cols[i] = col(names[i]);
    }
    return cols;
  }
}
