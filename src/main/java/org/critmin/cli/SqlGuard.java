package org.critmin.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoDir;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.command.ExplainCommand;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.critmin.config.UserInputException;
import scala.PartialFunction;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FunctionConverters;

/**
 * What {@code jobs/critmin sql} runs without {@code --allow-writes} (docs/usage.md, "Safety"):
 * queries (time travel included), DESCRIBE, SHOW and EXPLAIN, reading only the tables under the
 * warehouse. Everything else (DELETE, UPDATE, MERGE, INSERT, CREATE, DROP, VACUUM, SET of a value,
 * writes to directories) could destroy data or its history, and path reads could expose any file
 * the process may read; both are refused before anything runs.
 */
final class SqlGuard {

  /** Commands that only describe (by the parser's class names, Spark's and Delta's). */
  private static final Set<String> DESCRIBING = Set.of("DescribeRelation", "DescribeColumn",
      "DescribeNamespace", "DescribeFunction", "ShowTables", "ShowTablesExtended",
      "ShowNamespaces", "ShowColumns", "ShowTableProperties", "ShowFunctions", "ShowViews",
      "ShowCreateTable", "ShowPartitions", "ShowCatalogs", "ShowCurrentNamespace",
      "DescribeDeltaHistory", "DescribeDeltaDetailCommand", "DescribeDeltaHistoryCommand");

  private final SparkSession spark;
  private final Path root;

  SqlGuard(SparkSession spark, String warehouseRoot) {
    this.spark = spark;
    this.root = new Path(warehouseRoot);
  }

  /** Refuses {@code statement} unless it only reads or describes. */
  void checkStatement(String statement) {
    LogicalPlan plan;
    try {
      plan = spark.sessionState().sqlParser().parsePlan(statement);
    } catch (Exception e) {
      return;  // a parse error is reported when the statement runs, with its position
    }
    String refused = refusal(plan);
    if (refused != null) {
      throw new UserInputException("read-only: " + refused + " is refused; sql runs queries "
          + "(time travel included), DESCRIBE, SHOW and EXPLAIN; an administrator may run it "
          + "with --allow-writes, which pipeline_runs records");
    }
  }

  private static String refusal(LogicalPlan plan) {
    String kind = plan.getClass().getSimpleName();
    if (plan instanceof ExplainCommand explain) {
      return refusal(explain.logicalPlan());
    }
    if (DESCRIBING.contains(kind)) {
      return null;
    }
    // SET that shows, or changes a session setting other than Delta's safety checks.
    if (plan instanceof org.apache.spark.sql.execution.command.SetCommand set) {
      boolean deltaSafety = set.kv().isDefined()
          && set.kv().get()._1().toLowerCase(java.util.Locale.ROOT).startsWith("spark.databricks.");
      return deltaSafety ? "SET " + set.kv().get()._1() : null;
    }
    if (plan instanceof Command || plan instanceof InsertIntoStatement
        || plan instanceof InsertIntoDir) {
      return kind;
    }
    return null;
  }

  /**
   * Refuses a query that reads files outside the warehouse ({@code text.`/etc/hostname`}, a
   * Delta table by a path of another warehouse); tables by name and by path under the root pass.
   */
  void checkSources(Dataset<Row> result) {
    LogicalPlan analyzed = result.queryExecution().analyzed();
    List<Object> nodes = CollectionConverters.asJava(analyzed.collectWithSubqueries(
        PartialFunction.fromFunction(FunctionConverters.asScalaFromFunction(
            (LogicalPlan node) -> (Object) node))));
    List<String> outside = new ArrayList<>();
    String rootUri = qualified(root);
    for (Object node : nodes) {
      if (node instanceof LogicalRelation relation
          && relation.relation() instanceof HadoopFsRelation files) {
        for (Path path : CollectionConverters.asJava(files.location().rootPaths())) {
          String location = qualified(path);
          if (!location.equals(rootUri) && !location.startsWith(rootUri + "/")) {
            outside.add(path.toString());
          }
        }
      }
    }
    if (!outside.isEmpty()) {
      throw new UserInputException("read-only: sql reads the tables of the warehouse " + root
          + " only, not " + String.join(", ", outside));
    }
  }

  private String qualified(Path path) {
    try {
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(path)
          .toUri().normalize().toString().replaceAll("/+$", "");
    } catch (java.io.IOException e) {
      return path.toUri().normalize().toString();
    }
  }
}
