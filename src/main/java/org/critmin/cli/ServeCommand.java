package org.critmin.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.config.UserInputException;
import org.critmin.delta.Warehouse;
import org.critmin.serve.PgWireServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Serves the warehouse tables by name over the PostgreSQL protocol ({@link PgWireServer}), read
 * only as {@code sql} is, until stopped (Ctrl-C, SIGTERM): one Spark session answers every client,
 * so a query pays no JVM start-up (docs/usage.md, "Serving SQL").
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve the warehouse tables to JDBC, ODBC, psql, Python and BI tools over the "
        + "PostgreSQL protocol (read-only Spark SQL).")
final class ServeCommand implements Callable<Integer> {
  /** The environment variable holding the password clients must give, if any. */
  static final String PASSWORD_VARIABLE = "CRITMIN_SERVE_PASSWORD";

  @Mixin
  JobOptions options;

  @Option(names = "--port", defaultValue = "15432",
      description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only). Any other "
          + "address needs a password in $" + PASSWORD_VARIABLE + ".")
  String bind;

  @Option(names = "--max-connections", defaultValue = "16",
      description = "Clients served at the same time (default ${DEFAULT-VALUE}).")
  int maxConnections;

  @Override
  public Integer call() throws IOException, InterruptedException {
    String password = System.getenv(PASSWORD_VARIABLE);
    InetAddress address = address(bind, password);
    if (maxConnections < 1) {
      throw new UserInputException("--max-connections must be at least 1, got " + maxConnections);
    }
    try (CommandSession session = new CommandSession(options.load())) {
      SparkSession spark = session.spark();
      Warehouse warehouse = session.warehouse();
      List<String> tables = warehouse.catalog().registerAll();
      SqlGuard guard = new SqlGuard(spark, warehouse.root());
      CountDownLatch stopped = new CountDownLatch(1);
      try (PgWireServer server = new PgWireServer(spark, statements(spark, guard), address, port,
          password, maxConnections)) {
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
        System.out.println("serving " + tables.size() + " tables of " + warehouse.root() + " on "
            + address.getHostAddress() + ":" + server.port() + (password == null ? ""
            : " (password required)") + "; connect with jdbc:postgresql://"
            + address.getHostAddress() + ":" + server.port() + "/critmin, or psql -h "
            + address.getHostAddress() + " -p " + server.port() + " critmin; Ctrl-C stops");
        stopped.await();
      }
      return 0;
    }
  }

  /**
   * The address to bind; anything but the loopback without a password is refused, since every
   * table would be open to the network.
   */
  static InetAddress address(String bind, String password) {
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (IOException e) {
      throw new UserInputException("--bind " + bind + " is not an address of this machine: "
          + e.getMessage());
    }
    if (!address.isLoopbackAddress() && (password == null || password.isEmpty())) {
      throw new UserInputException("--bind " + bind + " would open the warehouse to the network "
          + "without a password: set " + PASSWORD_VARIABLE + " (clients send it in cleartext, so "
          + "use a trusted network or a tunnel)");
    }
    return address;
  }

  /** Statements as {@code sql} splits and guards them (read-only, warehouse tables only). */
  static PgWireServer.Statements statements(SparkSession spark, SqlGuard guard) {
    return new PgWireServer.Statements() {
      @Override
      public List<String> split(String text) {
        return SqlScript.statements(text);
      }

      @Override
      public Dataset<Row> run(String statement) {
        return SqlCommand.execute(spark, guard, statement, "");
      }
    };
  }
}
