package org.critmin.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.critmin.config.CritminConfig;
import org.critmin.delta.TableSpec;
import org.critmin.delta.Tables;
import org.critmin.delta.Warehouse;
import org.critmin.run.Job;
import org.critmin.run.RunContext;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Writes the HTML report ({@code <report.out>/index.html}, by default under
 * {@code <warehouse>/report}) from the gold tables: concentration trends, China-linked shares, top
 * suppliers, importers' dependency, governance-weighted concentration, shock estimates and event
 * studies, scenario exposure and stockpile cover. Spark aggregates; the report collects only the
 * small results (each limited), all in one query ({@link ReportBatch}). Inside {@code pipeline}
 * the tables are the ones the run's stages handed on; alone it reads the warehouse. A table that
 * exists in neither gives a section that says which command computes it.
 */
public final class ReportJob implements Job {
  private static final Logger LOG = LogManager.getLogger(ReportJob.class);
  /** Most rows any chart's data may collect to the driver. */
  static final int MAX_CHART_ROWS = 20_000;
  private static final String ALL = "all";
  private static final List<String> PRODUCTION_CHART_STAGES = List.of("mine", "smelter",
      "refined");

  @Override
  public String name() {
    return "report";
  }

  @Override
  public void run(RunContext context) {
    Warehouse warehouse = context.warehouse();
    Report report = new Report(context, warehouse, context.config());
    String html = report.build();
    String location = write(context.spark(), outputFolder(context.config(), warehouse.root()),
        html);
    context.addOutput("report", location);
    LOG.info("report: {} charts, {} KiB, written to {}", report.page.chartCount(),
        html.length() / 1024, location);
  }

  /** {@code report.out}, or the folder {@code report} under the warehouse root. */
  static String outputFolder(CritminConfig config, String warehouseRoot) {
    String out = config.report().out();
    return out == null || out.isBlank() ? warehouseRoot + "/report" : out.replaceAll("/+$", "");
  }

