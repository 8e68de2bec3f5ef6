package org.critmin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;
import org.critmin.SampleWarehouse;
import org.critmin.SparkTestSession;
import org.critmin.config.CritminConfig;
import org.critmin.config.UserInputException;
import org.critmin.delta.Warehouse;
import org.critmin.serve.PgWireServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} answers the PostgreSQL JDBC driver as a BI tool would use it: the sample
 * warehouse's gold tables by name, both query protocols, text and binary values of every scalar
 * type, nulls, fetching in batches, errors that leave the connection usable, writes refused, and a
 * password when one is set.
 */
class ServeTest {
  // A double-quoted literal: the driver reads single quotes as PostgreSQL does (no backslash).
  private static final String TYPES = "SELECT CAST(1 AS INT) AS i, CAST(2 AS BIGINT) AS l, "
      + "CAST(2.5 AS DOUBLE) AS d, CAST(-12345.678 AS DECIMAL(12, 3)) AS n, \"Côte d'Ivoire\" AS s, "
      + "CAST(NULL AS STRING) AS missing, DATE'2024-02-29' AS day, "
      + "TIMESTAMP'2024-02-29 12:34:56.789' AS ts, true AS flag, CAST(7 AS SMALLINT) AS small, "
      + "array('ga', 'ge') AS minerals";
  private static PgWireServer server;
  private static PgWireServer guarded;

