package org.critmin.concentration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.critmin.SparkTestSession;
import org.critmin.delta.Tables;
import org.critmin.reference.BlocMembership;
import org.critmin.reference.Governance;
import org.critmin.reference.Production;
import org.critmin.reference.Resources;
import org.junit.jupiter.api.Test;

/**
 * Reserves and capacity concentration and country-group shares, on frames whose numbers are
 * worked out by hand below: the lithium reserves of USGS MCS 2025 as shipped, a capacity series
 * with a member that joins a dated bloc mid-2024, and a BGS-like series without world row.
 */
class ResourceConcentrationTest {
  private static final double EPS = 1e-9;

  private static Row reserve(String name, String iso3, String kind, Double tonnes,
      boolean lowerBound, String note) {
    return RowFactory.create("usgs", "MCS2025", "lithium", "mine", "reserves",
        "Lithium: Mine production, lithium content", 2024, name, iso3, kind, tonnes, lowerBound,
        "metric tons", note);
  }

  private static Row capacity(int year, String name, String iso3, String kind, double t) {
    return RowFactory.create("usgs", "MCS2025", "gallium", "refined", "capacity",
        "Gallium: Primary production", year, name, iso3, kind, t, false, "kilograms", null);
  }

  private static Dataset<Row> holdings(SparkSession spark) {
    List<Row> r = new ArrayList<>();
    // USGS MCS 2025 lithium reserves (2024), metric tons of lithium content, as in
    // conf/reference/production/resources.csv.
    r.add(reserve("United States", "USA", "country", 1_800_000.0, false, null));
    r.add(reserve("Argentina", "ARG", "country", 4_000_000.0, false, null));
    r.add(reserve("Australia", "AUS", "country", 7_000_000.0, false, "JORC reserves 4.8 Mt"));
    r.add(reserve("Brazil", "BRA", "country", 390_000.0, false, null));
    r.add(reserve("Canada", "CAN", "country", 1_200_000.0, false, null));
    r.add(reserve("Chile", "CHL", "country", 9_300_000.0, false, null));
    r.add(reserve("China", "CHN", "country", 3_000_000.0, false, null));
    r.add(reserve("Namibia", "NAM", "country", 14_000.0, false, null));
    r.add(reserve("Portugal", "PRT", "country", 60_000.0, false, null));
    r.add(reserve("Zimbabwe", "ZWE", "country", 480_000.0, false, null));
    r.add(reserve("Other Countries", null, "other", 2_800_000.0, false, "incl. Mexico"));
    r.add(reserve("World total (rounded)", null, "world", 30_000_000.0, false, null));
    // Gallium capacity, kg: JPN 100 and KOR 300 in 2023 and 2024, CHN 600; world row ">1000"
    // in 2024 only; an Other Countries row in 2023 only.
    for (int year : new int[] {2023, 2024}) {
      r.add(capacity(year, "Japan", "JPN", "country", 100));
      r.add(capacity(year, "Korea", "KOR", "country", 300));
      r.add(capacity(year, "China", "CHN", "country", 600));
    }
    r.add(capacity(2023, "Other Countries", null, "other", 200));
    r.add(RowFactory.create("usgs", "MCS2025", "gallium", "refined", "capacity",
        "Gallium: Primary production", 2024, "World total", null, "world", 1000.0, true,
        "kilograms", null));
    Dataset<Row> resources = spark.createDataFrame(r, Resources.SCHEMA);

    // BGS graphite mine 2023, tonnes: BRA 30, CAN 10, CHN 60; no world or other row.
    List<Row> p = List.of(
        RowFactory.create("bgs", "graphite", "mine", "graphite", 2023, "Brazil", "BRA",
            "country", 30.0, "tonnes", "estimated"),
        RowFactory.create("bgs", "graphite", "mine", "graphite", 2023, "Canada", "CAN",
            "country", 10.0, "tonnes", null),
        RowFactory.create("bgs", "graphite", "mine", "graphite", 2023, "China", "CHN",
            "country", 60.0, "tonnes", null));
    return ResourceConcentration.holdings(spark.createDataFrame(p, Production.SCHEMA),
        resources);
  }

