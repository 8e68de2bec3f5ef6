package org.critmin.run;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.critmin.delta.TableWriter;

/**
 * The one-screen summary printed to standard output at the end of a successful run: each table
 * written with the rows this run wrote and the rows it holds now, each stage's time and Spark work
 * (docs/performance.md, "Work budget"), input lines read and rejected, and where the files the run
 * produced (the report) are.
 */
final class RunSummary {

  /** One stage of the run: its wall time and the Spark work it did. */
  record Stage(String name, double seconds, WorkCounter.Work work) {}

  private RunSummary() {}

  static String of(String command, RunContext context, Instant started, List<Stage> stages,
      WorkCounter.Work total) {
    RunLedger ledger = context.ledger();
    Map<String, Long> writtenByTable = new LinkedHashMap<>();
    for (TableWriter.Write write : ledger.writes()) {
      writtenByTable.merge(write.table(), Math.max(write.rows(), 0), Long::sum);
    }
    Map<String, Long> rowsNow = new LinkedHashMap<>();
    for (String table : writtenByTable.keySet()) {
      rowsNow.put(table, ledger.rowCount(table));
    }
    return format(command, context.runId(), Duration.between(started, Instant.now()),
        context.warehouse().root(), writtenByTable, rowsNow, stages, total, context.rowsIn(),
        context.rowsRejected(), context.outputs(), context.notices());
  }

  /** The text of the summary; every number is passed in, so it is tested without Spark. */
  static String format(String command, String runId, Duration elapsed, String warehouseRoot,
      Map<String, Long> writtenByTable, Map<String, Long> rowsNow, List<Stage> stages,
      WorkCounter.Work total, long linesRead, long linesRejected, Map<String, String> outputs,
      List<String> notices) {
    StringBuilder s = new StringBuilder();
    s.append(String.format("%ncritmin %s succeeded in %dm%02ds (run %s)%n", command,
        elapsed.toMinutes(), elapsed.toSecondsPart(), runId));
    s.append("warehouse: ").append(warehouseRoot).append(System.lineSeparator());
    if (!writtenByTable.isEmpty()) {
      int width = writtenByTable.keySet().stream().mapToInt(String::length).max().orElse(5);
      s.append(String.format("  %-" + width + "s %14s %14s%n", "table", "rows written",
          "rows now"));
      for (Map.Entry<String, Long> e : writtenByTable.entrySet()) {
        s.append(String.format("  %-" + width + "s %,14d %,14d%n", e.getKey(), e.getValue(),
            rowsNow.getOrDefault(e.getKey(), 0L)));
      }
    }
    if (!stages.isEmpty()) {
      String row = "  %-14s %9s %15s %11s %21s%n";
      s.append(String.format(row, "stage", "seconds", "SQL executions", "Spark jobs",
          "Delta state rebuilds"));
      for (Stage stage : stages) {
        s.append(String.format(row, stage.name(), String.format("%.1f", stage.seconds()),
            stage.work().sqlExecutions(), stage.work().jobs(), stage.work().stateRebuilds()));
      }
      s.append(String.format(row, "whole run", "", total.sqlExecutions(), total.jobs(),
          total.stateRebuilds()));
    }
    if (linesRead > 0 || linesRejected > 0) {
      s.append(String.format("input lines read: %,d; rejected: %,d%s%n", linesRead, linesRejected,
          linesRejected > 0 ? " (reasons in the bronze table rejected_records)" : ""));
    }
    for (String notice : notices) {
      s.append(notice).append(System.lineSeparator());
    }
    for (Map.Entry<String, String> output : outputs.entrySet()) {
      s.append(output.getKey()).append(": ").append(output.getValue())
          .append(System.lineSeparator());
    }
    return s.toString();
  }
}