  @BeforeAll
  static void start() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Warehouse warehouse = new Warehouse(spark, SampleWarehouse.root().toString(),
        SampleWarehouse.PREFIX, CritminConfig.DeltaSettings.DEFAULTS);
    warehouse.catalog().registerAll();
    PgWireServer.Statements statements = ServeCommand.statements(spark,
        new SqlGuard(spark, warehouse.root()));
    InetAddress loopback = InetAddress.getLoopbackAddress();
    server = new PgWireServer(spark, statements, loopback, 0, null, 4);
    guarded = new PgWireServer(spark, statements, loopback, 0, "s3cret", 4);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    guarded.close();
  }

  private static Connection connect(PgWireServer s, String options) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "analyst");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + s.port() + "/critmin"
        + options, p);
  }

  @Test
  void aGoldTableByName() throws Exception {
    long expected = SparkTestSession.get().sql("SELECT count(*) FROM "
        + "sample_gold.supply_concentration WHERE stage = 'all'").first().getLong(0);
    try (Connection c = connect(server, ""); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT mineral, period, hhi FROM "
            + "sample_gold.supply_concentration WHERE stage = 'all' ORDER BY mineral, period")) {
      long rows = 0;
      while (rs.next()) {
        rows++;
        assertFalse(rs.getString("mineral").isEmpty());
        double hhi = rs.getDouble("hhi");
        assertTrue(rs.wasNull() || (hhi > 0 && hhi <= 10000), "hhi " + hhi);
      }
      assertEquals(expected, rows);
      assertEquals(Types.DOUBLE, rs.getMetaData().getColumnType(3));
    }
  }

  @Test
  void everyScalarTypeInBothProtocols() throws Exception {
    for (String mode : new String[] {"", "?preferQueryMode=simple"}) {
      try (Connection c = connect(server, mode); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(TYPES)) {
        assertTrue(rs.next(), mode);
        checkTypes(rs, mode);
        assertFalse(rs.next());
      }
    }
    // A prepared statement run again and again: the driver switches to binary values.
    try (Connection c = connect(server, "?prepareThreshold=1");
        PreparedStatement ps = c.prepareStatement(TYPES)) {
      for (int i = 0; i < 4; i++) {
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          checkTypes(rs, "prepared, run " + (i + 1));
        }
      }
    }
  }

  private static void checkTypes(ResultSet rs, String mode) throws SQLException {
    assertEquals(1, rs.getInt("i"), mode);
    assertEquals(2L, rs.getLong("l"), mode);
    assertEquals(2.5, rs.getDouble("d"), 0.0, mode);
    assertEquals(new BigDecimal("-12345.678"), rs.getBigDecimal("n"), mode);
    assertEquals("Côte d'Ivoire", rs.getString("s"), mode);
    assertNull(rs.getString("missing"), mode);
    assertEquals(java.sql.Date.valueOf("2024-02-29").toLocalDate(),
        rs.getObject("day", java.time.LocalDate.class), mode);
    assertEquals(java.time.OffsetDateTime.parse("2024-02-29T12:34:56.789Z").toInstant(),
        rs.getObject("ts", java.time.OffsetDateTime.class).toInstant(), mode);
    assertTrue(rs.getBoolean("flag"), mode);
    assertEquals(7, rs.getShort("small"), mode);
    assertEquals("[\"ga\",\"ge\"]", rs.getString("minerals"), mode);
    ResultSetMetaData meta = rs.getMetaData();
    assertEquals(Types.INTEGER, meta.getColumnType(1), mode);
    assertEquals(Types.BIGINT, meta.getColumnType(2), mode);
    assertEquals(Types.NUMERIC, meta.getColumnType(4), mode);
    assertEquals(Types.DATE, meta.getColumnType(7), mode);
  }

  @Test
  void rowsComeInBatchesOfTheFetchSize() throws Exception {
    try (Connection c = connect(server, "")) {
      c.setAutoCommit(false);  // the driver fetches in batches only inside a transaction
      try (Statement st = c.createStatement()) {
        st.setFetchSize(3);
        try (ResultSet rs = st.executeQuery("SELECT id FROM range(10) ORDER BY id")) {
          long sum = 0;
          int n = 0;
          while (rs.next()) {
            sum += rs.getLong(1);
            n++;
          }
          assertEquals(10, n);
          assertEquals(45, sum);
        }
      }
      c.commit();
    }
  }

  @Test
  void errorsAreReportedAndTheConnectionStaysUsable() throws Exception {
    try (Connection c = connect(server, ""); Statement st = c.createStatement()) {
      SQLException missing = assertThrows(SQLException.class,
          () -> st.executeQuery("SELECT * FROM sample_gold.no_such_table"));
      assertTrue(missing.getMessage().contains("no_such_table"), missing.getMessage());
      SQLException refused = assertThrows(SQLException.class,
          () -> st.execute("DROP TABLE sample_gold.supply_concentration"));
      assertTrue(refused.getMessage().contains("read-only: DropTable"), refused.getMessage());
      SQLException outside = assertThrows(SQLException.class,
          () -> st.executeQuery("SELECT * FROM text.`/etc/hostname`"));
      assertTrue(outside.getMessage().contains("read-only"), outside.getMessage());
      SQLException parameters = assertThrows(SQLException.class, () -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT ? AS x")) {
          ps.setInt(1, 1);
          ps.executeQuery();
        }
      });
      assertTrue(parameters.getMessage().contains("parameters"), parameters.getMessage());
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sample_gold.supply_concentration")) {
        assertTrue(rs.next());
        assertTrue(rs.getLong(1) > 0);
      }
    }
    assertTrue(SparkTestSession.get().catalog().tableExists("sample_gold.supply_concentration"));
  }

  @Test
  void aPasswordWhenOneIsSet() throws Exception {
    SQLException wrong = assertThrows(SQLException.class,
        () -> connect(guarded, "?password=guess").close());
    assertTrue(wrong.getMessage().contains("password authentication failed"),
        wrong.getMessage());
    try (Connection c = connect(guarded, "?password=s3cret"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 41 + 1")) {
      assertTrue(rs.next());
      assertEquals(42, rs.getInt(1));
    }
    UserInputException open = assertThrows(UserInputException.class,
        () -> ServeCommand.address("0.0.0.0", null));
    assertTrue(open.getMessage().contains(ServeCommand.PASSWORD_VARIABLE), open.getMessage());
  }
}
