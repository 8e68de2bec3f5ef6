package org.critmin.refine;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Builds {@code gold.data_quality}: per input file and period, what happened to every data line.
 * Ingest's counts (read, rejected, out of scope, aggregate codes) are joined with refine's
 * classification of the loaded records. {@code rows_filtered} is what is neither kept nor
 * rejected; each of its causes is counted on its own condition (a code the map lacks in the
 * record's edition, an unknown reporter, partner World...), so that the causes adding up to
 * {@code rows_filtered} is a check that no record is lost another way.
 */
public final class DataQuality {

  private DataQuality() {}

  public static Dataset<Row> build(Dataset<Row> ingestFiles, Dataset<Row> classified,
      Dataset<Row> tradeFlows, Dataset<Row> worldMismatches, Dataset<Row> bilateral,
      Dataset<Row> hsMap, Dataset<Row> countries, String runId) {
    // Records that passed every filter but have no map row in their edition, or (mapped) a
    // reporter the country table lacks: refine's joins drop them.
    Dataset<Row> passed = TradeFlowRefiner.withMapEdition(
        classified.filter(col("filter_reason").isNull()));
    Dataset<Row> map = broadcast(TradeFlowRefiner.mapByEdition(hsMap));
    Dataset<Row> reporters = broadcast(countries.select(col("comtrade_code")));
    Dataset<Row> unmapped = passed.join(map, TradeFlowRefiner.mapsTo(passed, map), "left_anti")
        .groupBy("source_file", "period").agg(count(lit(1)).as("rows_unmapped"));
    Dataset<Row> mappedRecords = passed.join(map, TradeFlowRefiner.mapsTo(passed, map),
        "left_semi");
    Dataset<Row> unknownReporter = mappedRecords.join(reporters,
            mappedRecords.col("reporter_code").equalTo(reporters.col("comtrade_code")),
            "left_anti")
        .groupBy("source_file", "period").agg(count(lit(1)).as("rows_unknown_reporter"));
    Dataset<Row> refineCounts = classified
        .groupBy("source_file", "period")
        .agg(
            reasonCount(TradeFlowRefiner.WORLD, "rows_world"),
            reasonCount(TradeFlowRefiner.BREAKDOWN, "rows_breakdown"),
            reasonCount(TradeFlowRefiner.AGGREGATE, "rows_aggregate_refine"),
            reasonCount(TradeFlowRefiner.OTHER_FLOW, "rows_other_flow"),
            reasonCount(TradeFlowRefiner.DUPLICATE, "rows_duplicate"),
            reasonCount(TradeFlowRefiner.SUPERSEDED, "rows_superseded"),
            reasonCount(TradeFlowRefiner.CONFLICT, "conflicts_resolved"));
    // A kept record maps to one or more minerals; count records, not mineral rows.
    Dataset<Row> keptCounts = tradeFlows.groupBy("source_file", "period")
        .agg(countDistinct("line_number").as("rows_kept"));
    Dataset<Row> mirror = bilateral.filter(col("mirror_gap").isNotNull())
        .groupBy("period")
        .agg(count(lit(1)).as("mirror_pairs"),
            percentile_approx(col("mirror_gap"), lit(0.5), lit(10000)).as("median_mirror_gap"));

    Column kept = coalesce(col("rows_kept"), lit(0L));
    // Files skipped in the input folders have a row of their own (a table written before
    // critmin listed them lacks the column).
    Dataset<Row> read = java.util.Arrays.asList(ingestFiles.columns()).contains("skipped_reason")
        ? ingestFiles.filter(col("skipped_reason").isNull()) : ingestFiles;
    return read.drop("rows_kept", "run_id")
        .join(refineCounts, new String[] {"source_file", "period"}, "left")
        .join(keptCounts, new String[] {"source_file", "period"}, "left")
        .join(unmapped, new String[] {"source_file", "period"}, "left")
        .join(unknownReporter, new String[] {"source_file", "period"}, "left")
        .join(worldMismatches, new String[] {"source_file", "period"}, "left")
        .join(mirror, new String[] {"period"}, "left")
        .join(partnerDroppingCorrections(classified), new String[] {"source_file", "period"},
            "left")
        .select(
            lit(runId).as("run_id"),
            col("source_file"),
            col("period"),
            col("rows_read"),
            kept.as("rows_kept"),
            col("rows_rejected"),
            col("rows_read").minus(kept).minus(col("rows_rejected")).as("rows_filtered"),
            col("rows_out_of_scope").plus(coalesce(col("rows_unmapped"), lit(0L)))
                .as("rows_out_of_scope"),
            col("rows_aggregate").plus(coalesce(col("rows_aggregate_refine"), lit(0L)))
                .as("rows_aggregate"),
            coalesce(col("rows_world"), lit(0L)).as("rows_world"),
            coalesce(col("rows_breakdown"), lit(0L)).as("rows_breakdown"),
            coalesce(col("rows_other_flow"), lit(0L)).as("rows_other_flow"),
            coalesce(col("rows_duplicate"), lit(0L)).as("duplicates_removed"),
            coalesce(col("rows_superseded"), lit(0L)).as("rows_superseded"),
            coalesce(col("conflicts_resolved"), lit(0L)).as("conflicts_resolved"),
            coalesce(col("world_total_mismatches"), lit(0L)).as("world_total_mismatches"),
            coalesce(col("mirror_pairs"), lit(0L)).as("mirror_pairs"),
            col("median_mirror_gap"),
            coalesce(col("rows_unknown_reporter"), lit(0L)).as("rows_unknown_reporter"),
            coalesce(col("corrections_dropping_partners"), lit(0L))
                .as("corrections_dropping_partners"),
            coalesce(col("partners_dropped"), lit(0L)).as("partners_dropped"));
  }

  /**
   * Per file and period, the reports (reporter, flow, HS6 code, period) in which this file, the
   * newest to report them, lists fewer than half the partners an older file listed, and the
   * partners so dropped. The newest file's figures replace the older ones whole (a correction may
   * remove partners), so a cut or narrowed extract silently removes the others from silver; this
   * makes it visible.
   */
  static Dataset<Row> partnerDroppingCorrections(Dataset<Row> classified) {
    String[] report = {"reporter_code", "flow_code", "cmd_code", "period"};
    Dataset<Row> partnersPerFile = classified
        .filter(not(coalesce(col("filter_reason").isin(TradeFlowRefiner.WORLD,
            TradeFlowRefiner.AGGREGATE, TradeFlowRefiner.BREAKDOWN), lit(false))))
        .groupBy("reporter_code", "flow_code", "cmd_code", "period", "source_file")
        .agg(countDistinct("partner_code").as("partners"),
            max(coalesce(col("filter_reason").equalTo(TradeFlowRefiner.SUPERSEDED), lit(false)))
                .as("superseded"));
    Dataset<Row> older = partnersPerFile.filter(col("superseded"))
        .groupBy(col("reporter_code"), col("flow_code"), col("cmd_code"), col("period"))
        .agg(max("partners").as("older_partners"));
    return partnersPerFile.filter(not(col("superseded")))
        .join(older, report)
        .filter(col("partners").multiply(2).lt(col("older_partners")))
        .groupBy("source_file", "period")
        .agg(count(lit(1)).as("corrections_dropping_partners"),
            sum(col("older_partners").minus(col("partners"))).as("partners_dropped"));
  }

  private static Column reasonCount(String reason, String name) {
    return sum(when(col("filter_reason").equalTo(reason), lit(1L)).otherwise(lit(0L))).as(name);
  }
}
