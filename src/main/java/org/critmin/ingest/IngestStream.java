package org.critmin.ingest;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The one stream a pass over the raw files produces. Each row is one of four kinds:
 * {@code K} a kept record (typed Comtrade fields), {@code R} a rejected line (reason and raw text),
 * {@code C} the per-period line counts of one partition, {@code S} the number of physical lines
 * of one input split, from which line numbers are computed. Out-of-scope lines never become rows:
 * they are only counted, which keeps the ~98 % of a bulk file that is not a mineral out of Spark.
 */
final class IngestStream {

  private IngestStream() {}

  static final String KEPT = "K";
  static final String REJECTED = "R";
  static final String COUNTS = "C";
  static final String SPLIT = "S";

  static final StructType SCHEMA = new StructType()
      .add("kind", DataTypes.StringType, false)
      .add("source_file", DataTypes.StringType, false)
      .add("split_key", DataTypes.LongType, false)
      .add("line_in_split", DataTypes.LongType, true)
      .add("period", DataTypes.StringType, true)
      .add("year", DataTypes.IntegerType, true)
      .add("month", DataTypes.IntegerType, true)
      .add("freq", DataTypes.StringType, true)
      .add("reporter_code", DataTypes.IntegerType, true)
      .add("reporter_iso_raw", DataTypes.StringType, true)
      .add("partner_code", DataTypes.IntegerType, true)
      .add("partner_iso_raw", DataTypes.StringType, true)
      .add("partner2_code", DataTypes.IntegerType, true)
      .add("flow_code", DataTypes.StringType, true)
      .add("classification", DataTypes.StringType, true)
      .add("cmd_code", DataTypes.StringType, true)
      .add("aggr_level", DataTypes.IntegerType, true)
      .add("is_aggregate", DataTypes.BooleanType, true)
      .add("customs_code", DataTypes.StringType, true)
      .add("mot_code", DataTypes.IntegerType, true)
      .add("mos_code", DataTypes.StringType, true)
      .add("qty_unit_code", DataTypes.IntegerType, true)
      .add("qty_unit", DataTypes.StringType, true)
      .add("qty", DataTypes.DoubleType, true)
      .add("net_wgt", DataTypes.DoubleType, true)
      .add("is_net_wgt_estimated", DataTypes.BooleanType, true)
      .add("gross_wgt", DataTypes.DoubleType, true)
      .add("cif_value", DataTypes.DoubleType, true)
      .add("fob_value", DataTypes.DoubleType, true)
      .add("primary_value", DataTypes.DoubleType, true)
      .add("reason", DataTypes.StringType, true)
      .add("detail", DataTypes.StringType, true)
      .add("raw_record", DataTypes.StringType, true)
      .add("n_read", DataTypes.LongType, true)
      .add("n_kept", DataTypes.LongType, true)
      .add("n_rejected", DataTypes.LongType, true)
      .add("n_out_of_scope", DataTypes.LongType, true)
      .add("n_aggregate", DataTypes.LongType, true)
      .add("n_rejected_in_scope", DataTypes.LongType, true)
      .add("n_repeated_header", DataTypes.LongType, true)
      .add("n_lines", DataTypes.LongType, true);

  static final int WIDTH = SCHEMA.size();

  // Column positions, resolved once: the parser fills rows by position on its hot path.
  static final int KIND = index("kind");
  static final int SOURCE_FILE = index("source_file");
  static final int SPLIT_KEY = index("split_key");
  static final int AGGR_LEVEL = index("aggr_level");
  static final int CIF_VALUE = index("cif_value");
  static final int CLASSIFICATION = index("classification");
  static final int CMD_CODE = index("cmd_code");
  static final int CUSTOMS_CODE = index("customs_code");
  static final int DETAIL = index("detail");
  static final int FLOW_CODE = index("flow_code");
  static final int FOB_VALUE = index("fob_value");
  static final int FREQ = index("freq");
  static final int GROSS_WGT = index("gross_wgt");
  static final int IS_AGGREGATE = index("is_aggregate");
  static final int IS_NET_WGT_ESTIMATED = index("is_net_wgt_estimated");
  static final int LINE_IN_SPLIT = index("line_in_split");
  static final int MONTH = index("month");
  static final int MOS_CODE = index("mos_code");
  static final int MOT_CODE = index("mot_code");
  static final int N_AGGREGATE = index("n_aggregate");
  static final int N_KEPT = index("n_kept");
  static final int N_LINES = index("n_lines");
  static final int N_OUT_OF_SCOPE = index("n_out_of_scope");
  static final int N_READ = index("n_read");
  static final int N_REJECTED = index("n_rejected");
  static final int N_REJECTED_IN_SCOPE = index("n_rejected_in_scope");
  static final int N_REPEATED_HEADER = index("n_repeated_header");
  static final int NET_WGT = index("net_wgt");
  static final int PARTNER2_CODE = index("partner2_code");
  static final int PARTNER_CODE = index("partner_code");
  static final int PARTNER_ISO_RAW = index("partner_iso_raw");
  static final int PERIOD = index("period");
  static final int PRIMARY_VALUE = index("primary_value");
  static final int QTY = index("qty");
  static final int QTY_UNIT = index("qty_unit");
  static final int QTY_UNIT_CODE = index("qty_unit_code");
  static final int RAW_RECORD = index("raw_record");
  static final int REASON = index("reason");
  static final int REPORTER_CODE = index("reporter_code");
  static final int REPORTER_ISO_RAW = index("reporter_iso_raw");
  static final int YEAR = index("year");

  static int index(String name) {
    return SCHEMA.fieldIndex(name);
  }
}
