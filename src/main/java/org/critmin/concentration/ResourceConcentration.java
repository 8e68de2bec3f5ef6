package org.critmin.concentration;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.critmin.delta.Tables;
import org.critmin.reference.Production;
import org.critmin.reference.Resources;

/**
 * {@code gold.resource_concentration}: how concentrated production, capacity and reserves are
 * among countries, per (mineral, stage, measure, year, source, unit).
 *
 * <p>The same computation as {@link ProductionConcentration}, over the measure as a further key
 * (docs/methods.md, "Reserves, capacity and country groups"): shares of the countries with a
 * positive figure ({@code kind = country}), HHI, top-k and the China (CHN) share from
 * {@link Concentration#perPartner} and {@link Concentration#metrics}, {@code hhi_wgi} from
 * {@link GovernanceWeighting}. The source's world and "Other countries" rows stay out of the
 * shares and are reported, with whether the world figure is a lower bound ("&gt;") and the
 * source's notes. {@code production_concentration} stays as it is; its rows are the
 * {@code measure = production} rows here.
 */
public final class ResourceConcentration {

  /** One output row per value of these columns. */
  public static final List<String> KEYS = List.of("mineral", "stage", "measure", "year",
      "source", "unit");

  /** The columns of {@link #holdings}. */
  static final List<String> HOLDING_COLUMNS = List.of("mineral", "stage", "measure", "year",
      "source", "unit", "country_name_raw", "iso3", "kind", "quantity", "lower_bound", "note");

  private ResourceConcentration() {}

  /**
   * Production ({@link Production#SCHEMA}, measure {@code production}) and capacity and reserves
   * ({@link Resources#SCHEMA}) as one layout of {@link #HOLDING_COLUMNS}.
   */
  public static Dataset<Row> holdings(Dataset<Row> production, Dataset<Row> resources) {
    Dataset<Row> held = resources.select(HOLDING_COLUMNS.stream()
        .map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    return productionHoldings(production).unionByName(held);
  }

  /** Production alone ({@link Production#SCHEMA}) in the layout of {@link #holdings}. */
  static Dataset<Row> productionHoldings(Dataset<Row> production) {
    return production.select(col("mineral"), col("stage"), lit("production").as("measure"),
        col("year"), col("source"), col("unit"), col("country_name_raw"), col("iso3"),
        col("kind"), col("quantity"), lit(false).as("lower_bound"), col("note"));
  }

  /**
   * The table's rows from {@link #holdings} and {@code wgi} (the
   * {@link org.critmin.reference.Governance#WGI_SCHEMA} layout), in the column order of
   * {@link Tables#RESOURCE_CONCENTRATION}. A group without a positive country figure has no row.
   */
  public static Dataset<Row> compute(Dataset<Row> holdings, Dataset<Row> wgi,
      GovernanceWeighting.Options weighting, String runId) {
    Column[] keyColumns = KEYS.stream().map(org.apache.spark.sql.functions::col)
        .toArray(Column[]::new);
    List<Column> asPartners = new ArrayList<>(Arrays.asList(keyColumns));
    asPartners.add(col("iso3").as("partner"));
    asPartners.add(col("kind").as("partner_kind"));
    asPartners.add(col("quantity").as("value_usd"));
    asPartners.add(lit(null).cast("double").as("net_kg"));
    Dataset<Row> partners = Concentration.perPartner(
        holdings.select(asPartners.toArray(Column[]::new)), KEYS,
        ProductionConcentration.CHINA);
    Dataset<Row> metrics = Concentration.metrics(partners, KEYS, ProductionConcentration.CHINA)
        .filter(col("n").gt(0))
        .select(col("mineral"), col("stage"), col("measure"), col("year"), col("source"),
            col("unit"), col("total_value_usd").as("total_quantity"),
            col("n").cast("int").as("n_countries"), col("hhi"), col("top1_iso3"),
            col("top1_share"), col("top3_share"), col("china_linked_share").as("china_share"));
    Dataset<Row> shares = Concentration.countedShares(partners, KEYS);

    Column kind = col("kind");
    Column noted = when(col("note").isNotNull().and(col("note").notEqual("")),
        concat_ws(": ", col("country_name_raw"), col("note")));
    Dataset<Row> reported = holdings.groupBy(keyColumns).agg(
        sum(when(kind.equalTo("other"), col("quantity"))).as("other_quantity"),
        sum(when(kind.equalTo("world"), col("quantity"))).as("world_total_reported"),
        coalesce(max(when(kind.equalTo("world"), col("lower_bound"))), lit(false))
            .as("world_total_lower_bound"),
        array_join(array_sort(collect_set(noted)), " | ").as("notes"));

    return GovernanceWeighting.attach(metrics, shares, KEYS, wgi, weighting)
        .join(broadcast(reported), KEYS.toArray(String[]::new), "left")
        .withColumn("notes", when(col("notes").notEqual(""), col("notes")))
        .withColumn("run_id", lit(runId))
        .select(Arrays.stream(Tables.RESOURCE_CONCENTRATION.schema().fieldNames())
            .map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }
}
