package org.critmin.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

  @Test
  void summaryListsTablesRowsRejectsAndTheReport() {
    Map<String, Long> written = new LinkedHashMap<>();
    written.put("critmin_silver.trade_flows", 55669L);
    written.put("critmin_gold.pipeline_runs", 1L);
    List<RunSummary.Stage> stages = List.of(
        new RunSummary.Stage("ingest", 12.34, new WorkCounter.Work(10, 12, 0)),
        new RunSummary.Stage("refine", 8.0, new WorkCounter.Work(9, 30, 1)));
    String text = RunSummary.format("pipeline", "r1", Duration.ofSeconds(125), "file:/w", written,
        Map.of("critmin_silver.trade_flows", 55669L, "critmin_gold.pipeline_runs", 3L), stages,
        new WorkCounter.Work(21, 44, 1), 61838, 2, Map.of("report", "file:/w/report/index.html"),
        List.of("files not read: 1 in the input folders, each in critmin_bronze.ingest_files with "
            + "skipped_reason: file:/in/readme.md (not a data file name)"));
    assertTrue(text.contains("files not read: 1 in the input folders"), text);
    assertTrue(text.contains("critmin pipeline succeeded in 2m05s (run r1)"), text);
    assertTrue(text.contains("critmin_silver.trade_flows         55,669         55,669"), text);
    assertTrue(text.contains("critmin_gold.pipeline_runs              1              3"), text);
    assertTrue(text.contains("input lines read: 61,838; rejected: 2 (reasons in"), text);
    assertTrue(text.contains("  ingest              12.3              10          12"), text);
    assertTrue(text.contains("  refine               8.0               9          30"), text);
    assertTrue(text.contains("  whole run                             21          44"), text);
    assertTrue(text.contains("report: file:/w/report/index.html"), text);
  }
}
