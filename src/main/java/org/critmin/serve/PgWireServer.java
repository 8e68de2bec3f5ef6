package org.critmin.serve;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A SQL endpoint over one Spark session that speaks the PostgreSQL frontend/backend protocol
 * (version 3), so that JDBC (the PostgreSQL driver), ODBC (psqlODBC), psql, Python (psycopg) and BI
 * tools that take a PostgreSQL connection query the warehouse tables by name (docs/usage.md,
 * "Serving SQL"). Statements are Spark SQL, checked by the {@link Statements} the server is given
 * (the command line's read-only guard); results are streamed row by row from the executors.
 *
 * <p>Both query protocols are served: simple (one message of statements) and extended (parse, bind,
 * describe, execute, with a row limit per execute and the text or binary format per column);
 * parameters ({@code $1}) are not, since Spark SQL has no such placeholders. The client's session
 * housekeeping (SET of PostgreSQL settings, BEGIN/COMMIT) is acknowledged without running anything.
 * PostgreSQL's system catalogs do not exist, so a tool's schema browser sees nothing; the tables are
 * found with {@code SHOW TABLES IN critmin_gold}. A cancel request stops the connection's Spark jobs.
 */
public final class PgWireServer implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(PgWireServer.class);
  private static final int SSL_REQUEST = 80877103;
  private static final int GSS_REQUEST = 80877104;
  private static final int CANCEL_REQUEST = 80877102;
  private static final int PROTOCOL_3 = 196608;
  /** Longest message accepted; a larger length is a broken or hostile client. */
  private static final int MAX_MESSAGE_BYTES = 64 << 20;
  /** PostgreSQL settings clients set or ask for on connecting; answered without Spark. */
  private static final Pattern CLIENT_SETTING = Pattern.compile(
      "(?is)\\s*(SET\\s+(SESSION\\s+|LOCAL\\s+)?[a-z_]+\\s*(=|TO)\\s*.*"
          + "|SET\\s+SESSION\\s+CHARACTERISTICS\\s+.*|SET\\s+TIME\\s+ZONE\\s+.*"
          + "|(BEGIN|START\\s+TRANSACTION|COMMIT|END|ROLLBACK|DISCARD\\s+ALL|DEALLOCATE\\s+.*)"
          + "\\s*;?\\s*)");

  /** How statements are split and run: the caller's SQL dialect and safety rules. */
  public interface Statements {
    /** The statements of one simple-protocol query text. */
    List<String> split(String text);

    /**
     * The statement's result; a {@link RuntimeException} is reported to the client as an error
     * with its message, and the connection stays open.
     */
    Dataset<Row> run(String statement);
  }

  private final SparkSession spark;
  private final Statements statements;
  private final String password;
  private final ServerSocket socket;
  private final ExecutorService connections;
  private final Map<Integer, Connection> open = new ConcurrentHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger(1);
  private final SecureRandom random = new SecureRandom();

  /**
   * Binds to {@code address}:{@code port} (0: any free port) and serves up to
   * {@code maxConnections} clients at a time; {@code password} null admits any client, otherwise
   * clients must send it (cleartext: bind to the loopback or a trusted network only).
   */
  public PgWireServer(SparkSession spark, Statements statements, InetAddress address, int port,
      String password, int maxConnections) throws IOException {
    this.spark = spark;
    this.statements = statements;
    this.password = password;
    this.socket = new ServerSocket();
    socket.bind(new InetSocketAddress(address, port));
    this.connections = Executors.newFixedThreadPool(maxConnections, r -> {
      Thread t = new Thread(r, "critmin-serve-connection");
      t.setDaemon(true);
      return t;
    });
    Thread acceptor = new Thread(this::accept, "critmin-serve-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The port the server listens on. */
  public int port() {
    return socket.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    open.values().forEach(Connection::closeQuietly);
    connections.shutdownNow();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        client.setTcpNoDelay(true);
        connections.execute(() -> new Connection(client).serve());
      } catch (IOException e) {
        if (!socket.isClosed()) {
          LOG.warn("serve: accepting a connection failed: {}", e.getMessage());
        }
      }
    }
  }

  /** One client: its socket, its prepared statements and portals, and its Spark job group. */
  private final class Connection {
    private final Socket client;
    private final int id = nextId.getAndIncrement();
    private final int secret = random.nextInt();
    private final String jobGroup = "critmin-serve-" + id;
    private final Map<String, Prepared> prepared = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();
    private DataInputStream in;
    private PgMessages out;

    Connection(Socket client) {
      this.client = client;
    }

    void serve() {
      try (client) {
        in = new DataInputStream(new BufferedInputStream(client.getInputStream()));
        out = new PgMessages(new BufferedOutputStream(client.getOutputStream()));
        if (!startUp()) {
          return;
        }
        open.put(id, this);
        spark.sparkContext().setJobGroup(jobGroup, "critmin serve connection " + id, true);
        loop();
      } catch (EOFException | SocketException e) {
        // the client went away
      } catch (IOException | RuntimeException e) {
        LOG.warn("serve: connection {} ended: {}", id, e.toString());
      } finally {
        open.remove(id);
        spark.sparkContext().clearJobGroup();
      }
    }

    void closeQuietly() {
      try {
        client.close();
      } catch (IOException e) {
        // closing anyway
      }
    }

    /** The start-up exchange; false when the connection ends with it (cancel, refusal). */
    private boolean startUp() throws IOException {
      while (true) {
        int length = in.readInt();
        if (length < 8 || length > 10_000) {
          throw new IOException("start-up message of " + length + " bytes");
        }
        int code = in.readInt();
        byte[] body = new byte[length - 8];
        in.readFully(body);
        if (code == SSL_REQUEST || code == GSS_REQUEST) {
          out.raw('N');
          continue;
        }
        if (code == CANCEL_REQUEST) {
          java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(body);
          cancel(b.getInt(), b.getInt());
          return false;
        }
        if (code != PROTOCOL_3) {
          out.error("0A000", "protocol " + (code >> 16) + "." + (code & 0xffff)
              + " is not served; use protocol 3");
          return false;
        }
        break;
      }
      if (password != null && !authenticated()) {
        return false;
      }
      out.authenticationOk();
      for (String[] setting : new String[][] {{"server_version", "14.0 (critmin, Spark SQL)"},
          {"server_encoding", "UTF8"}, {"client_encoding", "UTF8"}, {"DateStyle", "ISO, YMD"},
          {"TimeZone", "UTC"}, {"integer_datetimes", "on"},
          {"standard_conforming_strings", "on"}, {"application_name", ""}}) {
        out.parameterStatus(setting[0], setting[1]);
      }
      out.backendKeyData(id, secret);
      out.readyForQuery();
      return true;
    }

    private boolean authenticated() throws IOException {
      out.authenticationCleartext();
      int type = in.read();
      byte[] body = body();
      String given = type == 'p' ? new String(body, 0, Math.max(0, body.length - 1),
          StandardCharsets.UTF_8) : "";
      if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
          password.getBytes(StandardCharsets.UTF_8))) {
        out.error("28P01", "password authentication failed");
        return false;
      }
      return true;
    }

    private void cancel(int targetId, int targetSecret) {
      Connection target = open.get(targetId);
      if (target != null && target.secret == targetSecret) {
        spark.sparkContext().cancelJobGroup(target.jobGroup);
      }
    }

    private byte[] body() throws IOException {
      int length = in.readInt();
      if (length < 4 || length > MAX_MESSAGE_BYTES) {
        throw new IOException("message of " + length + " bytes");
      }
      byte[] body = new byte[length - 4];
      in.readFully(body);
      return body;
    }

    private void loop() throws IOException {
      boolean failedUntilSync = false;
      while (true) {
        int type = in.read();
        if (type < 0 || type == 'X') {
          return;
        }
        PgMessages.Reader message = new PgMessages.Reader(body());
        if (failedUntilSync && type != 'S') {
          continue;  // after an error, the extended protocol skips to the next Sync
        }
        try {
          switch (type) {
            case 'Q' -> simpleQuery(message.string());
            case 'P' -> parse(message);
            case 'B' -> bind(message);
            case 'D' -> describe(message.byte1(), message.string());
            case 'E' -> execute(message.string(), message.int32());
            case 'C' -> close(message.byte1(), message.string());
            case 'S' -> {
              failedUntilSync = false;
              out.readyForQuery();
            }
            case 'H' -> out.flush();
            default -> throw new ClientError("0A000", "message '" + (char) type
                + "' is not served (copy and function calls are not available)");
          }
        } catch (RuntimeException e) {
          out.error(e instanceof ClientError c ? c.code : "42000", message(e));
          if (type == 'Q') {
            out.readyForQuery();
          } else {
            failedUntilSync = true;
          }
        }
      }
    }

    private void simpleQuery(String text) throws IOException {
      List<String> parts = statements.split(text);
      if (parts.isEmpty()) {
        out.emptyQueryResponse();
      }
      for (String statement : parts) {
        Portal portal = new Portal(statement, run(statement), null);
        if (portal.result != null) {
          out.rowDescription(portal.columns());
        }
        sendRows(portal, 0);
      }
      out.readyForQuery();
    }

    private void parse(PgMessages.Reader message) throws IOException {
      String name = message.string();
      String query = message.string();
      if (message.int16() > 0 || query.matches("(?s).*\\$\\d.*")) {
        throw new ClientError("0A000", "parameters ($1...) are not served: Spark SQL has no "
            + "placeholders; send the values in the statement");
      }
      prepared.put(name, new Prepared(query.strip()));
      out.parseComplete();
    }

    private void bind(PgMessages.Reader message) throws IOException {
      String portalName = message.string();
      Prepared statement = preparedStatement(message.string());
      short[] paramFormats = new short[message.int16()];
      for (int i = 0; i < paramFormats.length; i++) {
        paramFormats[i] = message.int16();
      }
      if (message.int16() > 0) {
        throw new ClientError("0A000", "parameters are not served");
      }
      short[] resultFormats = new short[message.int16()];
      for (int i = 0; i < resultFormats.length; i++) {
        resultFormats[i] = message.int16();
      }
      Dataset<Row> result = statement.result != null ? statement.result
          : run(statement.query);
      statement.result = null;  // a later bind of the statement runs it again
      portals.put(portalName, new Portal(statement.query, result, resultFormats));
      out.bindComplete();
    }

    private void describe(byte kind, String name) throws IOException {
      if (kind == 'S') {
        Prepared statement = preparedStatement(name);
        out.parameterDescription();
        if (statement.result == null && !isClientSetting(statement.query)) {
          statement.result = run(statement.query);
        }
        if (statement.result == null) {
          out.noData();
        } else {
          out.rowDescription(PgTypes.columns(statement.result.schema(), null));
        }
        return;
      }
      Portal portal = portal(name);
      if (portal.result == null) {
        out.noData();
      } else {
        out.rowDescription(portal.columns());
      }
    }

    private void execute(String name, int maxRows) throws IOException {
      sendRows(portal(name), maxRows);
    }

    private void close(byte kind, String name) throws IOException {
      if (kind == 'S') {
        prepared.remove(name);
      } else {
        portals.remove(name);
      }
      out.closeComplete();
    }

    /** Sends up to {@code maxRows} rows (0: all); a portal with more left is suspended. */
    private void sendRows(Portal portal, int maxRows) throws IOException {
      if (portal.result == null) {
        out.commandComplete(commandTag(portal.statement));
        return;
      }
      if (portal.rows == null) {
        portal.rows = PgTypes.textReady(portal.result).toLocalIterator();
      }
      int sent = 0;
      while (portal.rows.hasNext() && (maxRows <= 0 || sent < maxRows)) {
        out.dataRow(portal.rows.next(), portal.columns());
        sent++;
        portal.count++;
      }
      if (portal.rows.hasNext()) {
        out.portalSuspended();
      } else {
        out.commandComplete("SELECT " + portal.count);
      }
    }

    private Dataset<Row> run(String statement) {
      if (isClientSetting(statement)) {
        return null;
      }
      return statements.run(statement);
    }

    private Prepared preparedStatement(String name) {
      Prepared statement = prepared.get(name);
      if (statement == null) {
        throw new ClientError("26000", "prepared statement \"" + name + "\" does not exist");
      }
      return statement;
    }

    private Portal portal(String name) {
      Portal portal = portals.get(name);
      if (portal == null) {
        throw new ClientError("34000", "portal \"" + name + "\" does not exist");
      }
      return portal;
    }
  }

  private static boolean isClientSetting(String statement) {
    return CLIENT_SETTING.matcher(statement).matches();
  }

  /** The command tag of a statement answered without rows: SET, BEGIN, COMMIT... */
  private static String commandTag(String statement) {
    String first = statement.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT)
        .replace(";", "");
    return switch (first) {
      case "START" -> "BEGIN";
      case "END" -> "COMMIT";
      case "DISCARD" -> "DISCARD ALL";
      default -> first;
    };
  }

  private static String message(RuntimeException e) {
    String text = e.getMessage() == null ? e.toString() : e.getMessage();
    return String.join(" ", text.lines().limit(3).toList()).strip();
  }

  /** A statement of the extended protocol, and its result once described. */
  private static final class Prepared {
    final String query;
    Dataset<Row> result;

    Prepared(String query) {
      this.query = query;
    }
  }

  /** A bound statement: its result, the formats asked for, and the rows sent so far. */
  private static final class Portal {
    final String statement;
    final Dataset<Row> result;
    final short[] formats;
    PgTypes.Column[] columns;
    Iterator<Row> rows;
    long count;

    Portal(String statement, Dataset<Row> result, short[] formats) {
      this.statement = statement;
      this.result = result;
      this.formats = formats;
    }

    PgTypes.Column[] columns() {
      if (columns == null) {
        columns = PgTypes.columns(result.schema(), formats);
      }
      return columns;
    }
  }

  /** An error the client caused, with its SQLSTATE. */
  private static final class ClientError extends RuntimeException {
    final String code;

    ClientError(String code, String message) {
      super(message);
      this.code = code;
    }
  }
}
