package org.critmin.concentration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.critmin.config.SupplyRiskSettings;
import org.critmin.delta.Tables;
import org.critmin.reference.ContentFactors;
import org.critmin.reference.Production;
import org.critmin.reference.PublishedNetImportReliance;
import org.junit.jupiter.api.Test;

/** Apparent consumption and net import reliance on a frame computed by hand in the comments. */
class NetImportRelianceTest {
  private static final double EPS = 1e-9;

  /** The columns of silver trade flows the computation reads. */
  private static final StructType TRADE = new StructType()
      .add("reporter_iso3", DataTypes.StringType, false)
      .add("partner_iso3", DataTypes.StringType, false)
      .add("flow", DataTypes.StringType, false)
      .add("hs6", DataTypes.StringType, false)
      .add("mineral", DataTypes.StringType, false)
      .add("stage", DataTypes.StringType, false)
      .add("lumped", DataTypes.BooleanType, false)
      .add("year", DataTypes.IntegerType, false)
      .add("month", DataTypes.IntegerType, true)
      .add("value_usd", DataTypes.DoubleType, true)
      .add("net_kg", DataTypes.DoubleType, true);

  private static Row flow(String reporter, String flow, String hs6, String mineral, String stage,
      Integer month, double kg) {
    return RowFactory.create(reporter, "XXX", flow, hs6, mineral, stage, false, 2024, month,
        kg * 10, kg);
  }

  private static Row produced(String source, String mineral, String iso3, Double quantity,
      String unit) {
    return RowFactory.create(source, mineral, "mine", mineral, 2024, iso3, iso3, "country",
        quantity, unit, null);
  }

  private static Row published(String mineral, String stage, Double share, String value) {
    return RowFactory.create("MCS2026", mineral, "as a percentage of apparent consumption",
        mineral, stage, 2024, value, share, share == null ? ">" : null, null);
  }