  @Test
  void reservesCapacityAndProductionConcentration() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> wgi = spark.createDataFrame(List.of(
        RowFactory.create("CHL", "Chile", 2023, 0.0),        // WGI_scaled 5
        RowFactory.create("CHN", "China", 2023, -0.5)),      // 6
        Governance.WGI_SCHEMA);
    Dataset<Row> out = ResourceConcentration.compute(holdings(spark), wgi,
        GovernanceWeighting.Options.defaults(), "run-1");
    assertArrayEquals(Tables.RESOURCE_CONCENTRATION.schema().fieldNames(), out.columns());
    Map<String, Row> rows = new HashMap<>();
    for (Row r : out.collectAsList()) {
      rows.put(r.getAs("mineral") + "/" + r.getAs("measure") + "/" + r.getAs("year"), r);
    }
    assertEquals(4, rows.size(), rows.keySet().toString());

    Row li = rows.get("lithium/reserves/2024");
    // Listed countries: 1.8 + 4 + 7 + 0.39 + 1.2 + 9.3 + 3 + 0.014 + 0.06 + 0.48 = 27.244 Mt.
    assertEquals(27_244_000.0, li.<Double>getAs("total_quantity"), 1e-3);
    assertEquals(10, li.<Integer>getAs("n_countries"));
    // sum q^2 = 3.24 + 16 + 49 + 0.1521 + 1.44 + 86.49 + 9 + 0.000196 + 0.0036 + 0.2304
    // = 165.556296 (Mt^2); HHI = 10000 * 165.556296 / 27.244^2 = 2230.5089
    assertEquals(10000 * 165.556296 / (27.244 * 27.244), li.<Double>getAs("hhi"), 1e-6);
    assertEquals("CHL", li.getAs("top1_iso3"));
    assertEquals(9.3 / 27.244, li.<Double>getAs("top1_share"), EPS);
    // Chile, Australia, Argentina: 20.3 / 27.244
    assertEquals(20.3 / 27.244, li.<Double>getAs("top3_share"), EPS);
    assertEquals(3.0 / 27.244, li.<Double>getAs("china_share"), EPS);
    // hhi_wgi = (9.3/27.244)^2 * 5 + (3/27.244)^2 * 6; the others have no WGI here.
    double chl = 9.3 / 27.244;
    double chn = 3.0 / 27.244;
    assertEquals(chl * chl * 5 + chn * chn * 6, li.<Double>getAs("hhi_wgi"), EPS);
    assertEquals(1 - chl - chn, li.<Double>getAs("wgi_missing_share"), EPS);
    assertEquals(2_800_000.0, li.<Double>getAs("other_quantity"), EPS);
    assertEquals(30_000_000.0, li.<Double>getAs("world_total_reported"), EPS);
    assertFalse(li.<Boolean>getAs("world_total_lower_bound"));
    assertEquals("Australia: JORC reserves 4.8 Mt | Other Countries: incl. Mexico",
        li.getAs("notes"));

    Row ga = rows.get("gallium/capacity/2024");
    // 100 + 300 + 600 = 1000; HHI = 10000 * (0.01 + 0.09 + 0.36) = 4600.
    assertEquals(4600.0, ga.<Double>getAs("hhi"), 1e-6);
    assertTrue(ga.<Boolean>getAs("world_total_lower_bound"));
    assertNull(ga.getAs("notes"));

