package org.critmin.concentration;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.critmin.delta.Tables;
import org.critmin.CommandResult;
import org.critmin.SparkTestSession;
import org.critmin.reference.Governance;
import org.critmin.reference.Production;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Production concentration on a hand-computed frame, then on the real 2023 USGS and BGS data. */
@Tag("e2e")
class ProductionConcentrationTest {
  private static final double EPS = 1e-9;

  private static Row production(String source, String mineral, String stage, String name,
      String iso3, String kind, Double quantity, String unit) {
    return RowFactory.create(source, mineral, stage, mineral + ", " + stage, 2023, name, iso3,
        kind, quantity, unit, null);
  }

  @Test
  void handComputedGroups() {
    SparkSession spark = SparkTestSession.get();
    List<Row> p = new ArrayList<>();
    // BGS cobalt mine: COD 60, CHN 20, AUS 10 + 10 in two series, BRA nil, CUB no figure.
    p.add(production("bgs", "cobalt", "mine", "DRC", "COD", "country", 60.0, "t"));
    p.add(production("bgs", "cobalt", "mine", "China", "CHN", "country", 20.0, "t"));
    p.add(production("bgs", "cobalt", "mine", "Australia", "AUS", "country", 10.0, "t"));
    p.add(production("bgs", "cobalt", "mine", "Australia", "AUS", "country", 10.0, "t"));
    p.add(production("bgs", "cobalt", "mine", "Brazil", "BRA", "country", 0.0, "t"));
    p.add(production("bgs", "cobalt", "mine", "Cuba", "CUB", "country", null, "t"));
    // USGS cobalt mine: one producer, with world and other-countries rows outside the shares.
    p.add(production("usgs", "cobalt", "mine", "Congo (Kinshasa)", "COD", "country", 100.0,
        "metric tons"));
    p.add(production("usgs", "cobalt", "mine", "Other Countries", null, "other", 50.0,
        "metric tons"));
    p.add(production("usgs", "cobalt", "mine", "World total (rounded)", null, "world", 250.0,
        "metric tons"));
    // USGS germanium: every figure withheld, so no row.
    p.add(production("usgs", "germanium", "refined", "China", "CHN", "country", null, "kg"));
    p.add(production("usgs", "germanium", "refined", "World total", null, "world", null, "kg"));
    List<Row> w = List.of(
        RowFactory.create("COD", "DR Congo", 2023, -2.0),   // 9
        RowFactory.create("CHN", "China", 2023, -0.5));     // 6; AUS has no WGI here
    Dataset<Row> out = ProductionConcentration.compute(
        spark.createDataFrame(p, Production.SCHEMA), spark.createDataFrame(w,
            Governance.WGI_SCHEMA), GovernanceWeighting.Options.defaults(), "run-1");

    assertArrayEquals(Tables.PRODUCTION_CONCENTRATION.schema().fieldNames(),
        out.columns());
    Map<String, Row> bySource = new HashMap<>();
    for (Row r : out.collectAsList()) {
      bySource.put(r.getString(r.fieldIndex("source")), r);
    }
    assertEquals(2, bySource.size(), "the all-withheld germanium group gives no row");

    Row bgs = bySource.get("bgs");
    assertEquals(100.0, bgs.getDouble(bgs.fieldIndex("total_production")), EPS);
    assertEquals(3, bgs.getInt(bgs.fieldIndex("n_producers")));
    // 60^2 + 20^2 + 20^2 = 4400
    assertEquals(4400.0, bgs.getDouble(bgs.fieldIndex("hhi")), EPS);
    assertEquals("COD", bgs.getString(bgs.fieldIndex("top1_iso3")));
    assertEquals(0.6, bgs.getDouble(bgs.fieldIndex("top1_share")), EPS);
    assertEquals(1.0, bgs.getDouble(bgs.fieldIndex("top3_share")), EPS);
    assertEquals(0.2, bgs.getDouble(bgs.fieldIndex("china_share")), EPS);
    // 0.36 * 9 + 0.04 * 6 = 3.48; AUS (0.2) has no WGI.
    assertEquals(3.48, bgs.getDouble(bgs.fieldIndex("hhi_wgi")), EPS);
    assertEquals(0.2, bgs.getDouble(bgs.fieldIndex("wgi_missing_share")), EPS);
    assertNull(bgs.get(bgs.fieldIndex("world_total_reported")));
    assertEquals("run-1", bgs.getString(bgs.fieldIndex("run_id")));

    Row usgs = bySource.get("usgs");
    assertEquals(1, usgs.getInt(usgs.fieldIndex("n_producers")));
    assertEquals(10000.0, usgs.getDouble(usgs.fieldIndex("hhi")), EPS);
    assertEquals(0.0, usgs.getDouble(usgs.fieldIndex("china_share")), EPS);
    assertEquals(9.0, usgs.getDouble(usgs.fieldIndex("hhi_wgi")), EPS);
    assertEquals(50.0, usgs.getDouble(usgs.fieldIndex("other_production")), EPS);
    assertEquals(250.0, usgs.getDouble(usgs.fieldIndex("world_total_reported")), EPS);
  }

