package org.critmin.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The small results the report needs, fetched together in one Spark query instead of one query
 * each: every part's rows (at most its limit, in its order) become JSON text tagged with the
 * part's name, the parts are concatenated by a union, collected once, and parsed back into rows
 * of each part's schema on the driver. A query costs a Spark execution of a few tenths of a second
 * even for ten rows; the report has a dozen parts.
 */
final class ReportBatch {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Part(Dataset<Row> rows, int limit) {}

  private final Map<String, Part> parts = new LinkedHashMap<>();
  private Map<String, List<Row>> fetched;

  /** Adds a part: at most {@code limit} rows of {@code rows}, in their order. */
  void add(String name, Dataset<Row> rows, int limit) {
    if (fetched != null) {
      throw new IllegalStateException("the batch was already fetched");
    }
    parts.put(name, new Part(rows, limit));
  }

  /** Whether a part of this name was added. */
  boolean has(String name) {
    return parts.containsKey(name);
  }

  /** Runs the one query that fetches every part. */
  void fetch() {
    fetched = new LinkedHashMap<>();
    parts.keySet().forEach(name -> fetched.put(name, new ArrayList<>()));
    Dataset<Row> all = null;
    for (Map.Entry<String, Part> part : parts.entrySet()) {
      Dataset<Row> rows = part.getValue().rows().limit(part.getValue().limit());
      Column[] columns = Arrays.stream(rows.columns()).map(c -> col(c)).toArray(Column[]::new);
      Dataset<Row> json = rows.select(lit(part.getKey()).as("part"),
          to_json(struct(columns)).as("row"));
      all = all == null ? json : all.union(json);
    }
    if (all == null) {
      return;
    }
    for (Row r : all.collectAsList()) {
      String name = r.getString(0);
      fetched.get(name).add(parse(r.getString(1), parts.get(name).rows().schema()));
    }
  }

  /** The columns of a part. */
  StructType schema(String name) {
    return parts.get(name).rows().schema();
  }

  /** The rows of a part, after {@link #fetch}. */
  List<Row> rows(String name) {
    if (fetched == null) {
      throw new IllegalStateException("the batch was not fetched yet");
    }
    List<Row> rows = fetched.get(name);
    if (rows == null) {
      throw new IllegalArgumentException("no part " + name);
    }
    return rows;
  }

  /** One row of JSON (as Spark's to_json writes it: null fields left out) in {@code schema}. */
  static Row parse(String text, StructType schema) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable row " + text, e);
    }
    StructField[] fields = schema.fields();
    Object[] values = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      JsonNode value = node.get(fields[i].name());
      values[i] = value == null || value.isNull() ? null : value(value, fields[i].dataType());
    }
    return new GenericRowWithSchema(values, schema);
  }

  private static Object value(JsonNode node, DataType type) {
    if (type.equals(DataTypes.StringType)) {
      return node.asText();
    }
    if (type.equals(DataTypes.IntegerType)) {
      return node.asInt();
    }
    if (type.equals(DataTypes.LongType)) {
      return node.asLong();
    }
    if (type.equals(DataTypes.DoubleType)) {
      // NaN and the infinities are written as quoted text.
      return node.isTextual() ? Double.valueOf(node.asText()) : node.asDouble();
    }
    if (type.equals(DataTypes.BooleanType)) {
      return node.asBoolean();
    }
    if (type.equals(DataTypes.TimestampType)) {
      return Timestamp.from(OffsetDateTime.parse(node.asText()).toInstant());
    }
    if (type.equals(DataTypes.DateType)) {
      return Date.valueOf(LocalDate.parse(node.asText()));
    }
    if (type instanceof DecimalType) {
      return new BigDecimal(node.asText());
    }
    throw new IllegalArgumentException("report column type " + type + " is not supported");
  }
}