  @Test
  void handComputedReliance() {
    SparkSession spark = SparkTestSession.get();
    List<Row> t = new ArrayList<>();
    // USA graphite ore, annual: imports 6000 + 4000 kg of 250410, exports 1000 kg of 250490,
    // both with content factor 1.0.
    t.add(flow("USA", "M", "250410", "graphite", "ore", null, 6000));
    t.add(flow("USA", "M", "250410", "graphite", "ore", null, 4000));
    t.add(flow("USA", "X", "250490", "graphite", "ore", null, 1000));
    // USA copper ore, monthly, no content factor: M 3000 (Jan) + 2000 (Feb), X 1000 (Mar);
    // a lumped code's 99999 kg is left out.
    t.add(flow("USA", "M", "260300", "copper", "ore", 1, 3000));
    t.add(flow("USA", "M", "260300", "copper", "ore", 2, 2000));
    t.add(flow("USA", "X", "260300", "copper", "ore", 3, 1000));
    t.add(RowFactory.create("USA", "XXX", "M", "262090", "copper", "ore", true, 2024, 1, 1.0,
        99999.0));
    // USA nickel ore: M 2000, X 500.
    t.add(flow("USA", "M", "260400", "nickel", "ore", null, 2000));
    t.add(flow("USA", "X", "260400", "nickel", "ore", null, 500));
    // USA lithium ore: production withheld.
    t.add(flow("USA", "M", "253090", "lithium", "ore", null, 700));
    // CHN graphite ore: 1000 kg with a factor, 1000 kg of a code without one.
    t.add(flow("CHN", "M", "250410", "graphite", "ore", null, 1000));
    t.add(flow("CHN", "M", "250420", "graphite", "ore", null, 1000));
    // AUS graphite ore: exports beyond production and imports.
    t.add(flow("AUS", "M", "250410", "graphite", "ore", null, 1000));
    t.add(flow("AUS", "X", "250410", "graphite", "ore", null, 5000));
    // BRA graphite ore: a net exporter with positive consumption.
    t.add(flow("BRA", "M", "250410", "graphite", "ore", null, 1000));
    t.add(flow("BRA", "X", "250410", "graphite", "ore", null, 5000));
    // Intermediate stage: no production series, so no row.
    t.add(flow("USA", "M", "283691", "lithium", "intermediate", null, 5000));

    List<Row> p = List.of(
        produced("usgs", "graphite", "USA", 5.0, "metric tons"),        // 5000 kg
        produced("usgs", "graphite", "CHN", 10.0, "metric tons"),       // 10000 kg
        produced("usgs", "graphite", "AUS", 2.0, "metric tons"),        // 2000 kg
        produced("usgs", "graphite", "BRA", 5.0, "metric tons"),        // 5000 kg
        produced("usgs", "copper", "USA", 0.01, "thousand metric tons"), // 10000 kg
        produced("bgs", "nickel", "CAN", 50.0, "tonnes"),               // USA not listed
        produced("usgs", "nickel", "USA", 100.0, "metric tons"),        // bgs comes first
        produced("usgs", "lithium", "USA", null, "metric tons"));       // withheld
    List<Row> factors = List.of(
        RowFactory.create("250410", "graphite", 1.0, "same_commodity", "USGS", null),
        RowFactory.create("250490", "graphite", 1.0, "same_commodity", "USGS", null));
    List<Row> usgs = List.of(
        published("graphite", null, 1.0, "100"),
        published("nickel", null, 0.43, "43"),
        published("nickel", "ore", 0.9, "90"),
        published("copper", "refined", 0.45, "45"),
        published("lithium", null, null, ">50"));
    SupplyRiskSettings settings = new SupplyRiskSettings(List.of("USA"), "production",
        List.of("bgs", "usgs"), Map.of("ore", "mine", "refined", "refined"), Map.of(), Map.of(),
        List.of());

    Dataset<Row> out = NetImportReliance.compute(spark.createDataFrame(t, TRADE),
        spark.createDataFrame(p, Production.SCHEMA),
        spark.createDataFrame(factors, ContentFactors.SCHEMA),
        spark.createDataFrame(usgs, PublishedNetImportReliance.SCHEMA), settings, "run-1");
    assertArrayEquals(Tables.NET_IMPORT_RELIANCE.schema().fieldNames(), out.columns());
    Map<String, Row> rows = new HashMap<>();
    for (Row r : out.collectAsList()) {
      rows.put(r.getAs("country_iso3") + "/" + r.getAs("mineral"), r);
    }
    assertEquals(7, rows.size(), "no intermediate row: " + rows.keySet());

    Row graphite = rows.get("USA/graphite");
    // content: 10000 in, 1000 out; 5000 produced; consumption 14000; NIR 9000 / 14000.
    assertEquals("content", graphite.getAs("basis"));
    assertEquals(1.0, graphite.<Double>getAs("content_factor_share"), EPS);
    assertEquals(14000.0, graphite.<Double>getAs("apparent_consumption_kg"), EPS);
    assertEquals(9000.0 / 14000, graphite.<Double>getAs("net_import_reliance"), EPS);
    assertEquals(1.0, graphite.<Double>getAs("usgs_published_nir"), EPS);
    assertEquals(9000.0 / 14000 - 1.0, graphite.<Double>getAs("nir_difference"), EPS);
    assertEquals(12, graphite.<Integer>getAs("trade_months"));

    Row copper = rows.get("USA/copper");
    // gross weight: 5000 in, 1000 out, 10000 produced: 4000 / 14000; three months reported.
    assertEquals("gross_weight", copper.getAs("basis"));
    assertEquals(5000.0, copper.<Double>getAs("import_kg"), EPS);
    assertEquals(4000.0 / 14000, copper.<Double>getAs("net_import_reliance"), EPS);
    assertEquals(3, copper.<Integer>getAs("trade_months"));
    assertNull(copper.getAs("usgs_published_nir"), "USGS's copper figure is for refined");

    Row nickel = rows.get("USA/nickel");
    // BGS first: USA not listed, production 0; 1500 / 1500; the ore figure 0.9 wins over 0.43.
    assertEquals("bgs", nickel.getAs("production_source"));
    assertEquals("not_listed", nickel.getAs("production_status"));
    assertEquals(0.0, nickel.<Double>getAs("production_kg"), EPS);
    assertEquals(1.0, nickel.<Double>getAs("net_import_reliance"), EPS);
    assertEquals(0.9, nickel.<Double>getAs("usgs_published_nir"), EPS);
    assertEquals(0.1, nickel.<Double>getAs("nir_difference"), 1e-12);

    Row lithium = rows.get("USA/lithium");
    assertEquals("withheld", lithium.getAs("production_status"));
    assertNull(lithium.getAs("net_import_reliance"));
    assertEquals("production withheld by the source", lithium.getAs("nir_missing"));
    assertEquals(">50", lithium.getAs("usgs_published_value"));
    assertNull(lithium.getAs("usgs_published_nir"));

    Row china = rows.get("CHN/graphite");
    // half the kilograms lack a factor: gross weight, 2000 in, 10000 produced: 2000 / 12000.
    assertEquals("gross_weight", china.getAs("basis"));
    assertEquals(0.5, china.<Double>getAs("content_factor_share"), EPS);
    assertEquals(2000.0 / 12000, china.<Double>getAs("net_import_reliance"), EPS);
    assertNull(china.getAs("usgs_published_value"), "published figures are for the USA");

    Row australia = rows.get("AUS/graphite");
    // 2000 + 1000 - 5000 = -2000: no NIR.
    assertEquals(-2000.0, australia.<Double>getAs("apparent_consumption_kg"), EPS);
    assertNull(australia.getAs("net_import_reliance"));
    assertEquals("apparent consumption is not positive", australia.getAs("nir_missing"));

    Row brazil = rows.get("BRA/graphite");
    // 5000 + 1000 - 5000 = 1000 consumed, but 4000 net exports: USGS's "E", no share (-4).
    assertEquals(1000.0, brazil.<Double>getAs("apparent_consumption_kg"), EPS);
    assertNull(brazil.getAs("net_import_reliance"));
    assertEquals("net exporter (USGS publishes E)", brazil.getAs("nir_missing"));
  }
}
