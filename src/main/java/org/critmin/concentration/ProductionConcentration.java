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
    List<Column> keyColumns = KEYS.stream().map(org.apache.spark.sql.functions::col).toList();

    List<Column> asPartners = new ArrayList<>(keyColumns);
    asPartners.add(col("iso3").as("partner"));
    asPartners.add(col("kind").as("partner_kind"));
    asPartners.add(col("quantity").as("value_usd"));
    asPartners.add(lit(null).cast("double").as("net_kg"));
    Dataset<Row> partners = Concentration.perPartner(
        production.select(asPartners.toArray(Column[]::new)), KEYS, CHINA);
    Dataset<Row> metrics = Concentration.metrics(partners, KEYS, CHINA)
        .filter(col("n").gt(0))
        .select(col("mineral"), col("stage"), col("year"), col("source"), col("unit"),
            col("total_value_usd").as("total_production"),
            col("n").cast("int").as("n_producers"), col("hhi"), col("top1_iso3"),
            col("top1_share"), col("top3_share"), col("china_linked_share").as("china_share"));
    Dataset<Row> shares = Concentration.countedShares(partners, KEYS);

    Dataset<Row> reported = production.groupBy(keyColumns.toArray(Column[]::new)).agg(
        sum(when(col("kind").equalTo("other"), col("quantity"))).as("other_production"),
        sum(when(col("kind").equalTo("world"), col("quantity"))).as("world_total_reported"));

    // One row per group on every side: the small side is broadcast rather than sorted.
    return GovernanceWeighting.attach(metrics, shares, KEYS, wgi, weighting)
        .join(broadcast(reported), KEYS.toArray(String[]::new), "left")
        .withColumn("run_id", lit(runId))
        .select(Arrays.stream(Tables.PRODUCTION_CONCENTRATION.schema().fieldNames())
            .map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }
}
