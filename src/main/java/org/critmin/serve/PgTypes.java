package org.critmin.serve;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Spark SQL types as PostgreSQL types (by their catalog OIDs) and their values in PostgreSQL's text
 * and binary formats. Arrays, maps and structs go out as JSON text; any other type (intervals,
 * variants) as Spark's string form.
 */
final class PgTypes {

  /** A PostgreSQL type: OID and fixed length in bytes (-1 variable). */
  record Type(int oid, int length) {}

  /** A result column as the client sees it. */
  record Column(String name, Type type, boolean binary) {}

  static final Type BOOL = new Type(16, 1);
  static final Type BYTEA = new Type(17, -1);
  static final Type INT8 = new Type(20, 8);
  static final Type INT2 = new Type(21, 2);
  static final Type INT4 = new Type(23, 4);
  static final Type TEXT = new Type(25, -1);
  static final Type FLOAT4 = new Type(700, 4);
  static final Type FLOAT8 = new Type(701, 8);
  static final Type DATE = new Type(1082, 4);
  static final Type TIMESTAMP = new Type(1114, 8);
  static final Type TIMESTAMPTZ = new Type(1184, 8);
  static final Type NUMERIC = new Type(1700, -1);

  /** PostgreSQL's epoch for dates and timestamps in the binary format. */
  private static final LocalDate PG_EPOCH = LocalDate.of(2000, 1, 1);
  private static final Instant PG_EPOCH_INSTANT = PG_EPOCH.atStartOfDay(ZoneOffset.UTC)
      .toInstant();
  private static final DateTimeFormatter TIMESTAMP_TEXT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private PgTypes() {}

  static Type of(DataType type) {
    if (type instanceof BooleanType) {
      return BOOL;
    } else if (type instanceof ByteType || type instanceof ShortType) {
      return INT2;
    } else if (type instanceof IntegerType) {
      return INT4;
    } else if (type instanceof LongType) {
      return INT8;
    } else if (type instanceof FloatType) {
      return FLOAT4;
    } else if (type instanceof DoubleType) {
      return FLOAT8;
    } else if (type instanceof DecimalType) {
      return NUMERIC;
    } else if (type instanceof DateType) {
      return DATE;
    } else if (type instanceof TimestampType) {
      return TIMESTAMPTZ;
    } else if (type instanceof TimestampNTZType) {
      return TIMESTAMP;
    } else if (type instanceof BinaryType) {
      return BYTEA;
    }
    return TEXT;
  }

