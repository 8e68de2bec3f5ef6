package org.critmin.refine;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Builds {@code gold.data_quality}: per input file and period, what happened to every data line.
 * Ingest's counts (read, rejected, out of scope, aggregate codes) are joined with refine's
 * classification of the loaded records, so that {@code rows_read = rows_kept + rows_rejected +
 * rows_filtered} holds row by row.
 */
public final class DataQuality {

  private DataQuality() {}

  public static Dataset<Row> build(Dataset<Row> ingestFiles, Dataset<Row> classified,
      Dataset<Row> tradeFlows, Dataset<Row> worldMismatches, Dataset<Row> bilateral,
      String runId) {
    Dataset<Row> refineCounts = classified
        .groupBy("source_file", "period")
        .agg(
            count(when(col("filter_reason").isNull(), lit(1))).as("rows_passed_filters"),
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
    Column mappedButUnknown = coalesce(col("rows_passed_filters"), lit(0L)).minus(kept);
    return ingestFiles.drop("rows_kept", "run_id")
        .join(refineCounts, new String[] {"source_file", "period"}, "left")
        .join(keptCounts, new String[] {"source_file", "period"}, "left")
        .join(worldMismatches, new String[] {"source_file", "period"}, "left")
        .join(mirror, new String[] {"period"}, "left")
        .select(
            lit(runId).as("run_id"),
            col("source_file"),
            col("period"),
            col("rows_read"),
            kept.as("rows_kept"),
            col("rows_rejected"),
            col("rows_read").minus(kept).minus(col("rows_rejected")).as("rows_filtered"),
            col("rows_out_of_scope").plus(mappedButUnknown).as("rows_out_of_scope"),
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
            col("median_mirror_gap"));
  }

  private static Column reasonCount(String reason, String name) {
    return sum(when(col("filter_reason").equalTo(reason), lit(1L)).otherwise(lit(0L))).as(name);
  }
}
