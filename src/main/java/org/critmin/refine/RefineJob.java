package org.critmin.refine;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.critmin.config.CritminConfig;
import org.critmin.delta.Tables;
import org.critmin.run.Job;
import org.critmin.run.RunContext;

/**
 * Rebuilds the silver tables ({@code trade_flows}, {@code bilateral_flows}) and
 * {@code gold.data_quality} from everything in bronze. Bronze holds only the mapped HS6 codes, a few
 * percent of raw trade files, so a full rebuild is cheap next to ingest and keeps silver exactly
 * consistent with bronze after corrections.
 */
public final class RefineJob implements Job {
  private static final Logger LOG = LogManager.getLogger(RefineJob.class);

  @Override
  public String name() {
    return "refine";
  }

  @Override
  public void run(RunContext context) {
    CritminConfig config = context.config();
    String runId = context.runId();

    Dataset<Row> classified = TradeFlowRefiner.classify(context.table(Tables.TRADE_RECORDS),
            config.importFlows(), config.exportFlows())
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> tradeFlows = TradeFlowRefiner.tradeFlows(classified,
              context.reference().countries(), context.reference().hsMap(), runId);
      long flows = context.write(Tables.TRADE_FLOWS, tradeFlows, lit(true));

      Dataset<Row> bilateral = TradeFlowRefiner.bilateralFlows(tradeFlows, runId);
      long bilateralRows = context.write(Tables.BILATERAL_FLOWS, bilateral, lit(true));

      Dataset<Row> quality = DataQuality.build(context.table(Tables.INGEST_FILES), classified,
          tradeFlows, TradeFlowRefiner.worldTotalMismatches(classified, config.worldTotalTolerance()),
          context.table(Tables.BILATERAL_FLOWS), context.reference().hsMap(),
          context.reference().countries(), runId);
      context.write(Tables.DATA_QUALITY, quality, lit(true));
      noticeDroppedPartners(context);

      context.count(0, flows, 0);
      LOG.info("refine: {} trade flow rows, {} bilateral flow rows", flows, bilateralRows);
    } finally {
      classified.unpersist();
    }
  }

  /** Tells the user, in the log and the summary, of corrections that dropped most partners. */
  private static void noticeDroppedPartners(RunContext context) {
    Row dropped = context.table(Tables.DATA_QUALITY)
        .agg(sum("corrections_dropping_partners"), sum("partners_dropped")).first();
    if (!dropped.isNullAt(0) && dropped.getLong(0) > 0) {
      String notice = String.format("corrections: in %d reports (reporter, flow, HS6, period) the "
          + "newest file lists fewer than half the partners of an older file, %d partners dropped "
          + "in all; see corrections_dropping_partners in %s", dropped.getLong(0),
          dropped.getLong(1), context.warehouse().tableName(Tables.DATA_QUALITY));
      LOG.warn(notice);
      context.addNotice(notice);
    }
  }
}
