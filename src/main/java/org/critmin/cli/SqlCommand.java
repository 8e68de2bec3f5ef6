package org.critmin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.config.CritminConfig;
import org.critmin.config.UserInputException;
import org.critmin.delta.Warehouse;
import org.critmin.run.JobRunner;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs SQL against the warehouse, with every table registered by name
 * ({@code critmin_gold.supply_concentration}). {@code -f} runs a SQL file or a Databricks-source
 * notebook ({@code -- COMMAND ----------} between cells) cell by cell, printing each cell's result;
 * with neither {@code -e} nor {@code -f} it is a shell ({@link SqlShell}) over one session.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Query the warehouse tables with Spark SQL.")
final class SqlCommand implements Callable<Integer> {

  @Mixin
  JobOptions options;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Source source;

  static final class Source {
    @Option(names = "-e", paramLabel = "SQL", description = "Statements to run (; separated).")
    String statements;

    @Option(names = "-f", paramLabel = "FILE", description = "SQL file or SQL notebook to run.")
    Path file;
  }

  @Option(names = "--format", defaultValue = "table",
      description = "Output format: table, csv or json (one JSON object a line).")
  String format;

  @Option(names = "--allow-writes",
      description = "Also run statements that change tables or settings (DELETE, VACUUM, SET of "
          + "Delta's checks...) and read files outside the warehouse; recorded in pipeline_runs.")
  boolean allowWrites;

  @Option(names = "--limit", defaultValue = "1000",
      description = "Most rows printed per result (default ${DEFAULT-VALUE}; 0 for all).")
  int limit;

  @Override
  public Integer call() {
    if (!List.of("table", "csv", "json").contains(format)) {
      throw new UserInputException("--format must be table, csv or json, got '" + format + "'");
    }
    List<List<String>> cells = source == null ? List.of()
        : source.file != null ? SqlScript.cells(read(source.file))
        : List.of(SqlScript.statements(source.statements));
    CritminConfig config = options.load();
    try (CommandSession session = new CommandSession(config,
        allowWrites ? "sql --allow-writes" : null)) {
      SparkSession spark = session.spark();
      Warehouse warehouse = session.warehouse();
      List<String> tables = warehouse.catalog().registerAll();
      SqlGuard guard = allowWrites ? null : new SqlGuard(spark, warehouse.root());
      if (allowWrites) {
        // Recorded before anything runs, so that a statement that fails half-way is on record.
        JobRunner.recordCommand(spark, config, warehouse, session.runId(), "sql --allow-writes",
            java.time.Instant.now(), "started", source == null ? "interactive"
                : source.file != null ? "-f " + source.file : "-e " + source.statements);
      }
      PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
      if (source == null) {
        // While the user types the first statement, each table's state is loaded and a scan
        // compiled once, so that the first query answers as fast as the later ones.
        Runnable warmUp = () -> tables.forEach(table -> spark.table(table).limit(1).collect());
        return new SqlShell(statement -> {
          Dataset<Row> result = execute(spark, guard, statement, "");
          print(result, out);
        }, warmUp, System.err).run();
      }
      for (int i = 0; i < cells.size(); i++) {
        if (cells.size() > 1) {
          out.println("-- cell " + (i + 1));
        }
        Dataset<Row> result = null;
        for (String statement : cells.get(i)) {
          result = execute(spark, guard, statement, where(i, cells.size()));
        }
        if (result != null) {
          print(result, out);
        }
      }
      return 0;
    }
  }

  /**
   * Runs one statement, first checked by {@code guard} unless writes are allowed; a SQL error
   * (parse errors included) is the user's, with its first lines.
   */
  static Dataset<Row> execute(SparkSession spark, SqlGuard guard, String statement,
      String where) {
    try {
      if (guard == null) {
        return spark.sql(statement);
      }
      guard.checkStatement(statement);
      Dataset<Row> result = spark.sql(statement);
      guard.checkSources(result);
      return result;
    } catch (UserInputException e) {
      throw new UserInputException((where.isEmpty() ? "" : where.strip() + ": ")
          + e.getMessage());
    } catch (Exception e) {
      if (!(e instanceof AnalysisException)) {
        throw e;
      }
      throw new UserInputException("SQL error" + where + ": "
          + String.join(" ", e.getMessage().lines().limit(3).toList()).strip());
    }
  }

  private static String where(int cell, int cells) {
    return cells > 1 ? " in cell " + (cell + 1) : "";
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserInputException("cannot read SQL file " + file + ": " + e.getMessage());
    }
  }

  private void print(Dataset<Row> result, PrintStream out) {
    Dataset<Row> limited = limit > 0 ? result.limit(limit) : result;
    String[] columns = result.columns();
    switch (format) {
      case "csv" -> {
        out.println(String.join(",", List.of(columns).stream().map(SqlCommand::csv).toList()));
        Iterator<Row> rows = limited.toLocalIterator();
        while (rows.hasNext()) {
          Row row = rows.next();
          List<String> values = new ArrayList<>();
          for (int i = 0; i < columns.length; i++) {
            Object value = row.get(i);
            values.add(value == null ? "" : value instanceof String text
                ? csv(neutralised(text)) : csv(String.valueOf(value)));
          }
          out.println(String.join(",", values));
        }
      }
      case "json" -> {
        Iterator<String> rows = limited.toJSON().toLocalIterator();
        while (rows.hasNext()) {
          out.println(rows.next());
        }
      }
      default -> {
        out.flush();
        limited.show(limit > 0 ? limit : Integer.MAX_VALUE, false);
      }
    }
  }

  /**
   * A text cell that a spreadsheet would take for a formula ({@code =}, {@code +}, {@code -},
   * {@code @}, tab or carriage return first) gets a leading apostrophe; numbers stay as they are.
   */
  static String neutralised(String text) {
    return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
  }

  private static String csv(String value) {
    boolean quote = value.contains(",") || value.contains("\"") || value.contains("\n");
    return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }
}
