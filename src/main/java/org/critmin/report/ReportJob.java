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
import org.critmin.reference.ReferenceData;
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
          new String[] {"risk", "Supply risk"},
          new String[] {"resources", "Reserves and reliance"},
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
      supplyRisk();
      resources();
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
      planResources();
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
          ReportData.topSuppliers(ReferenceData.mineralTrade(bilateral), settings.topSuppliers())
              .orderBy("mineral", "rank"),
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
      table(Tables.SUPPLY_RISK).ifPresent(risk -> batch.add("risk", risk
          .filter(col("stage").equalTo(ALL).and(col("supply_risk").isNotNull()))
          .withColumn("latest_year", max("year").over(Window.partitionBy("importer", "mineral")))
          .filter(col("year").equalTo(col("latest_year")))
          .orderBy(col("supply_risk").desc(), col("importer"), col("mineral")),
          settings.maxTableRows()));
      table(Tables.SHOCK_ESTIMATES).ifPresent(estimates -> batch.add("estimates",
          estimates.orderBy("event_id", "model", "term"), settings.maxTableRows()));
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
          // An importer that buys nothing from the disrupted suppliers is not exposed.
          .filter(col("at_risk_value_usd").gt(0))
          .withColumn("rank", row_number().over(Window.partitionBy("scenario")
              .orderBy(col("at_risk_value_usd").desc_nulls_last(), col("importer_iso3"))))
          .filter(col("rank").leq(15))
          .orderBy("scenario", "rank"), MAX_CHART_ROWS));
      table(Tables.STOCKPILE_COVER).ifPresent(cover -> batch.add("stockpiles", cover
          .withColumn("latest_year", max("year").over(Window.partitionBy("scenario")))
          .filter(col("year").equalTo(col("latest_year")))
          .orderBy(col("scenario"), col("importer_iso3"), col("mineral"), col("stage")),
          settings.maxTableRows()));
      table(Tables.BLOC_SOURCING).ifPresent(sourcing -> batch.add("bloc", sourcing
          .filter(col("stage").equalTo(ALL))
          .withColumn("latest_year", max("year").over(Window.partitionBy("importer_iso3",
              "bloc")))
          .filter(col("year").equalTo(col("latest_year")))
          .orderBy(col("importer_iso3"), col("bloc_share_of_imports").asc_nulls_last(),
              col("mineral")), settings.maxTableRows()));
      // The latest annual figure per mineral and stage (a year of monthly data: its last month).
      table(Tables.BENCHMARK_PRICES).ifPresent(prices -> batch.add("prices", prices
          .withColumn("pick", row_number().over(Window.partitionBy("mineral", "stage")
              .orderBy(col("year").desc(), col("month").desc_nulls_first())))
          .filter(col("pick").equalTo(1))
          .orderBy("mineral", "stage"), settings.maxTableRows()));
      planStockpileEconomics();
      planPriceDynamics();
    }

    /**
     * Stockpile economics of all imports (scenario none) in each importer's latest year per
     * mineral and stage: the stockpile and days targets, the dearest first; and the budgets, those
     * that buy the fewest days first.
     */
    private void planStockpileEconomics() {
      table(Tables.STOCKPILE_ECONOMICS).ifPresent(economics -> {
        Dataset<Row> latest = economics.filter(col("scenario").equalTo("none"))
            .withColumn("latest_year", max("year").over(Window.partitionBy("importer_iso3",
                "mineral", "stage")))
            .filter(col("year").equalTo(col("latest_year")));
        batch.add("economics", latest.filter(col("target").notEqual("budget"))
            .orderBy(col("cost_at_median_usd").desc_nulls_last(), col("importer_iso3"),
                col("mineral"), col("stage"), col("target"), col("target_days")),
            settings.maxTableRows());
        batch.add("budgets", latest.filter(col("target").equalTo("budget")
                .and(col("days_of_imports").isNotNull()))
            .orderBy(col("days_of_imports"), col("importer_iso3"), col("mineral"),
                col("stage"), col("budget_usd")), settings.maxTableRows());
      });
    }

    /**
     * Price dynamics: the latest period of each mineral and stage, and every period of the series
     * that have a floor, for the charts of medians against floors.
     */
    private void planPriceDynamics() {
      table(Tables.PRICE_DYNAMICS).ifPresent(dynamics -> {
        batch.add("dynamics", dynamics
            .withColumn("pick", row_number().over(Window.partitionBy("mineral", "stage")
                .orderBy(col("year").desc(), col("month").desc_nulls_first())))
            .filter(col("pick").equalTo(1))
            .orderBy(col("unit_value_cv").desc_nulls_last(), col("mineral"), col("stage")),
            settings.maxTableRows());
        batch.add("floored", dynamics
            .withColumn("floored", max("floor_usd_per_kg").over(Window.partitionBy("mineral",
                "stage")))
            .filter(col("floored").isNotNull())
            .orderBy("mineral", "stage", "year", "month"), MAX_CHART_ROWS);
      });
    }

    private void runs() {
      page.heading(2, "runs", "Which runs made these tables, and what became of the input?");
      if (!batch.has("runs")) {
        page.paragraph("This run, " + context.runId() + ", is the first: pipeline_runs records "
            + "it when it ends.");
      } else {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(context.runId(), "this run", "running", "", "", "", ""));
        for (Row r : batch.rows("runs")) {
          rows.add(List.of(text(r, "run_id"), text(r, "command"), text(r, "status"),
              text(r, "started_at"), count(r, "rows_in"), count(r, "rows_out"),
              count(r, "rows_rejected")));
        }
        page.paragraph("This run (recorded in pipeline_runs when it ends) and the latest runs "
            + "recorded before it.");
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
      page.heading(2, "trends", "Which minerals are concentrated, and is it getting worse?");
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
      page.heading(2, "china", "How much of world supply is China-linked, by mineral and stage?");
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
      page.heading(2, "suppliers", "Who supplies each mineral?");
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
      page.heading(2, "importers", "How dependent is each importer on China-linked supply?");
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
      page.heading(2, "governance", "How politically fragile is concentrated supply?");
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
      page.heading(2, "shocks", "What did past export restrictions do to trade?");
      if (!batch.has("estimates")) {
        page.missing(missing("shock_estimates", "shocks"));
      } else {
        List<Row> rows = batch.rows("estimates");
        List<String> labels = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        List<List<String>> notEstimated = new ArrayList<>();
        for (Row r : rows) {
          if ("not_estimable".equals(text(r, "status"))) {
            notEstimated.add(List.of(text(r, "event_id"), text(r, "model"), text(r, "reason")));
            continue;
          }
          String term = text(r, "term");
          boolean drawable = !term.toLowerCase(Locale.ROOT).contains("intercept")
              && !r.isNullAt(r.fieldIndex("ci_low")) && !r.isNullAt(r.fieldIndex("ci_high"));
          if (drawable && labels.size() < 40) {
            labels.add(text(r, "event_id") + " " + text(r, "model") + ": " + term);
            points.add(new double[] {number(r, "estimate"), number(r, "ci_low"),
                number(r, "ci_high")});
          }
          table.add(List.of(text(r, "event_id"), text(r, "model"), text(r, "estimator"), term,
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
        page.table(List.of("event", "model", "estimator", "term", "estimate", "std. error",
            "CI low", "CI high", "p-value", "SE type", "obs."), table);
        if (!notEstimated.isEmpty()) {
          page.paragraph(notEstimated.size() + " models could not be estimated, and why:");
          page.table(List.of("event", "model", "reason"), notEstimated);
        }
      }
      if (!batch.has("events")) {
        page.missing(missing("event_study", "shocks"));
        return;
      }
      Map<String, Map<String, YIntervalSeries>> byModel = new LinkedHashMap<>();
      // A lead (two or more periods before the event) whose interval excludes zero: trade moved
      // before the event, so the after-event estimates may not be its effect.
      List<List<String>> preTrends = new ArrayList<>();
      for (Row r : batch.rows("events")) {
        if (number(r, "rel_period") <= -2 && !r.isNullAt(r.fieldIndex("ci_low"))
            && (number(r, "ci_low") > 0 || number(r, "ci_high") < 0)) {
          preTrends.add(List.of(text(r, "event_id"), text(r, "model"), text(r, "rel_period"),
              decimal(r, "estimate"), decimal(r, "ci_low"), decimal(r, "ci_high")));
        }
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
      if (preTrends.isEmpty()) {
        page.note("No lead (two or more periods before an event) differs from zero at 95%.");
      } else {
        page.paragraph("Leads that differ from zero at 95%: trade moved before the event, so "
            + "read these events' estimates with care.");
        page.table(List.of("event", "model", "periods from the event", "estimate", "CI low",
            "CI high"), preTrends);
      }
    }

    private void scenarios() {
      page.heading(2, "scenarios", "What if a supplier stops?");
      if (!batch.has("exposure")) {
        page.missing(missing("disruption_exposure", "scenarios"));
      } else {
        page.heading(3, null, "Which importers lose most, and can others replace it?");
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
      blocSourcing();
      prices();
      stockpileEconomics();
      priceDynamics();
    }

    private void stockpileEconomics() {
      page.heading(3, null, "What would weeks of imports cost to stockpile, and how many days "
          + "does a budget buy?");
      if (!batch.has("economics")) {
        page.missing(missing("stockpile_economics", "scenarios"));
        return;
      }
      DefaultCategoryDataset costs = new DefaultCategoryDataset();
      List<List<String>> table = new ArrayList<>();
      for (Row r : batch.rows("economics")) {
        String holding = text(r, "importer_iso3") + " " + text(r, "mineral") + " "
            + text(r, "stage");
        if (!r.isNullAt(r.fieldIndex("cost_at_median_usd"))
            && (costs.getColumnCount() < 12 || costs.getColumnKeys().contains(holding))) {
          costs.addValue(number(r, "cost_at_median_usd") / 1e6, targetLabel(r), holding);
        }
        table.add(economicsRow(r));
      }
      if (costs.getColumnCount() > 0) {
        page.chart(Charts.bars("stockpile-economics", "Cost at the latest benchmark median of "
            + "each stockpile target, latest year", costs, "USD million", null));
      }
      page.note("Imports by net weight from all suppliers in the latest year (scaled to 12 "
          + "months), priced at the median of the latest benchmark period of the mineral and "
          + "stage and at the floor in force then. Stage all has no price. The rows for the "
          + "part each disruption leaves uncovered are in stockpile_economics.");
      List<String> header = List.of("importer", "mineral", "stage", "year", "target", "tonnes",
          "days of imports", "price period", "median", "floor", "cost at median (USD million)",
          "cost at floor (USD million)", "days at the floor price", "why no cost");
      page.table(header, table);
      List<List<String>> budgets = new ArrayList<>();
      batch.rows("budgets").forEach(r -> budgets.add(economicsRow(r)));
      if (!budgets.isEmpty()) {
        page.paragraph("Days of imports each budget buys, spent on one mineral and stage alone, "
            + "at the median and at the floor; the fewest first:");
        page.table(header, budgets);
      }
    }

    private static List<String> economicsRow(Row r) {
      return List.of(text(r, "importer_iso3"), text(r, "mineral"), text(r, "stage"),
          text(r, "year"), targetLabel(r), decimal(r, "tonnes"), integer(r, "days_of_imports"),
          text(r, "price_period"), price(r, "median_usd_per_kg"), price(r, "floor_usd_per_kg"),
          millions(r, "cost_at_median_usd"), millions(r, "cost_at_floor_usd"),
          integer(r, "budget_days_at_floor"), text(r, "cost_missing_reason"));
    }

    private void priceDynamics() {
      page.heading(3, null, "How often does trade go below the floor, and how volatile are "
          + "unit values?");
      if (!batch.has("dynamics")) {
        page.missing(missing("price_dynamics", "scenarios"));
        return;
      }
      Map<String, DefaultCategoryDataset> bySeries = new LinkedHashMap<>();
      for (Row r : batch.rows("floored")) {
        DefaultCategoryDataset data = bySeries.computeIfAbsent(text(r, "mineral") + " "
            + text(r, "stage"), k -> new DefaultCategoryDataset());
        String period = text(r, "period");
        data.addValue(number(r, "median_usd_per_kg"), "median", period);
        if (!r.isNullAt(r.fieldIndex("china_median_usd_per_kg"))) {
          data.addValue(number(r, "china_median_usd_per_kg"), "China-linked median", period);
        }
        if (!r.isNullAt(r.fieldIndex("floor_usd_per_kg"))) {
          data.addValue(number(r, "floor_usd_per_kg"), "floor", period);
        }
      }
      int index = 0;
      for (Map.Entry<String, DefaultCategoryDataset> series : bySeries.entrySet()) {
        if (index++ >= 6) {
          break;
        }
        page.chart(Charts.lines("price-floor-" + index, "Median unit value against the floor: "
            + series.getKey(), series.getValue(), "USD per kg"));
      }
      DefaultCategoryDataset volatility = new DefaultCategoryDataset();
      List<List<String>> table = new ArrayList<>();
      for (Row r : batch.rows("dynamics")) {
        String item = text(r, "mineral") + " " + text(r, "stage");
        if (volatility.getColumnCount() < 20) {
          volatility.addValue(orElse(r, "unit_value_cv", 0), "coefficient of variation", item);
          volatility.addValue(number(r, "max_drawdown"), "largest fall from a peak", item);
        }
        table.add(List.of(text(r, "mineral"), text(r, "stage"), text(r, "period"),
            price(r, "median_usd_per_kg"), price(r, "floor_usd_per_kg"),
            percent(r, "below_floor_kg_share"), percent(r, "below_floor_value_share"),
            price(r, "china_median_usd_per_kg"), price(r, "rest_of_world_median_usd_per_kg"),
            decimal(r, "china_to_rest_of_world_ratio"), decimal(r, "china_to_bloc_ratio"),
            decimal(r, "unit_value_cv"), text(r, "cv_periods"), percent(r, "max_drawdown")));
      }
      page.chart(Charts.bars("price-volatility", "Volatility of the median unit value, latest "
          + "period (CV over the window; largest fall from a peak so far)", volatility,
          "CV / share", null));
      page.note("Over the flows benchmark_prices keeps. Below the floor: shares of the period's "
          + "traded net weight and value whose unit value is under the floor in force. China "
          + "ratios below 1: China-linked exports are cheaper than the rest of the world's (or "
          + "the bloc's, " + config.bloc() + "). CV: sample sd / mean of the monthly medians over "
          + "the rolling window (annual series: every year so far).");
      page.table(List.of("mineral", "stage", "period", "median", "floor", "kg below floor",
          "value below floor", "China-linked median", "rest-of-world median",
          "China / rest", "China / bloc", "CV", "periods in CV", "largest fall"), table);
    }

    private void stockpiles() {
      page.heading(3, null, "How long would stockpiles last?");
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
          days.addValue(orElse(r, "days_of_cover", 0), "all imports", holding);
          if (!r.isNullAt(r.fieldIndex("days_of_cover_under_disruption"))) {
            days.addValue(number(r, "days_of_cover_under_disruption"),
                "uncovered imports, scenario " + text(r, "scenario"), holding);
          }
        }
        table.add(List.of(text(r, "scenario"), text(r, "importer_iso3"), text(r, "mineral"),
            text(r, "stage"), text(r, "year"), integer(r, "stockpile_kg"),
            integer(r, "annual_import_kg"), integer(r, "days_of_cover"),
            integer(r, "days_of_cover_under_disruption")));
      }
      if (!rows.isEmpty()) {
        page.chart(Charts.bars("stockpile-cover", "Days a stockpile lasts: replacing all "
            + "imports, and only what a disruption leaves uncovered", days, "days", null));
      }
      page.table(List.of("scenario", "importer", "mineral", "stage", "year", "stockpile (kg)",
          "annual imports (kg)", "days of all imports", "days under the disruption"), table);
    }

    private void blocSourcing() {
      page.heading(3, null, "How much does each importer source inside its partner bloc?");
      if (!batch.has("bloc")) {
        page.missing(missing("bloc_sourcing", "scenarios"));
        return;
      }
      List<List<String>> table = new ArrayList<>();
      for (Row r : batch.rows("bloc")) {
        table.add(List.of(text(r, "importer_iso3"), text(r, "bloc"), text(r, "mineral"),
            text(r, "year"), millions(r, "import_value_usd"), percent(r, "bloc_share_of_imports"),
            percent(r, "bloc_share_of_world_supply"), integer(r, "hhi_current"),
            integer(r, "hhi_inside_bloc"), millions(r, "uncovered_inside_bloc_value_usd")));
      }
      page.note("All stages together, latest year; per importer the least bloc-sourced minerals "
          + "first. Uncovered: imports from outside the bloc that its members' spare exports "
          + "could not replace.");
      page.table(List.of("importer", "bloc", "mineral", "year", "imports (USD million)",
          "from the bloc", "bloc share of world supply", "HHI now", "HHI inside the bloc",
          "uncovered (USD million)"), table);
    }

    private void prices() {
      page.heading(3, null, "Where do traded prices sit against the floors?");
      if (!batch.has("prices")) {
        page.missing(missing("benchmark_prices", "scenarios"));
        return;
      }
      DefaultCategoryDataset againstFloor = new DefaultCategoryDataset();
      List<List<String>> table = new ArrayList<>();
      for (Row r : batch.rows("prices")) {
        String item = text(r, "mineral") + " " + text(r, "stage");
        if (!r.isNullAt(r.fieldIndex("floor_usd_per_kg"))) {
          againstFloor.addValue(number(r, "median_usd_per_kg"), "median traded", item);
          if (!r.isNullAt(r.fieldIndex("bloc_median_usd_per_kg"))) {
            againstFloor.addValue(number(r, "bloc_median_usd_per_kg"), "median from the bloc",
                item);
          }
          againstFloor.addValue(number(r, "floor_usd_per_kg"), "floor", item);
        }
        table.add(List.of(text(r, "mineral"), text(r, "stage"), text(r, "period"),
            price(r, "median_usd_per_kg"), price(r, "p25_usd_per_kg"),
            price(r, "p75_usd_per_kg"), price(r, "bloc_median_usd_per_kg"),
            price(r, "floor_usd_per_kg"), percent(r, "floor_gap"), count(r, "n_flows")));
      }
      if (againstFloor.getColumnCount() > 0) {
        page.chart(Charts.bars("prices-floors", "Median unit value against the floor, latest "
            + "period", againstFloor, "USD per kg", null));
      }
      page.note("Median unit value (USD per kg) of the flows kept, latest period per mineral and "
          + "stage; floor gap below 0: the median is under the floor.");
      page.table(List.of("mineral", "stage", "period", "median", "25th pct", "75th pct",
          "bloc median", "floor", "floor gap", "flows"), table);
    }

    /**
     * The queries of the reserves and reliance section: USGS concentration of production and
     * reserves in their latest year, the configured groups' shares of them, and each country's
     * net import reliance in its latest year.
     */
    private void planResources() {
      table(Tables.RESOURCE_CONCENTRATION).ifPresent(resources -> batch.add("resource_hhi",
          latestUsgs(resources.filter(col("measure").isin("production", "reserves")
              .and(col("stage").equalTo("mine"))), "mineral", "measure")
              .orderBy("mineral", "measure"), MAX_CHART_ROWS));
      table(Tables.GROUP_RESOURCE_SHARES).ifPresent(shares -> batch.add("group_shares",
          latestUsgs(shares.filter(col("measure").isin("production", "reserves")
              .and(col("stage").equalTo("mine"))), "group_name", "mineral", "measure")
              .orderBy("mineral", "group_name", "measure"), MAX_CHART_ROWS));
      table(Tables.NET_IMPORT_RELIANCE).ifPresent(reliance -> batch.add("reliance", reliance
          .filter(col("country_iso3").isin(settings.importers().toArray()))
          .withColumn("latest_year", max("year").over(Window.partitionBy("country_iso3",
              "mineral", "stage")))
          .filter(col("year").equalTo(col("latest_year")))
          .orderBy("country_iso3", "mineral", "stage"), settings.maxTableRows()));
    }

    /** USGS rows of the latest year of each group of {@code keys}. */
    private static Dataset<Row> latestUsgs(Dataset<Row> rows, String... keys) {
      return rows.filter(col("source").equalTo("usgs"))
          .withColumn("latest_year", max("year").over(Window.partitionBy(
              java.util.Arrays.stream(keys).map(org.apache.spark.sql.functions::col)
                  .toArray(org.apache.spark.sql.Column[]::new))))
          .filter(col("year").equalTo(col("latest_year")));
    }

    private void resources() {
      page.heading(2, "resources", "Who holds the world's reserves, and how import-reliant is "
          + "each importer?");
      page.note("USGS Mineral Commodity Summaries 2025: mine production and reserves (2024). "
          + "Group shares are of the USGS world total; the 'Other countries' row belongs to no "
          + "group.");
      if (!batch.has("resource_hhi")) {
        page.missing(missing("resource_concentration", "concentration"));
      } else {
        DefaultCategoryDataset hhi = new DefaultCategoryDataset();
        for (Row r : batch.rows("resource_hhi")) {
          hhi.addValue(number(r, "hhi"), text(r, "measure"), text(r, "mineral"));
        }
        page.chart(Charts.bars("resource-hhi", "HHI of mine production and of reserves by "
            + "country, USGS, latest year", hhi, "HHI (0-10000)", null));
      }
      groupShares();
      reliance();
    }

    private void groupShares() {
      page.heading(3, null, "What share of world reserves and mine output does each group hold?");
      if (!batch.has("group_shares")) {
        page.missing(missing("group_resource_shares", "concentration"));
        return;
      }
      DefaultCategoryDataset reserves = new DefaultCategoryDataset();
      List<List<String>> table = new ArrayList<>();
      for (Row r : batch.rows("group_shares")) {
        if ("reserves".equals(text(r, "measure")) && !r.isNullAt(r.fieldIndex("share"))) {
          reserves.addValue(number(r, "share"), text(r, "group_name"), text(r, "mineral"));
        }
        table.add(List.of(text(r, "group_name"), text(r, "mineral"), text(r, "measure"),
            text(r, "year"), percent(r, "share"), percent(r, "share_of_listed"),
            text(r, "world_total_basis")));
      }
      if (reserves.getColumnCount() > 0) {
        page.chart(Charts.bars("group-reserves", "Share of world reserves by country group, "
            + "USGS", reserves, "share of the world total", 1.0));
      }
      page.table(List.of("group", "mineral", "measure", "year", "share of world",
          "share of listed countries", "world total"), table);
    }

    private void reliance() {
      page.heading(3, null, "How much of each importer's apparent consumption is imported?");
      if (!batch.has("reliance")) {
        page.missing(missing("net_import_reliance", "concentration"));
        return;
      }
      DefaultCategoryDataset nir = new DefaultCategoryDataset();
      List<List<String>> table = new ArrayList<>();
      for (Row r : batch.rows("reliance")) {
        String item = text(r, "mineral") + " " + text(r, "stage");
        if (!r.isNullAt(r.fieldIndex("net_import_reliance"))) {
          nir.addValue(number(r, "net_import_reliance"), text(r, "country_iso3"), item);
        }
        table.add(List.of(text(r, "country_iso3"), text(r, "mineral"), text(r, "stage"),
            text(r, "year"), text(r, "production_status"), percent(r, "net_import_reliance"),
            text(r, "basis"), text(r, "usgs_published_value"), text(r, "nir_missing")));
      }
      if (nir.getColumnCount() > 0) {
        page.chart(Charts.bars("net-import-reliance", "Net import reliance on apparent "
            + "consumption, latest year", nir, "(imports - exports) / consumption", 1.0));
      }
      page.note("Apparent consumption = production + imports - exports; basis content where "
          + "every code traded has a sourced content factor, else gross weight (which pushes "
          + "ores towards 1). USGS: the figure USGS publishes for the United States (percent).");
      page.table(List.of("country", "mineral", "stage", "year", "production", "NIR", "basis",
          "USGS (US)", "why no NIR"), table);
    }

    private void supplyRisk() {
      page.heading(2, "risk", "Which minerals carry the highest supply risk for each importer?");
      if (!batch.has("risk")) {
        page.missing(missing("supply_risk", "concentration"));
        return;
      }
      List<Row> rows = batch.rows("risk");
      DefaultCategoryDataset highest = new DefaultCategoryDataset();
      List<List<String>> table = new ArrayList<>();
      for (Row r : rows) {
        String item = text(r, "importer") + " " + text(r, "mineral");
        if (highest.getColumnCount() < 15) {
          highest.addValue(number(r, "supply_risk"), "supply risk", item);
        }
        table.add(List.of(text(r, "importer"), text(r, "mineral"), text(r, "year"),
            text(r, "sr_stage"), decimal(r, "supply_risk"), decimal(r, "hhi_wgi_global"),
            decimal(r, "hhi_wgi_sourcing"), percent(r, "import_reliance"),
            percent(r, "eol_rir"), decimal(r, "substitution_index")));
      }
      page.chart(Charts.bars("supply-risk", "Highest supply risk (EU method; 1 and above is "
          + "critical)", highest, "supply risk", null));
      page.note("EU supply risk per importer and mineral, latest year, at the stage of highest "
          + "risk (docs/methods.md): governance-weighted concentration of world supply and of "
          + "the importer's sourcing, import reliance, end-of-life recycling and substitution.");
      page.table(List.of("importer", "mineral", "year", "stage", "supply risk",
          "HHI-WGI world", "HHI-WGI sourcing", "import reliance", "recycling input",
          "substitution"), table);
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

  /** A stockpile_economics target: "stockpile", "90 days" or "budget USD 1,000.0 million". */
  static String targetLabel(Row r) {
    return switch (text(r, "target")) {
      case "days" -> text(r, "target_days") + " days";
      case "budget" -> "budget USD " + millions(r, "budget_usd") + " million";
      default -> text(r, "target");
    };
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

  private static String price(Row r, String column) {
    Object v = r.getAs(column);
    if (v == null) {
      return "";
    }
    double d = ((Number) v).doubleValue();
    return String.format(Locale.ROOT, d >= 100 ? "%,.0f" : d >= 1 ? "%,.2f" : "%.4f", d);
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