  private static String write(SparkSession spark, String folder, String html) {
    Path file = new Path(folder, "index.html");
    // A FileSystem of its own: no checksum side file next to the report, and the cached
    // instance Spark shares is left as it is.
    try (FileSystem fs = FileSystem.newInstance(file.toUri(),
        spark.sparkContext().hadoopConfiguration())) {
      fs.setWriteChecksum(false);
      fs.mkdirs(file.getParent());
      try (OutputStream out = fs.create(file, true)) {
        out.write(html.getBytes(StandardCharsets.UTF_8));
      }
      return fs.makeQualified(file).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + file, e);
    }
  }

  /** One report being built. */
  private static final class Report {
    private final RunContext context;
    private final Warehouse warehouse;
    private final CritminConfig config;
    private final CritminConfig.Report settings;
    final HtmlPage page = new HtmlPage();
    /** Every query result of the report, fetched by one Spark query before the page is drawn. */
    private final ReportBatch batch = new ReportBatch();

    Report(RunContext context, Warehouse warehouse, CritminConfig config) {
      this.context = context;
      this.warehouse = warehouse;
      this.config = config;
      this.settings = config.report();
    }

    String build() {
      page.heading(1, null, "critmin: critical-mineral supply report");
      page.note("Warehouse " + warehouse.root() + ". Shares are fractions of trade value in US "
          + "dollars; HHI on the 0-10000 scale. A year of monthly data is summarised by "
          + "value-weighted means of its months; an annual figure is preferred where it exists.");
      page.navigation(List.of(
          new String[] {"runs", "Runs"},
          new String[] {"trends", "Concentration trends"},
          new String[] {"china", "China-linked share"},
          new String[] {"suppliers", "Top suppliers"},
          new String[] {"importers", "Importer dependency"},
          new String[] {"governance", "Governance"},
          new String[] {"shocks", "Shocks"},
          new String[] {"scenarios", "Scenarios"}));
      plan();
      batch.fetch();
      runs();
      List<Row> latest = batch.has("latest") ? batch.rows("latest") : List.of();
      trends();
      chinaLinked(latest);
      topSuppliers();
      importers();
      governance(latest);
      shocks();
      scenarios();
      return page.render("critmin report");
    }

    /**
     * The queries of every section, each a small aggregate of a table of the run (or the
     * warehouse); a table that does not exist adds none, and its section says which command
     * computes it.
     */
    private void plan() {
      table(Tables.PIPELINE_RUNS).ifPresent(runs -> batch.add("runs",
          runs.orderBy(col("started_at").desc()), 5));
      table(Tables.DATA_QUALITY).ifPresent(quality -> batch.add("quality",
          quality.agg(sum("rows_read"), sum("rows_kept"), sum("rows_rejected"),
              sum("rows_filtered")), 1));
      table(Tables.SUPPLY_CONCENTRATION).ifPresent(all -> {
        Dataset<Row> supply = all.filter(col("basis").equalTo(config.supplyBases().get(0)));
        Dataset<Row> yearly = ReportData.yearly(supply, List.of("mineral", "stage"),
            List.of("china_linked_share", "hhi", "top3_share", "hhi_wgi"));
        batch.add("latest", ReportData.latestYear(yearly, "mineral").orderBy("mineral", "stage"),
            MAX_CHART_ROWS);
        Dataset<Row> minerals = ReportData.mineralsByValue(supply).limit(settings.maxMinerals());
        batch.add("minerals", minerals, settings.maxMinerals());
        batch.add("trend", ReportData.trend(supply.join(minerals.select("mineral"), "mineral"))
            .orderBy("mineral", "stage", "period"), MAX_CHART_ROWS);
      });
      table(Tables.BILATERAL_FLOWS).ifPresent(bilateral -> batch.add("suppliers",
          ReportData.topSuppliers(bilateral, settings.topSuppliers()).orderBy("mineral", "rank"),
          MAX_CHART_ROWS));
      table(Tables.PARTNER_CONCENTRATION).ifPresent(partner -> {
        Dataset<Row> imports = partner.filter(col("flow").equalTo("M")
            .and(col("stage").equalTo(ALL))
            .and(col("reporter_iso3").isin(settings.importers().toArray())));
        batch.add("importers", ReportData.latestYear(ReportData.yearly(imports,
                List.of("reporter_iso3", "mineral"), List.of("china_linked_share", "hhi",
                    "bloc_share", "top_partner_share")), "mineral")
            .orderBy("mineral", "reporter_iso3"), MAX_CHART_ROWS);
      });
      // One figure per mineral and stage: the latest year, USGS before BGS within a year.
      table(Tables.PRODUCTION_CONCENTRATION).ifPresent(production -> batch.add("production",
          production.filter(col("hhi_wgi").isNotNull())
              .withColumn("pick", row_number().over(Window.partitionBy("mineral", "stage")
                  .orderBy(col("year").desc(), col("source").desc())))
              .filter(col("pick").equalTo(1))
              .orderBy("mineral", "stage"), MAX_CHART_ROWS));
      table(Tables.SHOCK_ESTIMATES).ifPresent(estimates -> batch.add("estimates",
          estimates.orderBy("model", "term", "event_id"), settings.maxTableRows()));
      table(Tables.EVENT_STUDY).ifPresent(events -> batch.add("events",
          events.orderBy("model", "event_id", "rel_period"), MAX_CHART_ROWS));
      table(Tables.DISRUPTION_EXPOSURE).ifPresent(exposure -> batch.add("exposure", exposure
          .withColumn("latest_year", max("year").over(Window.partitionBy("scenario")))
          .filter(col("year").equalTo(col("latest_year")))
          .groupBy("scenario", "importer_iso3", "year")
          .agg(sum("import_value_usd").as("import_value_usd"),
              sum("at_risk_value_usd").as("at_risk_value_usd"),
              sum("replaceable_value_usd").as("replaceable_value_usd"),
              sum("uncovered_value_usd").as("uncovered_value_usd"))
          .withColumn("rank", row_number().over(Window.partitionBy("scenario")
              .orderBy(col("at_risk_value_usd").desc_nulls_last(), col("importer_iso3"))))
          .filter(col("rank").leq(15))
          .orderBy("scenario", "rank"), MAX_CHART_ROWS));
      table(Tables.STOCKPILE_COVER).ifPresent(cover -> batch.add("stockpiles", cover
          .withColumn("latest_year", max("year").over(Window.partitionBy("scenario")))
          .filter(col("year").equalTo(col("latest_year")))
          .orderBy(col("scenario"), col("importer_iso3"), col("mineral"), col("stage")),
          settings.maxTableRows()));
      for (TableSpec generic : List.of(Tables.BLOC_SOURCING, Tables.BENCHMARK_PRICES)) {
        table(generic).ifPresent(rows -> batch.add(generic.name(), rows.drop("run_id"),
            settings.maxTableRows()));
      }
    }

    private void runs() {
      page.heading(2, "runs", "Runs and data quality");
      if (batch.has("runs")) {
        List<List<String>> rows = new ArrayList<>();
        for (Row r : batch.rows("runs")) {
          rows.add(List.of(text(r, "run_id"), text(r, "command"), text(r, "status"),
              text(r, "started_at"), count(r, "rows_in"), count(r, "rows_out"),
              count(r, "rows_rejected")));
        }
        page.paragraph("Latest runs recorded in pipeline_runs (this report's own run is "
            + "recorded when it ends).");
        page.table(List.of("run", "command", "status", "started (UTC)", "rows in", "rows out",
            "rows rejected"), rows);
      }
      if (batch.has("quality")) {
        Row totals = batch.rows("quality").get(0);
        page.paragraph("Input lines accounted for in data_quality:");
        page.table(List.of("read", "kept", "rejected", "filtered"), List.of(List.of(
            count(totals, 0), count(totals, 1), count(totals, 2), count(totals, 3))));
      } else {
        page.missing("No data quality figures in this warehouse: run jobs/critmin refine.");
      }
    }

    private void trends() {
      page.heading(2, "trends", "Supply concentration trends by mineral and stage");
      if (!batch.has("trend")) {
        page.missing(missing("supply_concentration", "concentration"));
        return;
      }
      List<String> minerals = batch.rows("minerals").stream().map(r -> r.getString(0)).toList();
      page.note("World supply by exporting country (basis " + config.supplyBases().get(0)
          + "): HHI and the share of the three largest suppliers, per stage and for the mineral "
          + "as a whole (all); the " + minerals.size() + " minerals with the largest traded "
          + "value, annual figures where a mineral has them, else monthly.");
      List<Row> points = batch.rows("trend");
      for (String mineral : minerals) {
        DefaultCategoryDataset hhi = new DefaultCategoryDataset();
        DefaultCategoryDataset top3 = new DefaultCategoryDataset();
        boolean monthly = false;
        for (Row p : points) {
          if (!mineral.equals(p.getAs("mineral"))) {
            continue;
          }
          String period = p.getAs("period");
          monthly |= period.length() > 4;
          hhi.addValue(number(p, "hhi"), p.<String>getAs("stage"), period);
          top3.addValue(number(p, "top3_share"), p.<String>getAs("stage"), period);
        }
        if (hhi.getColumnCount() > 0) {
          page.chart(Charts.trend("trend-" + mineral, mineral, hhi, top3, monthly));
        }
      }
    }

    private void chinaLinked(List<Row> latest) {
      page.heading(2, "china", "China-linked share of world supply by mineral and stage");
      if (latest.isEmpty()) {
        page.missing(missing("supply_concentration", "concentration"));
        return;
      }
      DefaultCategoryDataset shares = new DefaultCategoryDataset();
      List<List<String>> rows = new ArrayList<>();
      for (Row r : latest) {
        shares.addValue(number(r, "china_linked_share"), r.<String>getAs("stage"),
            r.<String>getAs("mineral"));
        rows.add(List.of(text(r, "mineral"), text(r, "stage"), text(r, "year"),
            percent(r, "china_linked_share"), integer(r, "hhi"), percent(r, "top3_share"),
            millions(r, "total_value_usd")));
      }
      page.chart(Charts.bars("china-linked", "China-linked share (CHN, HKG, MAC) of world "
          + "exports, latest year per mineral", shares, "share of value", 1.0));
      page.table(List.of("mineral", "stage", "year", "China-linked", "HHI", "top-3 share",
          "value (USD million)"), rows);
    }

    private void topSuppliers() {
      page.heading(2, "suppliers", "Top suppliers");
      if (!batch.has("suppliers")) {
        page.missing(missing("bilateral_flows", "refine"));
        return;
      }
      List<Row> top = batch.rows("suppliers");
      DefaultCategoryDataset shares = new DefaultCategoryDataset();
      Map<String, String> labels = new LinkedHashMap<>();
      Map<String, Double> listed = new LinkedHashMap<>();
      List<List<String>> rows = new ArrayList<>();
      for (Row r : top) {
        String mineral = r.<String>getAs("mineral") + " " + r.<Object>getAs("year");
        String rank = ordinal(r.<Integer>getAs("rank"));
        shares.addValue(number(r, "share"), rank, mineral);
        labels.put(rank + "|" + mineral, r.getAs("exporter_iso3"));
        listed.merge(mineral, number(r, "share"), Double::sum);
        rows.add(List.of(text(r, "mineral"), text(r, "year"), text(r, "rank"),
            text(r, "exporter_iso3"), millions(r, "value_usd"), percent(r, "share")));
      }
      listed.forEach((mineral, share) -> shares.addValue(Math.max(1.0 - share, 0), "others",
          mineral));
      page.note("Largest exporters of each mineral in its latest year, all stages together, "
          + "from the reconciled bilateral flows; each segment is labelled with the supplier.");
      if (!top.isEmpty()) {
        page.chart(Charts.stackedBars("top-suppliers", "Shares of the largest suppliers, latest "
            + "year per mineral", shares, "share of world exports", 1.0, labels));
      }
      page.table(List.of("mineral", "year", "rank", "exporter", "value (USD million)", "share"),
          rows);
    }

    private void importers() {
      page.heading(2, "importers", "Importer dependency on China-linked supply");
      if (!batch.has("importers")) {
        page.missing(missing("partner_concentration", "concentration"));
        return;
      }
      List<Row> latest = batch.rows("importers");
      if (latest.isEmpty()) {
        page.missing("None of the importers " + String.join(", ", settings.importers())
            + " (report.importers) reports imports in this warehouse.");
        return;
      }
      DefaultCategoryDataset shares = new DefaultCategoryDataset();
      List<List<String>> rows = new ArrayList<>();
      for (Row r : latest) {
        shares.addValue(number(r, "china_linked_share"), r.<String>getAs("reporter_iso3"),
            r.<String>getAs("mineral"));
        rows.add(List.of(text(r, "reporter_iso3"), text(r, "mineral"), text(r, "year"),
            percent(r, "china_linked_share"), percent(r, "bloc_share"), integer(r, "hhi"),
            percent(r, "top_partner_share"), millions(r, "total_value_usd")));
      }
      page.note("From each importer's own reports (partner_concentration, flow M, all stages); "
          + "bloc share is the share of the configured partner bloc (" + config.bloc() + ").");
      page.chart(Charts.bars("importer-dependency", "China-linked share of imports, latest year "
          + "per mineral", shares, "share of import value", 1.0));
      page.table(List.of("importer", "mineral", "year", "China-linked", "bloc", "sourcing HHI",
          "top partner share", "imports (USD million)"), rows);
    }

    private void governance(List<Row> latest) {
      page.heading(2, "governance", "Governance-weighted concentration");
      page.note("HHI-WGI = sum of squared shares times the supplier's World Bank political "
          + "stability score rescaled to 0 (best) .. 10 (worst); 0..10, higher means supply "
          + "concentrated in less stable countries.");
      if (latest.isEmpty()) {
        page.missing(missing("supply_concentration", "concentration"));
      } else {
        DefaultCategoryDataset trade = new DefaultCategoryDataset();
        for (Row r : latest) {
          if (!r.isNullAt(r.fieldIndex("hhi_wgi"))) {
            trade.addValue(number(r, "hhi_wgi"), r.<String>getAs("stage"),
                r.<String>getAs("mineral"));
          }
        }
        page.chart(Charts.bars("hhi-wgi-trade", "HHI-WGI of world exports, latest year per "
            + "mineral", trade, "HHI-WGI (0-10)", null));
      }
      if (!batch.has("production")) {
        page.missing(missing("production_concentration", "concentration"));
        return;
      }
      List<Row> rows = batch.rows("production");
      DefaultCategoryDataset produced = new DefaultCategoryDataset();
      List<List<String>> table = new ArrayList<>();
      for (Row r : rows) {
        // The chart keeps the main stages; the by-products' own stages are in the table.
        if (PRODUCTION_CHART_STAGES.contains(r.<String>getAs("stage"))) {
          produced.addValue(number(r, "hhi_wgi"), r.<String>getAs("stage"),
              r.<String>getAs("mineral"));
        }
        table.add(List.of(text(r, "mineral"), text(r, "stage"), text(r, "year"),
            text(r, "source"), decimal(r, "hhi_wgi"), integer(r, "hhi"), text(r, "top1_iso3"),
            percent(r, "china_share")));
      }
      if (!rows.isEmpty()) {
        page.chart(Charts.bars("hhi-wgi-production", "HHI-WGI of mine and refinery production, "
            + "latest year", produced, "HHI-WGI (0-10)", null));
      }
      page.table(List.of("mineral", "stage", "year", "source", "HHI-WGI", "HHI", "top producer",
          "China share"), table);
    }

    private void shocks() {
      page.heading(2, "shocks", "Supply shocks: estimates and event studies");
      if (!batch.has("estimates")) {
        page.missing(missing("shock_estimates", "shocks"));
      } else {
        List<Row> rows = batch.rows("estimates");
        List<String> labels = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        for (Row r : rows) {
          String term = text(r, "term");
          boolean drawable = !term.toLowerCase(Locale.ROOT).contains("intercept")
              && !r.isNullAt(r.fieldIndex("ci_low")) && !r.isNullAt(r.fieldIndex("ci_high"));
          if (drawable && labels.size() < 40) {
            labels.add(text(r, "model") + ": " + term);
            points.add(new double[] {number(r, "estimate"), number(r, "ci_low"),
                number(r, "ci_high")});
          }
          table.add(List.of(text(r, "model"), text(r, "estimator"), term,
              decimal(r, "estimate"), decimal(r, "std_error"), decimal(r, "ci_low"),
              decimal(r, "ci_high"), decimal(r, "p_value"), text(r, "se_type"),
              text(r, "n_obs")));
        }
        if (!labels.isEmpty()) {
          page.chart(Charts.intervals("shock-estimates", "Shock estimates with 95% confidence "
              + "intervals", labels, points.stream().mapToDouble(p -> p[0]).toArray(),
              points.stream().mapToDouble(p -> p[1]).toArray(),
              points.stream().mapToDouble(p -> p[2]).toArray(), "estimate"));
        }
        page.table(List.of("model", "estimator", "term", "estimate", "std. error", "CI low",
            "CI high", "p-value", "SE type", "obs."), table);
      }
      if (!batch.has("events")) {
        page.missing(missing("event_study", "shocks"));
        return;
      }
      Map<String, Map<String, YIntervalSeries>> byModel = new LinkedHashMap<>();
      for (Row r : batch.rows("events")) {
        Map<String, YIntervalSeries> series = byModel.computeIfAbsent(text(r, "model"),
            m -> new LinkedHashMap<>());
        if (byModel.size() > 6 || r.isNullAt(r.fieldIndex("estimate"))) {
          continue;
        }
        YIntervalSeries s = series.computeIfAbsent(text(r, "event_id"), YIntervalSeries::new);
        double estimate = number(r, "estimate");
        s.add(number(r, "rel_period"), estimate, orElse(r, "ci_low", estimate),
            orElse(r, "ci_high", estimate));
      }
      int index = 0;
      for (Map.Entry<String, Map<String, YIntervalSeries>> model : byModel.entrySet()) {
        if (index++ >= 6) {
          break;
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        model.getValue().values().stream().limit(8).forEach(data::addSeries);
        page.chart(Charts.eventStudy("event-study-" + index, "Event study: " + model.getKey(),
            data));
      }
    }

    private void scenarios() {
      page.heading(2, "scenarios", "What-if scenarios");
      if (!batch.has("exposure")) {
        page.missing(missing("disruption_exposure", "scenarios"));
      } else {
        page.heading(3, null, "Exposure to a supplier's disruption");
        Map<String, DefaultCategoryDataset> byScenario = new LinkedHashMap<>();
        List<List<String>> table = new ArrayList<>();
        for (Row r : batch.rows("exposure")) {
          DefaultCategoryDataset data = byScenario.computeIfAbsent(text(r, "scenario"),
              s -> new DefaultCategoryDataset());
          String importer = text(r, "importer_iso3");
          data.addValue(orElse(r, "replaceable_value_usd", 0) / 1e6, "replaceable by others",
              importer);
          data.addValue(orElse(r, "uncovered_value_usd", 0) / 1e6, "uncovered", importer);
          table.add(List.of(text(r, "scenario"), importer, text(r, "year"),
              millions(r, "import_value_usd"), millions(r, "at_risk_value_usd"),
              millions(r, "replaceable_value_usd"), millions(r, "uncovered_value_usd")));
        }
        int index = 0;
        for (Map.Entry<String, DefaultCategoryDataset> scenario : byScenario.entrySet()) {
          if (index++ >= 4) {
            break;
          }
          page.chart(Charts.stackedBars("exposure-" + index, "Imports at risk, scenario "
              + scenario.getKey() + " (15 most exposed importers, all minerals)",
              scenario.getValue(), "USD million", null, Map.of()));
        }
        page.table(List.of("scenario", "importer", "year", "imports (USD million)", "at risk",
            "replaceable", "uncovered"), table);
      }
      stockpiles();
      genericTable(Tables.BLOC_SOURCING, "Sourcing inside the partner bloc", "scenarios");
      genericTable(Tables.BENCHMARK_PRICES, "Benchmark prices per stage", "scenarios");
    }

    private void stockpiles() {
      page.heading(3, null, "Stockpile cover");
      if (!batch.has("stockpiles")) {
        page.missing(missing("stockpile_cover", "scenarios"));
        return;
      }
      List<Row> rows = batch.rows("stockpiles");
      DefaultCategoryDataset days = new DefaultCategoryDataset();
      List<List<String>> table = new ArrayList<>();
      for (Row r : rows) {
        String holding = text(r, "importer_iso3") + " " + text(r, "mineral") + " "
            + text(r, "stage");
        if (days.getColumnCount() < 20 || days.getColumnKeys().contains(holding)) {
          days.addValue(orElse(r, "days_of_cover", 0), text(r, "scenario"), holding);
        }
        table.add(List.of(text(r, "scenario"), text(r, "importer_iso3"), text(r, "mineral"),
            text(r, "stage"), text(r, "year"), integer(r, "stockpile_kg"),
            integer(r, "annual_import_kg"), decimal(r, "days_of_cover")));
      }
      if (!rows.isEmpty()) {
        page.chart(Charts.bars("stockpile-cover", "Days of imports a stockpile covers",
            days, "days", null));
      }
      page.table(List.of("scenario", "importer", "mineral", "stage", "year", "stockpile (kg)",
          "annual imports (kg)", "days of cover"), table);
    }

    /** A table as it is (first rows, every column but run_id), for results without a chart. */
    private void genericTable(TableSpec spec, String title, String command) {
      page.heading(3, null, title);
      if (!batch.has(spec.name())) {
        page.missing(missing(spec.name(), command));
        return;
      }
      List<Row> rows = batch.rows(spec.name());
      List<String> header = List.of(batch.schema(spec.name()).fieldNames());
      List<List<String>> table = new ArrayList<>();
      for (Row r : rows) {
        List<String> cells = new ArrayList<>();
        for (String column : header) {
          Object v = r.getAs(column);
          cells.add(v instanceof Double d ? format(d) : v == null ? "" : v.toString());
        }
        table.add(cells);
      }
      page.table(header, table);
    }

    /** A table of this run or the warehouse, if there is one (its stage may not have run). */
    private Optional<Dataset<Row>> table(TableSpec spec) {
      return context.tableIfExists(spec);
    }

    private static String missing(String table, String command) {
      return "Not computed in this warehouse (no table " + table + "): run jobs/critmin "
          + command + ".";
    }

  }

  static String ordinal(int rank) {
    return rank + switch (rank % 100 >= 11 && rank % 100 <= 13 ? 0 : rank % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
  }

  private static double number(Row r, String column) {
    Object v = r.getAs(column);
    return v == null ? Double.NaN : ((Number) v).doubleValue();
  }

  private static double orElse(Row r, String column, double fallback) {
    Object v = r.getAs(column);
    return v == null ? fallback : ((Number) v).doubleValue();
  }

  private static String text(Row r, String column) {
    Object v = r.getAs(column);
    return v == null ? "" : v.toString();
  }

  private static String percent(Row r, String column) {
    Object v = r.getAs(column);
    return v == null ? "" : String.format(Locale.ROOT, "%.1f%%", ((Number) v).doubleValue() * 100);
  }

  private static String integer(Row r, String column) {
    Object v = r.getAs(column);
    return v == null ? "" : String.format(Locale.ROOT, "%,.0f", ((Number) v).doubleValue());
  }

  private static String decimal(Row r, String column) {
    Object v = r.getAs(column);
    return v == null ? "" : format(((Number) v).doubleValue());
  }

  private static String millions(Row r, String column) {
    Object v = r.getAs(column);
    return v == null ? "" : String.format(Locale.ROOT, "%,.1f", ((Number) v).doubleValue() / 1e6);
  }

  private static String count(Row r, String column) {
    return count(r, r.fieldIndex(column));
  }

  private static String count(Row r, int index) {
    return r.isNullAt(index) ? "" : String.format(Locale.ROOT, "%,d",
        ((Number) r.get(index)).longValue());
  }

  private static String format(double v) {
    return Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v != 0)
        ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4f", v);
  }
}