  @Test
  void realProductionConcentration2023() {
    SparkSession spark = SparkTestSession.get();
    org.critmin.config.Location reference = org.critmin.config.Location.of(
        Path.of(CommandResult.home(), "conf/reference"));
    Dataset<Row> production = Production.load(spark, reference)
        .filter(col("year").equalTo(2023).and(col("mineral").isin("cobalt", "gallium",
            "graphite", "lithium", "rare_earths")).and(col("stage").isin("mine", "refined")));
    List<Row> rows = ProductionConcentration.compute(production, Governance.load(spark,
            reference), GovernanceWeighting.Options.defaults(), "test")
        .orderBy("mineral", "stage", "source").collectAsList();

    System.out.println("| mineral | stage | source | total | unit | n | HHI | top1 | top1 share "
        + "| top3 share | China share | HHI_WGI | WGI missing | USGS world total |");
    System.out.println("|---|---|---|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|");
    Map<String, Row> byKey = new HashMap<>();
    for (Row r : rows) {
      String key = r.getString(0) + "/" + r.getString(1) + "/" + r.getString(3);
      byKey.put(key, r);
      System.out.printf("| %s | %s | %s | %,.0f | %s | %d | %.0f | %s | %.3f | %.3f | %.3f | "
              + "%.2f | %.3f | %s |%n", r.getString(0), r.getString(1), r.getString(3),
          r.getDouble(r.fieldIndex("total_production")), r.getString(4),
          r.getInt(r.fieldIndex("n_producers")), r.getDouble(r.fieldIndex("hhi")),
          r.getString(r.fieldIndex("top1_iso3")), r.getDouble(r.fieldIndex("top1_share")),
          r.getDouble(r.fieldIndex("top3_share")), r.getDouble(r.fieldIndex("china_share")),
          r.getDouble(r.fieldIndex("hhi_wgi")), r.getDouble(r.fieldIndex("wgi_missing_share")),
          r.isNullAt(r.fieldIndex("world_total_reported")) ? "" : String.format("%,.0f",
              r.getDouble(r.fieldIndex("world_total_reported"))));
    }

    // Eleven series: BGS cobalt mine and refined, USGS cobalt mine (MCS 2025 has no refined
    // cobalt table), and mine or refined output of the four others from both sources.
    assertEquals(11, rows.size(), byKey.keySet().toString());
    assertEquals("COD", top1(byKey, "cobalt/mine/bgs"));
    assertEquals("COD", top1(byKey, "cobalt/mine/usgs"));
    assertEquals("CHN", top1(byKey, "cobalt/refined/bgs"));
    for (String key : List.of("gallium/refined/bgs", "gallium/refined/usgs", "graphite/mine/bgs",
        "graphite/mine/usgs", "rare_earths/mine/bgs", "rare_earths/mine/usgs")) {
      assertEquals("CHN", top1(byKey, key), key);
    }
    assertEquals("AUS", top1(byKey, "lithium/mine/bgs"));
    assertEquals("AUS", top1(byKey, "lithium/mine/usgs"));
    // USGS 2023 cobalt mine: the 12 countries sum to 231,880 t (World total rounded 238,000
    // with 6,080 t of other countries).
    Row usgsCobalt = byKey.get("cobalt/mine/usgs");
    assertEquals(231880.0, usgsCobalt.getDouble(usgsCobalt.fieldIndex("total_production")), 0.5);
    for (Row r : rows) {
      double hhi = r.getDouble(r.fieldIndex("hhi"));
      assertTrue(hhi > 0 && hhi <= 10000, r.toString());
      double hhiWgi = r.getDouble(r.fieldIndex("hhi_wgi"));
      assertTrue(hhiWgi >= 0 && hhiWgi <= 10, r.toString());
    }
  }

  private static String top1(Map<String, Row> byKey, String key) {
    Row r = byKey.get(key);
    return r.getString(r.fieldIndex("top1_iso3"));
  }
}
