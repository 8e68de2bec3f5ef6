package org.critmin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.Test;

/** The report's aggregations on small frames with hand-computed results, and its HTML escaping. */
class ReportDataTest {
  private static final StructType SUPPLY = new StructType()
      .add("mineral", DataTypes.StringType)
      .add("stage", DataTypes.StringType)
      .add("period", DataTypes.StringType)
      .add("year", DataTypes.IntegerType)
      .add("month", DataTypes.IntegerType)
      .add("total_value_usd", DataTypes.DoubleType)
      .add("china_linked_share", DataTypes.DoubleType)
      .add("hhi", DataTypes.DoubleType)
      .add("top3_share", DataTypes.DoubleType);

  private final SparkSession spark = SparkTestSession.get();

  private Dataset<Row> supply(Object[]... rows) {
    return spark.createDataFrame(java.util.Arrays.stream(rows).map(RowFactory::create).toList(),
        SUPPLY);
  }

  @Test
  void yearlyWeightsMonthsByValueAndPrefersTheAnnualRow() {
    Dataset<Row> rows = supply(
        new Object[] {"m", "all", "2024-01", 2024, 1, 100.0, 0.5, 5000.0, 0.9},
        new Object[] {"m", "all", "2024-02", 2024, 2, 300.0, 0.1, 1000.0, 0.5},
        // Unknown share: counts in the total, not in the share's weights.
        new Object[] {"m", "all", "2024-03", 2024, 3, 600.0, null, 2000.0, 0.6},
        new Object[] {"m", "all", "2023", 2023, null, 50.0, 0.4, 3000.0, 0.7},
        new Object[] {"m", "all", "2023-05", 2023, 5, 70.0, 0.9, 9000.0, 1.0});
    Map<Integer, Row> byYear = new LinkedHashMap<>();
    ReportData.yearly(rows, List.of("mineral", "stage"), List.of("china_linked_share", "hhi"))
        .collectAsList().forEach(r -> byYear.put(r.getAs("year"), r));

    Row y2024 = byYear.get(2024);
    assertEquals(1000.0, y2024.<Double>getAs("total_value_usd"), 1e-9);
    // (100*0.5 + 300*0.1) / (100 + 300) = 80 / 400
    assertEquals(0.2, y2024.<Double>getAs("china_linked_share"), 1e-12);
    // (100*5000 + 300*1000 + 600*2000) / 1000 = 2000
    assertEquals(2000.0, y2024.<Double>getAs("hhi"), 1e-9);
    assertEquals("M", y2024.getAs("frequency"));

    Row y2023 = byYear.get(2023);
    assertEquals("A", y2023.getAs("frequency"));
    assertEquals(50.0, y2023.<Double>getAs("total_value_usd"), 1e-9);
    assertEquals(0.4, y2023.<Double>getAs("china_linked_share"), 1e-12);

    List<Row> latest = ReportData.latestYear(ReportData.yearly(rows, List.of("mineral", "stage"),
        List.of("hhi")), "mineral").collectAsList();
    assertEquals(1, latest.size());
    assertEquals(2024, latest.get(0).<Integer>getAs("year"));
  }

  @Test
  void trendKeepsTheAnnualSeriesOfAMineralThatHasOne() {
    Dataset<Row> rows = supply(
        new Object[] {"m", "all", "2023", 2023, null, 50.0, 0.4, 3000.0, 0.7},
        new Object[] {"m", "all", "2023-05", 2023, 5, 70.0, 0.9, 9000.0, 1.0},
        new Object[] {"k", "ore", "2024-01", 2024, 1, 10.0, 0.0, 10000.0, 1.0});
    List<String> periods = ReportData.trend(rows).orderBy("mineral", "period").collectAsList()
        .stream().map(r -> r.<String>getAs("mineral") + " " + r.getAs("period")).toList();
    assertEquals(List.of("k 2024-01", "m 2023"), periods);
  }

  @Test
  void topSuppliersRanksCountriesOfTheLatestYear() {
    StructType schema = new StructType()
        .add("mineral", DataTypes.StringType)
        .add("year", DataTypes.IntegerType)
        .add("exporter_iso3", DataTypes.StringType)
        .add("exporter_kind", DataTypes.StringType)
        .add("value_usd", DataTypes.DoubleType);
    Dataset<Row> flows = spark.createDataFrame(List.of(
        RowFactory.create("x", 2023, "AAA", "country", 40.0),
        RowFactory.create("x", 2023, "AAA", "country", 20.0),
        RowFactory.create("x", 2023, "BBB", "country", 30.0),
        RowFactory.create("x", 2023, "CCC", "country", 10.0),
        RowFactory.create("x", 2023, "X99", "unallocated", 500.0),
        RowFactory.create("x", 2022, "DDD", "country", 100.0)), schema);
    List<Row> top = ReportData.topSuppliers(flows, 2).orderBy("rank").collectAsList();
    assertEquals(2, top.size());
    assertEquals("AAA", top.get(0).getAs("exporter_iso3"));
    assertEquals(0.6, top.get(0).<Double>getAs("share"), 1e-12); // 60 / 100
    assertEquals("BBB", top.get(1).getAs("exporter_iso3"));
    assertEquals(0.3, top.get(1).<Double>getAs("share"), 1e-12);
    assertEquals(2023, top.get(1).<Integer>getAs("year"));
  }

  @Test
  void htmlEscapesEveryTextAndCountsCharts() {
    assertEquals("&lt;script&gt;a &amp; &quot;b&quot; &#39;c&#39;&lt;/script&gt;",
        HtmlPage.escape("<script>a & \"b\" 'c'</script>"));
    HtmlPage page = new HtmlPage().heading(2, "x\"", "<b>").table(List.of("<th>"),
        List.of(List.of("1,234.5"), List.of("<td>")));
    page.chart(new Charts.Chart("c<1>", "t\"", new byte[] {1, 2}));
    String html = page.render("a<b");
    assertTrue(html.contains("<h2 id=\"x&quot;\">&lt;b&gt;</h2>"), html);
    assertTrue(html.contains("<td class=\"n\">1,234.5</td>"), html);
    assertTrue(html.contains("<td>&lt;td&gt;</td>"), html);
    assertTrue(html.contains("id=\"chart-c&lt;1&gt;\" alt=\"t&quot;\""), html);
    assertTrue(html.contains("data-charts-expected=\"1\""), html);
    assertTrue(html.contains("<title>a&lt;b</title>"), html);
    assertEquals(1, page.chartCount());
  }

  @Test
  void ordinals() {
    assertEquals(List.of("1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"),
        java.util.stream.IntStream.of(1, 2, 3, 4, 11, 12, 13, 21, 22)
            .mapToObj(ReportJob::ordinal).toList());
  }
}
