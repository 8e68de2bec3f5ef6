package org.critmin.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Reads a Comtrade API JSON response ({@code {"elapsedTime": ..., "count": n, "data": [{...}]}})
 * record by record with a streaming parser, so a large response is never held whole. A record's
 * "line number" is its position in {@code data}, from 1. A file that is not valid JSON, has no
 * {@code data} array, or holds another number of records than its {@code count}, fails as a whole
 * (reason {@code unreadable_file}).
 */
final class JsonRecords implements FlatMapFunction<Iterator<Tuple2<String, PortableDataStream>>,
    Row> {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ParseContext context;

  JsonRecords(ParseContext context) {
    this.context = context;
  }

  @Override
  public Iterator<Row> call(Iterator<Tuple2<String, PortableDataStream>> files) {
    if (!files.hasNext()) {
      return java.util.Collections.emptyIterator();
    }
    Tuple2<String, PortableDataStream> file = files.next();
    return new Reader(context, new DataArray(file._1(), file._2(),
        context.limits().maxGzipRatio()));
  }

  /**
   * The objects of the response's {@code data} array, parsed one at a time. The response is opened
   * on the first {@link #hasNext}, so that a file that is no API response fails inside the reader
   * (reason {@code unreadable_file}, the file named) rather than the Spark task. A response without
   * {@code data} (an API error body: {@code {"statusCode": 401, "message": ...}}) or whose
   * {@code count} differs from the records it holds is a bad file.
   */
  private static final class DataArray implements Iterator<JsonNode> {
    private final String path;
    private final PortableDataStream stream;
    private JsonParser parser;
    private JsonNode next;
    private boolean done;
    private long records;
    private Long declaredCount;
    private final Map<String, String> topLevel = new java.util.LinkedHashMap<>();
    private final double maxGzipRatio;

    DataArray(String path, PortableDataStream stream, double maxGzipRatio) {
      this.path = path;
      this.stream = stream;
      this.maxGzipRatio = maxGzipRatio;
    }

    private void open() throws IOException {
      InputStream in = stream.open();
      if (path.toLowerCase(Locale.ROOT).endsWith(".gz")) {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(path);
        long compressed = file.getFileSystem(stream.getConfiguration()).getFileStatus(file)
            .getLen();
        in = new ExpansionLimit(new GZIPInputStream(in, 1 << 16), compressed, maxGzipRatio);
      }
      parser = new JsonFactory().createParser(in);
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new RecordReader.BadFile("not a Comtrade API response: the file is not a JSON "
            + "object");
      }
      while (true) {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_OBJECT || token == null) {
          throw new RecordReader.BadFile("not a Comtrade API response: no \"data\" array"
              + (topLevel.isEmpty() ? "" : " (the response holds " + topLevel + ")"));
        }
        if (topLevelField()) {
          return;
        }
      }
    }

    /** Reads one top-level field; true when it is the start of {@code data}. */
    private boolean topLevelField() throws IOException {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("data".equals(name) && value == JsonToken.START_ARRAY) {
        return true;
      }
      if (value.isScalarValue() && topLevel.size() < 5) {
        String text = parser.getText();
        topLevel.put(name, text.length() > 200 ? text.substring(0, 200) + "..." : text);
      }
      if ("count".equals(name) && value.isNumeric()) {
        declaredCount = parser.getLongValue();
      }
      parser.skipChildren();
      return false;
    }

    /** After {@code data}: reads the remaining fields and checks the declared count. */
    private void finish() throws IOException {
      for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT && token != null;
          token = parser.nextToken()) {
        topLevelField();
      }
      parser.close();
      if (declaredCount != null && declaredCount != records) {
        throw new RecordReader.BadFile("the response says count " + declaredCount
            + " but its \"data\" holds " + records + " records (a cut or altered download)");
      }
    }

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        try {
          if (parser == null) {
            open();
          }
          JsonToken token = parser.nextToken();
          if (token == JsonToken.START_OBJECT) {
            next = MAPPER.readTree(parser);
            records++;
          } else if (token == JsonToken.END_ARRAY) {
            done = true;
            finish();
          } else {
            throw new RecordReader.BadFile("\"data\" holds a " + token + ", not an object");
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return next != null;
    }

    @Override
    public JsonNode next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      JsonNode node = next;
      next = null;
      return node;
    }
  }

  private static final class Reader extends RecordReader<JsonNode> {
    private final Map<String, ComtradeField> fieldsByName = new HashMap<>();
    private final String[] values = new String[ComtradeField.values().length];
    private JsonNode record;

    Reader(ParseContext context, Iterator<JsonNode> records) {
      super(context, records);
      for (ComtradeField field : ComtradeField.values()) {
        fieldsByName.put(field.header.toLowerCase(Locale.ROOT), field);
      }
      splitKey = 0;
    }

    @Override
    protected Row read(JsonNode node) {
      position++;
      record = node;
      java.util.Arrays.fill(values, null);
      node.fields().forEachRemaining(e -> {
        ComtradeField field = fieldsByName.get(e.getKey().toLowerCase(Locale.ROOT));
        JsonNode v = e.getValue();
        if (field != null && !v.isNull() && !v.isContainerNode()) {
          String text = v.isNumber() ? v.numberValue().toString() : v.asText().trim();
          values[field.ordinal()] = text.isEmpty() ? null : text;
        }
      });
      startRecord();
      try {
        String cmd = values[ComtradeField.CMD_CODE.ordinal()];
        int hs6 = cmd != null && cmd.length() == 6 && cmd.chars().allMatch(Character::isDigit)
            ? Integer.parseInt(cmd) : -1;
        return classify(hs6, cmd == null);
      } catch (Reject r) {
        return rejected(r);
      }
    }

    @Override
    protected String text(ComtradeField field) {
      return values[field.ordinal()];
    }

    @Override
    protected String rawText() {
      return record.toString();
    }
  }
}