  /**
   * The columns of {@code schema}; {@code formats} as the client's Bind gave them: none (all text),
   * one (for every column) or one per column, 1 meaning binary.
   */
  static Column[] columns(StructType schema, short[] formats) {
    StructField[] fields = schema.fields();
    Column[] columns = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      boolean binary = formats != null && formats.length > 0
          && formats[formats.length == 1 ? 0 : i] == 1;
      columns[i] = new Column(fields[i].name(), of(fields[i].dataType()), binary);
    }
    return columns;
  }

  /**
   * {@code result} with its nested and other non-scalar columns turned into text (JSON for arrays,
   * maps and structs), so that every value reaching {@link #encode} is a plain Java value.
   */
  static Dataset<Row> textReady(Dataset<Row> result) {
    StructField[] fields = result.schema().fields();
    boolean scalarOnly = true;
    for (StructField f : fields) {
      scalarOnly &= of(f.dataType()) != TEXT || f.dataType() instanceof StringType;
    }
    if (scalarOnly) {
      return result;
    }
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < fields.length; i++) {
      positional.add("c" + i);
    }
    Dataset<Row> renamed = result.toDF(positional.toArray(String[]::new));
    List<org.apache.spark.sql.Column> columns = new ArrayList<>();
    for (int i = 0; i < fields.length; i++) {
      DataType type = fields[i].dataType();
      org.apache.spark.sql.Column c = col("c" + i);
      boolean nested = type instanceof ArrayType || type instanceof MapType
          || type instanceof StructType;
      columns.add(of(type) != TEXT || type instanceof StringType ? c
          : nested ? to_json(c) : c.cast("string"));
    }
    return renamed.select(columns.toArray(org.apache.spark.sql.Column[]::new));
  }

  /** A non-null value of {@code column} in the column's format. */
  static byte[] encode(Object value, Column column) {
    return column.binary() ? binary(value, column.type()) : text(value, column.type())
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Object value, Type type) {
    if (type == BOOL) {
      return (Boolean) value ? "t" : "f";
    } else if (type == BYTEA) {
      return "\\x" + HexFormat.of().formatHex((byte[]) value);
    } else if (type == NUMERIC) {
      return ((BigDecimal) value).toPlainString();
    } else if (type == DATE) {
      return localDate(value).toString();
    } else if (type == TIMESTAMPTZ) {
      return TIMESTAMP_TEXT.format(instant(value).atOffset(ZoneOffset.UTC)) + "+00";
    } else if (type == TIMESTAMP) {
      return TIMESTAMP_TEXT.format((LocalDateTime) value);
    } else if (type == FLOAT8 || type == FLOAT4) {
      double d = ((Number) value).doubleValue();
      return Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
          : type == FLOAT4 ? Float.toString((Float) value) : Double.toString(d);
    }
    return String.valueOf(value);
  }

  private static byte[] binary(Object value, Type type) {
    if (type == BOOL) {
      return new byte[] {(byte) ((Boolean) value ? 1 : 0)};
    } else if (type == INT2) {
      return ByteBuffer.allocate(2).putShort(((Number) value).shortValue()).array();
    } else if (type == INT4) {
      return ByteBuffer.allocate(4).putInt((Integer) value).array();
    } else if (type == INT8) {
      return ByteBuffer.allocate(8).putLong((Long) value).array();
    } else if (type == FLOAT4) {
      return ByteBuffer.allocate(4).putFloat((Float) value).array();
    } else if (type == FLOAT8) {
      return ByteBuffer.allocate(8).putDouble((Double) value).array();
    } else if (type == DATE) {
      return ByteBuffer.allocate(4)
          .putInt((int) ChronoUnit.DAYS.between(PG_EPOCH, localDate(value))).array();
    } else if (type == TIMESTAMPTZ) {
      return ByteBuffer.allocate(8)
          .putLong(ChronoUnit.MICROS.between(PG_EPOCH_INSTANT, instant(value))).array();
    } else if (type == TIMESTAMP) {
      return ByteBuffer.allocate(8).putLong(ChronoUnit.MICROS.between(PG_EPOCH.atStartOfDay(),
          (LocalDateTime) value)).array();
    } else if (type == BYTEA) {
      return (byte[]) value;
    } else if (type == NUMERIC) {
      return numeric((BigDecimal) value);
    }
    return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * PostgreSQL's binary numeric: digit count, weight (of the first base-10000 digit), sign,
   * display scale, then the base-10000 digits.
   */
  static byte[] numeric(BigDecimal value) {
    int scale = Math.max(0, value.scale());
    BigDecimal plain = value.setScale(scale);
    BigInteger unscaled = plain.unscaledValue().abs();
    // Pad the fraction to a multiple of four decimal digits, so base-10000 digits align.
    int fractionDigits = (scale + 3) / 4;
    BigInteger aligned = unscaled.multiply(BigInteger.TEN.pow(fractionDigits * 4 - scale));
    List<Short> digits = new ArrayList<>();
    BigInteger tenThousand = BigInteger.valueOf(10000);
    while (aligned.signum() > 0) {
      BigInteger[] qr = aligned.divideAndRemainder(tenThousand);
      digits.add(0, qr[1].shortValue());
      aligned = qr[0];
    }
    int weight = digits.size() - fractionDigits - 1;
    while (!digits.isEmpty() && digits.get(digits.size() - 1) == 0) {
      digits.remove(digits.size() - 1);
    }
    while (!digits.isEmpty() && digits.get(0) == 0) {
      digits.remove(0);
      weight--;
    }
    ByteBuffer b = ByteBuffer.allocate(8 + 2 * digits.size());
    b.putShort((short) digits.size());
    b.putShort((short) (digits.isEmpty() ? 0 : weight));
    b.putShort((short) (value.signum() < 0 ? 0x4000 : 0));
    b.putShort((short) scale);
    digits.forEach(b::putShort);
    return b.array();
  }

  private static LocalDate localDate(Object value) {
    return value instanceof Date d ? d.toLocalDate() : (LocalDate) value;
  }

  private static Instant instant(Object value) {
    return value instanceof Timestamp t ? t.toInstant() : (Instant) value;
  }
}
