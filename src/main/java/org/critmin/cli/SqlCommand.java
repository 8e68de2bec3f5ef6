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
import org.critmin.delta.SparkSessions;
import org.critmin.delta.Warehouse;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs SQL against the warehouse, with every table registered by name
 * ({@code critmin_gold.supply_concentration}). {@code -f} runs a SQL file or a Databricks-source
 * notebook ({@code -- COMMAND ----------} between cells) cell by cell, printing each cell's result.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Query the warehouse tables with Spark SQL.")
final class SqlCommand implements Callable<Integer> {

  @Mixin
  JobOptions options;

  @ArgGroup(exclusive = true, multiplicity = "1")
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

  @Option(names = "--limit", defaultValue = "1000",
      description = "Most rows printed per result (default ${DEFAULT-VALUE}; 0 for all).")
  int limit;

  @Override
  public Integer call() {
    if (!List.of("table", "csv", "json").contains(format)) {
      throw new UserInputException("--format must be table, csv or json, got '" + format + "'");
    }
    List<List<String>> cells = source.file != null ? SqlScript.cells(read(source.file))
        : List.of(SqlScript.statements(source.statements));
    CritminConfig config = options.load();
    boolean sessionExisted = SparkSessions.sessionRunning();
    SparkSession spark = SparkSessions.create(config);
    try {
      new Warehouse(spark, config.warehouse(), config.databasePrefix()).registerAll();
      PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
      for (int i = 0; i < cells.size(); i++) {
        if (cells.size() > 1) {
          out.println("-- cell " + (i + 1));
        }
        Dataset<Row> result = null;
        for (String statement : cells.get(i)) {
          try {
            result = spark.sql(statement);
          } catch (Exception e) {
            if (!(e instanceof AnalysisException)) {
              throw e;
            }
            // Parse errors are AnalysisExceptions too; their first lines say where.
            throw new UserInputException("SQL error" + where(i, cells.size()) + ": "
                + String.join(" ", e.getMessage().lines().limit(3).toList()).strip());
          }
        }
        if (result != null) {
          print(result, out);
        }
      }
      return 0;
    } finally {
      SparkSessions.stopIfOwned(spark, sessionExisted);
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
            values.add(row.isNullAt(i) ? "" : csv(String.valueOf(row.get(i))));
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

  private static String csv(String value) {
    boolean quote = value.contains(",") || value.contains("\"") || value.contains("\n");
    return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }
}
