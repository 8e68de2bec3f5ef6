package org.critmin.ingest;

import java.util.List;

/**
 * The Comtrade "plus" columns critmin reads, by header name (files carry any subset, in any order,
 * sometimes with extra columns, so position is never trusted).
 */
enum ComtradeField {
  FREQ_CODE("freqCode"),
  REF_YEAR("refYear"),
  REF_MONTH("refMonth"),
  PERIOD("period"),
  REPORTER_CODE("reporterCode"),
  REPORTER_ISO("reporterISO"),
  PARTNER_CODE("partnerCode"),
  PARTNER_ISO("partnerISO"),
  PARTNER2_CODE("partner2Code"),
  FLOW_CODE("flowCode"),
  CLASSIFICATION_CODE("classificationCode"),
  CMD_CODE("cmdCode"),
  AGGR_LEVEL("aggrLevel"),
  IS_AGGREGATE("isAggregate"),
  CUSTOMS_CODE("customsCode"),
  MOS_CODE("mosCode"),
  MOT_CODE("motCode"),
  QTY_UNIT_CODE("qtyUnitCode"),
  QTY_UNIT_ABBR("qtyUnitAbbr"),
  QTY("qty"),
  NET_WGT("netWgt"),
  IS_NET_WGT_ESTIMATED("isNetWgtEstimated"),
  GROSS_WGT("grossWgt"),
  CIF_VALUE("cifvalue"),
  FOB_VALUE("fobvalue"),
  PRIMARY_VALUE("primaryValue");

  /** Columns without which a file cannot be read (period may come from refYear and refMonth). */
  static final List<ComtradeField> REQUIRED =
      List.of(REPORTER_CODE, PARTNER_CODE, FLOW_CODE, CMD_CODE, PRIMARY_VALUE);

  final String header;

  ComtradeField(String header) {
    this.header = header;
  }
}
