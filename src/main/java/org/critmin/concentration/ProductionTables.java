package org.critmin.concentration;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.delta.TableSpec;

/**
 * The contract of {@code gold.production_concentration} (DESIGN.md section 4), in the style of
 * {@link org.critmin.delta.Tables}; meant to move there.
 */
public final class ProductionTables {

  private ProductionTables() {}

  private static final DataType STRING = DataTypes.StringType;
  private static final DataType INT = DataTypes.IntegerType;
  private static final DataType DOUBLE = DataTypes.DoubleType;

  /** Concentration of mine and refinery production by producing country. */
  public static final TableSpec PRODUCTION_CONCENTRATION = new TableSpec("gold",
      "production_concentration",
      "Concentration of mine and refinery production by producing country, per mineral, stage, "
          + "year, source (USGS MCS 2025 or BGS World Mineral Statistics) and unit; production "
          + "shares, never mixed with trade shares",
      new StructType()
          .add("mineral", STRING, false, "Mineral id")
          .add("stage", STRING, false, "mine, refined, smelter, or a product of its own "
              + "(spodumene, ferro_manganese...)")
          .add("year", INT, false, "Production year")
          .add("source", STRING, false, "usgs or bgs")
          .add("unit", STRING, false, "Unit and basis of total_production, e.g. tonnes (metal "
              + "content)")
          .add("total_production", DOUBLE, false, "Sum over the countries with a positive figure, "
              + "in unit")
          .add("n_producers", INT, false, "Countries with a positive figure")
          .add("hhi", DOUBLE, true, "Herfindahl-Hirschman index of production shares, 0..10000")
          .add("top1_iso3", STRING, true, "Largest producer (ties broken by ISO3 code)")
          .add("top1_share", DOUBLE, true, "Largest producer's share, 0..1")
          .add("top3_share", DOUBLE, true, "Share of the three largest producers, 0..1")
          .add("china_share", DOUBLE, true, "China's (CHN) share, 0..1")
          .add("hhi_wgi", DOUBLE, true, "Governance-weighted HHI sum(s^2 * WGI_scaled), shares as "
              + "fractions, 0..10; WGI from Political Stability (PV.EST) only, the latest estimate "
              + "at or before the year (by default at most 3 years older); over producers with "
              + "WGI, null if none has it")
          .add("wgi_missing_share", DOUBLE, true, "Share of production from countries without a "
              + "WGI estimate, left out of hhi_wgi")
          .add("other_production", DOUBLE, true, "USGS 'Other countries' figure, kept out of the "
              + "shares; null for BGS")
          .add("world_total_reported", DOUBLE, true, "World total as the source publishes it "
              + "(USGS, rounded); null for BGS")
          .add("run_id", STRING, false, "Run that wrote the row"),
      List.of());
}
