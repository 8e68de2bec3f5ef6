package org.critmin.concentration;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.critmin.delta.Tables;
import org.critmin.reference.BlocMembership;
import org.critmin.reference.Production;

/**
 * {@code gold.production_concentration}: how concentrated mine and refinery output is among
 * producing countries, per (mineral, stage, year, source, unit).
 *
 * <p>Shares are of production quantity over the countries with a positive figure
 * ({@code kind = country}); USGS "World total" and "Other countries" rows are kept out of the
 * shares and reported as {@code world_total_reported} and {@code other_production}. HHI, top-k
 * and the China share come from {@link Concentration#byPartner} (docs/methods.md, "Concentration":
 * {@code HHI = 10000 * sum(q^2) / sum(q)^2}), with China alone (CHN) as the China group, since
 * Hong Kong and Macao produce none of these minerals. {@code hhi_wgi} and {@code wgi_missing_share}
 * come from {@link GovernanceWeighting#byGroup}. A group without any positive country figure (for
 * example a USGS table whose cells are all withheld) produces no row. USGS and BGS are never mixed:
 * {@code source} is a key.
 */
public final class ProductionConcentration {

  /** One output row per value of these columns. */
  public static final List<String> KEYS = List.of("mineral", "stage", "year", "source", "unit");

  /** The China group of the production table: producing China only. */
  static final Concentration.Groups CHINA = new Concentration.Groups(List.of("CHN"),
      BlocMembership.none(), List.of(), null, 0, 0);

  private ProductionConcentration() {}

  /**
   * The table's rows from {@code production} (the {@link Production#SCHEMA} layout) and
   * {@code wgi} (the {@link org.critmin.reference.Governance#WGI_SCHEMA} layout), columns in the
   * order of {@link Tables#PRODUCTION_CONCENTRATION}.
   */
  public static Dataset<Row> compute(Dataset<Row> production, Dataset<Row> wgi,
      GovernanceWeighting.Options weighting, String runId) {
    return fromResources(ResourceConcentration.compute(
        ResourceConcentration.productionHoldings(production), wgi, weighting, runId));
  }

  /**
   * The table's rows from {@link ResourceConcentration#compute} rows: its production measure, the
   * same computation, so a run computes it once for both tables.
   */
  public static Dataset<Row> fromResources(Dataset<Row> resources) {
    return resources.filter(col("measure").equalTo("production"))
        .select(col("mineral"), col("stage"), col("year"), col("source"), col("unit"),
            col("total_quantity").as("total_production"),
            col("n_countries").as("n_producers"), col("hhi"), col("top1_iso3"),
            col("top1_share"), col("top3_share"), col("china_share"), col("hhi_wgi"),
            col("wgi_missing_share"), col("other_quantity").as("other_production"),
            col("world_total_reported"), col("run_id"));
  }
}
