package org.critmin.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.Row;

/**
 * The backend messages of the PostgreSQL protocol version 3 that {@link PgWireServer} sends, and a
 * reader of the frontend messages' fields. Each message is a type byte, a 32-bit length that counts
 * itself, and the fields; strings are UTF-8 and NUL-terminated.
 */
final class PgMessages {
  private final OutputStream out;
  private final ByteArrayOutputStream message = new ByteArrayOutputStream();

  PgMessages(OutputStream out) {
    this.out = out;
  }

  /** One byte outside any message (the answer to an SSL or GSS request). */
  void raw(char answer) throws IOException {
    out.write(answer);
    out.flush();
  }

  void authenticationOk() throws IOException {
    begin();
    int32(0);
    end('R', false);
  }

  void authenticationCleartext() throws IOException {
    begin();
    int32(3);
    end('R', true);
  }

  void parameterStatus(String name, String value) throws IOException {
    begin();
    string(name);
    string(value);
    end('S', false);
  }

  void backendKeyData(int processId, int secret) throws IOException {
    begin();
    int32(processId);
    int32(secret);
    end('K', false);
  }

  /** Idle: ready for the next query; flushes. */
  void readyForQuery() throws IOException {
    begin();
    message.write('I');
    end('Z', true);
  }

  void rowDescription(PgTypes.Column[] columns) throws IOException {
    begin();
    int16(columns.length);
    for (PgTypes.Column c : columns) {
      string(c.name());
      int32(0);
      int16(0);
      int32(c.type().oid());
      int16(c.type().length());
      int32(-1);
      int16(c.binary() ? 1 : 0);
    }
    end('T', false);
  }

  void dataRow(Row row, PgTypes.Column[] columns) throws IOException {
    begin();
    int16(columns.length);
    for (int i = 0; i < columns.length; i++) {
      byte[] value = row.isNullAt(i) ? null : PgTypes.encode(row.get(i), columns[i]);
      if (value == null) {
        int32(-1);
      } else {
        int32(value.length);
        message.write(value);
      }
    }
    end('D', false);
  }

  void commandComplete(String tag) throws IOException {
    begin();
    string(tag);
    end('C', false);
  }

  void emptyQueryResponse() throws IOException {
    begin();
    end('I', false);
  }

  void parseComplete() throws IOException {
    begin();
    end('1', false);
  }

  void bindComplete() throws IOException {
    begin();
    end('2', false);
  }

  void closeComplete() throws IOException {
    begin();
    end('3', false);
  }

  void noData() throws IOException {
    begin();
    end('n', false);
  }

  /** No parameters: statements here never have any. */
  void parameterDescription() throws IOException {
    begin();
    int16(0);
    end('t', false);
  }

  void portalSuspended() throws IOException {
    begin();
    end('s', true);
  }

  /** An error with its SQLSTATE; flushes. */
  void error(String sqlState, String text) throws IOException {
    begin();
    message.write('S');
    string("ERROR");
    message.write('V');
    string("ERROR");
    message.write('C');
    string(sqlState);
    message.write('M');
    string(text);
    message.write(0);
    end('E', true);
  }

  void flush() throws IOException {
    out.flush();
  }

  private void begin() {
    message.reset();
  }

  private void end(char type, boolean flush) throws IOException {
    out.write(type);
    out.write(ByteBuffer.allocate(4).putInt(message.size() + 4).array());
    message.writeTo(out);
    if (flush) {
      out.flush();
    }
  }

  private void int32(int value) {
    message.writeBytes(ByteBuffer.allocate(4).putInt(value).array());
  }

  private void int16(int value) {
    message.writeBytes(ByteBuffer.allocate(2).putShort((short) value).array());
  }

  private void string(String value) {
    message.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    message.write(0);
  }

  /** The fields of one frontend message body, read in order. */
  static final class Reader {
    private final ByteBuffer body;

    Reader(byte[] body) {
      this.body = ByteBuffer.wrap(body);
    }

    String string() {
      int start = body.position();
      int end = start;
      while (end < body.limit() && body.get(end) != 0) {
        end++;
      }
      if (end >= body.limit()) {
        throw new IllegalArgumentException("a string field without its terminating NUL");
      }
      String value = new String(body.array(), start, end - start, StandardCharsets.UTF_8);
      body.position(end + 1);
      return value;
    }

    byte byte1() {
      return body.get();
    }

    short int16() {
      return body.getShort();
    }

    int int32() {
      return body.getInt();
    }
  }
}
