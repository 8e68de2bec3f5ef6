package org.critmin.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.Location;
import org.critmin.config.UserInputException;

/**
 * Reads a small curated reference CSV on the driver against an explicit schema: RFC 4180 fields
 * (quoted with {@code "}, a quote inside doubled, line breaks allowed inside quotes), a header that
 * names the schema's columns in order, an empty field as null, every value of the column's type,
 * and a value in every non-nullable column. A problem stops the run (exit 2) with a message naming
 * the file and, where it applies, the data row (1 is the first record after the header) and the
 * column.
 *
 * <p>Parsed in plain Java, once per run: a few thousand rows take milliseconds, where a Spark scan
 * cost a query of about a second on a cold process. The file is a {@link Location}: a local path,
 * any Hadoop URI, or a resource of the application jar.
 */
final class ReferenceCsv {

  private ReferenceCsv() {}

  static List<Row> read(Configuration hadoop, String file, StructType schema) {
    List<List<String>> records;
    try (Reader in = open(hadoop, file)) {
      records = records(in, file);
    } catch (IOException e) {
      throw new UserInputException("reference file not found or unreadable: " + file + " ("
          + e.getMessage() + ")");
    }
    if (records.isEmpty()) {
      throw new UserInputException("reference file " + file + " is empty: a header naming "
          + String.join(",", schema.fieldNames()) + " is needed");
    }
    List<String> header = records.get(0).stream().map(String::trim).toList();
    if (!header.equals(List.of(schema.fieldNames()))) {
      throw new UserInputException("reference file " + file + " does not hold the columns "
          + String.join(",", schema.fieldNames()) + " (its header: " + String.join(",", header)
          + ")");
    }
    List<Row> rows = new ArrayList<>(records.size() - 1);
    StructField[] fields = schema.fields();
    for (int i = 1; i < records.size(); i++) {
      List<String> record = records.get(i);
      if (record.size() == 1 && record.get(0).isEmpty()) {
        continue;
      }
      if (record.size() != fields.length) {
        throw problem(file, i - 1, record.size() + " fields, the header has " + fields.length);
      }
      Object[] values = new Object[fields.length];
      for (int f = 0; f < fields.length; f++) {
        values[f] = value(record.get(f), fields[f], file, i - 1);
      }
      rows.add(RowFactory.create(values));
    }
    return rows;
  }

  /** An input problem at data row {@code index} (0-based) of {@code file}. */
  static UserInputException problem(String file, int index, String what) {
    return new UserInputException("reference file " + file + ", data row " + (index + 1) + ": "
        + what);
  }

  private static Reader open(Configuration hadoop, String file) throws IOException {
    return new BufferedReader(new InputStreamReader(Location.of(file).open(hadoop),
        StandardCharsets.UTF_8));
  }

  /** The records of a CSV text, each a list of its fields (quotes removed). */
  static List<List<String>> records(Reader in, String file) throws IOException {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean afterQuote = false;
    int c = in.read();
    if (c == '\uFEFF') {
      c = in.read();
    }
    for (; c != -1; c = in.read()) {
      char ch = (char) c;
      if (quoted) {
        if (ch == '"') {
          in.mark(1);
          int next = in.read();
          if (next == '"') {
            field.append('"');
          } else {
            quoted = false;
            afterQuote = true;
            if (next == -1) {
              break;
            }
            in.reset();
          }
        } else {
          field.append(ch);
        }
      } else if (ch == '"' && field.length() == 0 && !afterQuote) {
        quoted = true;
      } else if (ch == ',') {
        record.add(field.toString());
        field.setLength(0);
        afterQuote = false;
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r') {
          in.mark(1);
          if (in.read() != '\n') {
            in.reset();
          }
        }
        record.add(field.toString());
        records.add(record);
        record = new ArrayList<>();
        field.setLength(0);
        afterQuote = false;
      } else if (afterQuote) {
        throw problem(file, Math.max(0, records.size() - 1), "text after a closing quote");
      } else {
        field.append(ch);
      }
    }
    if (quoted) {
      throw problem(file, Math.max(0, records.size() - 1), "a quoted field is not closed");
    }
    if (field.length() > 0 || !record.isEmpty() || afterQuote) {
      record.add(field.toString());
      records.add(record);
    }
    return records;
  }

  /** A field as a value of the column's type; empty is null, which a NOT NULL column refuses. */
  private static Object value(String text, StructField field, String file, int row) {
    if (text.isEmpty()) {
      if (!field.nullable()) {
        throw problem(file, row, "no value for " + field.name());
      }
      return null;
    }
    DataType type = field.dataType();
    String trimmed = text.trim();
    try {
      if (type.equals(DataTypes.StringType)) {
        return text;
      }
      if (type.equals(DataTypes.IntegerType)) {
        return Integer.valueOf(trimmed);
      }
      if (type.equals(DataTypes.LongType)) {
        return Long.valueOf(trimmed);
      }
      if (type.equals(DataTypes.DoubleType)) {
        return Double.valueOf(trimmed);
      }
      if (type.equals(DataTypes.BooleanType)) {
        String b = trimmed.toLowerCase(Locale.ROOT);
        if (b.equals("true") || b.equals("false")) {
          return Boolean.valueOf(b);
        }
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw problem(file, row, field.name() + " '" + text + "' is not "
          + (type.equals(DataTypes.BooleanType) ? "true or false" : "a number of type "
              + type.simpleString()));
    }
    throw new IllegalArgumentException("reference column type " + type + " of " + field.name());
  }
}