    Row graphite = rows.get("graphite/production/2023");
    assertEquals("bgs", graphite.getAs("source"));
    // 30^2 + 10^2 + 60^2 = 4600 over 100^2: HHI 4600; China 0.6.
    assertEquals(4600.0, graphite.<Double>getAs("hhi"), 1e-6);
    assertEquals(0.6, graphite.<Double>getAs("china_share"), EPS);
    assertNull(graphite.getAs("world_total_reported"));
  }

  @Test
  void groupSharesUseTheWorldRowOrTheSumAndDatedMembers() {
    SparkSession spark = SparkTestSession.get();
    List<GroupResourceShares.Group> groups = List.of(
        new GroupResourceShares.Group("western_hemisphere", BlocMembership.fixed("wh",
            List.of("USA", "CAN", "MEX", "ARG", "BRA", "CHL", "BOL"))),
        // KOR joins on 2024-06-01: a member for 2024 (in force on 31 December), not 2023.
        new GroupResourceShares.Group("deal", BlocMembership.of("deal", List.of(
            new BlocMembership.Term("JPN", null, null, List.of()),
            new BlocMembership.Term("KOR", LocalDate.of(2024, 6, 1), null, List.of())))));
    Dataset<Row> out = GroupResourceShares.compute(holdings(spark), groups, "run-1");
    assertArrayEquals(Tables.GROUP_RESOURCE_SHARES.schema().fieldNames(), out.columns());
    Map<String, Row> rows = new HashMap<>();
    for (Row r : out.collectAsList()) {
      rows.put(r.getAs("group_name") + "/" + r.getAs("mineral") + "/" + r.getAs("year"), r);
    }
    // 2 groups x (lithium 2024, gallium 2023, gallium 2024, graphite 2023).
    assertEquals(8, rows.size(), rows.keySet().toString());

    Row wh = rows.get("western_hemisphere/lithium/2024");
    // USA 1.8 + ARG 4 + BRA 0.39 + CAN 1.2 + CHL 9.3 = 16.69 Mt; MEX sits in Other Countries
    // and BOL has no reserves row, so neither adds anything.
    assertEquals(16_690_000.0, wh.<Double>getAs("group_total"), 1e-3);
    assertEquals(5, wh.<Integer>getAs("n_group_countries"));
    assertEquals("source_world_row", wh.getAs("world_total_basis"));
    assertEquals(30_000_000.0, wh.<Double>getAs("world_total"), EPS);
    // 16.69 / 30 = 0.55633; of the listed countries 16.69 / 27.244 = 0.61261.
    assertEquals(16.69 / 30, wh.<Double>getAs("share"), EPS);
    assertEquals(16.69 / 27.244, wh.<Double>getAs("share_of_listed"), EPS);

    Row deal2023 = rows.get("deal/gallium/2023");
    // 2023: JPN only, 100 kg; no world row: 1000 listed + 200 other = 1200.
    assertEquals(100.0, deal2023.<Double>getAs("group_total"), EPS);
    assertEquals("countries_plus_other", deal2023.getAs("world_total_basis"));
    assertEquals(100.0 / 1200, deal2023.<Double>getAs("share"), EPS);
    assertEquals(0.1, deal2023.<Double>getAs("share_of_listed"), EPS);
    Row deal2024 = rows.get("deal/gallium/2024");
    // 2024: JPN 100 + KOR 300 = 400 of the world row ">1000" (an upper bound of the share).
    assertEquals(400.0, deal2024.<Double>getAs("group_total"), EPS);
    assertEquals(0.4, deal2024.<Double>getAs("share"), EPS);
    assertTrue(deal2024.<Boolean>getAs("world_total_lower_bound"));

    Row bgs = rows.get("western_hemisphere/graphite/2023");
    // BRA 30 + CAN 10 of 100, no world or other row.
    assertEquals("sum_of_countries", bgs.getAs("world_total_basis"));
    assertEquals(0.4, bgs.<Double>getAs("share"), EPS);
    Row none = rows.get("deal/graphite/2023");
    assertEquals(0.0, none.<Double>getAs("group_total"), EPS);
    assertEquals(0, none.<Integer>getAs("n_group_countries"));
  }
}
