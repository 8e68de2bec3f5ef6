package org.critmin.ingest;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trade-file formats critmin reads, each described by how its columns map onto the Comtrade
 * "plus" fields (docs/methods.md, "UN Comtrade facts"), how its flow codes read, and the units of its
 * values and weights.
 */
public enum SourceFormat {
  /** Comtrade Plus bulk CSV (47 columns) and API extracts saved as CSV (any subset, any order). */
  COMTRADE_PLUS("comtrade_plus", plusHeaders(), Map.of(), null, 1.0, 1.0, false),
  /** Comtrade Plus API JSON responses: {@code {"count": n, "data": [{...}, ...]}}. */
  COMTRADE_JSON("comtrade_json", plusHeaders(), Map.of(), null, 1.0, 1.0, false),
  /** Legacy Comtrade CSV ("Trade Value (US$)", "Netweight (kg)", flow codes 1 to 4). */
  COMTRADE_LEGACY("comtrade_legacy", legacyHeaders(),
      Map.of("1", "M", "2", "X", "3", "RX", "4", "RM"), null, 1.0, 1.0, false),
  /**
   * CEPII BACI ({@code t,i,j,k,v,q}): one reconciled value per exporter i, importer j, product k and
   * year t, in thousand USD and metric tons. Read as the importer's report of its imports.
   */
  BACI("baci", baciHeaders(), Map.of(), "M", 1000.0, 1000.0, true);

  /** Name used in configuration ({@code ingest.format}) and in {@code source_format} columns. */
  public final String id;
  private final Map<ComtradeField, String> headers;
  private final Map<String, String> flowCodes;
  private final String fixedFlow;
  final double valueScale;
  final double weightScale;
  /** HS6 codes may be written as numbers, without the leading zero of chapters 01-09. */
  final boolean numericHsCodes;

  SourceFormat(String id, Map<ComtradeField, String> headers, Map<String, String> flowCodes,
      String fixedFlow, double valueScale, double weightScale, boolean numericHsCodes) {
    this.id = id;
    this.headers = headers;
    this.flowCodes = flowCodes;
    this.fixedFlow = fixedFlow;
    this.valueScale = valueScale;
    this.weightScale = weightScale;
    this.numericHsCodes = numericHsCodes;
  }

  /** The column of this format that holds {@code field}, or null if the format has none. */
  String header(ComtradeField field) {
    return headers.get(field);
  }

  /** The fields without which a record of this format cannot be read. */
  List<ComtradeField> required() {
    return ComtradeField.REQUIRED.stream().filter(headers::containsKey).toList();
  }

  /** The Comtrade Plus flow code for a raw flow value of this format. */
  String flowCode(String raw) {
    if (fixedFlow != null) {
      return fixedFlow;
    }
    return raw == null ? null : flowCodes.getOrDefault(raw, raw);
  }

  /** The format named in configuration; null for {@code auto}. */
  static SourceFormat byId(String id) {
    for (SourceFormat f : values()) {
      if (f.id.equals(id)) {
        return f;
      }
    }
    return null;
  }

  /** Recognises a header line; null when it fits no format. */
  static SourceFormat detect(List<String> columns) {
    List<String> lower = columns.stream().map(c -> c.trim().toLowerCase(Locale.ROOT)).toList();
    if (lower.equals(List.of("t", "i", "j", "k", "v", "q"))) {
      return BACI;
    }
    if (lower.contains("trade value (us$)") || lower.contains("commodity code")) {
      return COMTRADE_LEGACY;
    }
    return COMTRADE_PLUS;
  }

  private static Map<ComtradeField, String> plusHeaders() {
    Map<ComtradeField, String> m = new EnumMap<>(ComtradeField.class);
    for (ComtradeField f : ComtradeField.values()) {
      m.put(f, f.header);
    }
    return m;
  }

  private static Map<ComtradeField, String> legacyHeaders() {
    Map<ComtradeField, String> m = new EnumMap<>(ComtradeField.class);
    m.put(ComtradeField.CLASSIFICATION_CODE, "Classification");
    m.put(ComtradeField.REF_YEAR, "Year");
    m.put(ComtradeField.PERIOD, "Period");
    m.put(ComtradeField.AGGR_LEVEL, "Aggregate Level");
    m.put(ComtradeField.FLOW_CODE, "Trade Flow Code");
    m.put(ComtradeField.REPORTER_CODE, "Reporter Code");
    m.put(ComtradeField.REPORTER_ISO, "Reporter ISO");
    m.put(ComtradeField.PARTNER_CODE, "Partner Code");
    m.put(ComtradeField.PARTNER_ISO, "Partner ISO");
    m.put(ComtradeField.PARTNER2_CODE, "2nd Partner Code");
    m.put(ComtradeField.CUSTOMS_CODE, "Customs Proc. Code");
    m.put(ComtradeField.MOT_CODE, "Mode of Transport Code");
    m.put(ComtradeField.CMD_CODE, "Commodity Code");
    m.put(ComtradeField.QTY_UNIT_CODE, "Qty Unit Code");
    m.put(ComtradeField.QTY_UNIT_ABBR, "Qty Unit");
    m.put(ComtradeField.QTY, "Qty");
    m.put(ComtradeField.NET_WGT, "Netweight (kg)");
    m.put(ComtradeField.GROSS_WGT, "Gross weight (kg)");
    m.put(ComtradeField.PRIMARY_VALUE, "Trade Value (US$)");
    m.put(ComtradeField.CIF_VALUE, "CIF Trade Value (US$)");
    m.put(ComtradeField.FOB_VALUE, "FOB Trade Value (US$)");
    return m;
  }

  private static Map<ComtradeField, String> baciHeaders() {
    Map<ComtradeField, String> m = new EnumMap<>(ComtradeField.class);
    m.put(ComtradeField.PERIOD, "t");
    m.put(ComtradeField.PARTNER_CODE, "i");
    m.put(ComtradeField.REPORTER_CODE, "j");
    m.put(ComtradeField.CMD_CODE, "k");
    m.put(ComtradeField.PRIMARY_VALUE, "v");
    m.put(ComtradeField.NET_WGT, "q");
    return m;
  }
}
