package org.critmin.concentration;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.critmin.config.CritminConfig;
import org.critmin.delta.Tables;
import org.critmin.reference.BlocMembership;
import org.critmin.reference.ContentFactors;
import org.critmin.reference.Governance;
import org.critmin.reference.Production;
import org.critmin.reference.PublishedNetImportReliance;
import org.critmin.reference.ReferenceData;
import org.critmin.reference.Resources;
import org.critmin.run.Job;
import org.critmin.run.RunContext;

/**
 * Writes {@code gold.supply_concentration} (world supply by exporter, from reconciled bilateral
 * flows) and {@code gold.partner_concentration} (each reporter's sources and destinations, from its
 * own reports), per mineral, stage and for the mineral as a whole ({@code stage = all}), both with
 * governance-weighted HHI; {@code gold.production_concentration} from USGS and BGS production;
 * {@code gold.supply_risk}, the EU supply risk of the configured importers ({@link SupplyRisk});
 * and production, capacity and reserves concentration ({@link ResourceConcentration}), country
 * groups' shares of them ({@link GroupResourceShares}) and net import reliance
 * ({@link NetImportReliance}).
 */
public final class ConcentrationJob implements Job {
  private static final Logger LOG = LogManager.getLogger(ConcentrationJob.class);
  static final String ALL_STAGES = "all";

  @Override
  public String name() {
    return "concentration";
  }

  @Override
  public void run(RunContext context) {
    CritminConfig config = context.config();
    Map<String, BlocMembership> blocs = context.reference().blocs(config.blocs());
    Concentration.Groups groups = new Concentration.Groups(config.chinaLinked(),
        blocs.get(config.bloc()), config.concern(),
        config.concernWgiThreshold(),
        config.moderateThreshold(), config.highThreshold());

    Dataset<Row> wgi = Governance.load(context.spark(), config.referenceDir());
    Dataset<Row> tradeFlows = ReferenceData.mineralTrade(context.table(Tables.TRADE_FLOWS));
    Dataset<Row> bilateral = ReferenceData.mineralTrade(context.table(Tables.BILATERAL_FLOWS));
    Dataset<Row> supply = supplyConcentration(bilateral, tradeFlows, config.supplyBases(), groups,
        wgi, context.runId());
    long supplyRows = context.write(Tables.SUPPLY_CONCENTRATION, supply, lit(true));

    Dataset<Row> partner = partnerConcentration(tradeFlows, groups, wgi, context.runId());
    long partnerRows = context.write(Tables.PARTNER_CONCENTRATION, partner, lit(true));

    Dataset<Row> producers = Production.load(context.spark(), config.referenceDir());
    // Production concentration is resource concentration's production measure: computed once,
    // held for both writes.
    Dataset<Row> holdings = ResourceConcentration.holdings(producers,
        Resources.load(context.spark(), config.referenceDir()));
    Dataset<Row> resources = ResourceConcentration.compute(holdings, wgi,
        GovernanceWeighting.Options.defaults(), context.runId())
        .persist(StorageLevel.MEMORY_AND_DISK());
    long productionRows;
    long resourceRows;
    try {
      resourceRows = context.write(Tables.RESOURCE_CONCENTRATION, resources, lit(true));
      productionRows = context.write(Tables.PRODUCTION_CONCENTRATION,
          ProductionConcentration.fromResources(resources), lit(true));
    } finally {
      resources.unpersist();
    }
    resourceRows += writeGroupSharesAndReliance(context, blocs, holdings, producers, tradeFlows);

    Dataset<Row> risk = SupplyRisk.compute(tradeFlows, bilateral, producers, wgi,
        config.supplyRisk(),
        config.fixedBlocs(), context.runId());
    long riskRows = context.write(Tables.SUPPLY_RISK, risk, lit(true));

    // The agreements, so that analysts join them to the flows by partner and date.
    Dataset<Row> partnerships = withPartnerGovernance(context.reference().partnerships(), wgi,
        config.concern(),
        config.concernWgiThreshold());
    context.write(Tables.PARTNERSHIPS, partnerships.withColumn("run_id", lit(context.runId())),
        lit(true));

    context.count(0, supplyRows + partnerRows + productionRows + riskRows + resourceRows, 0);
    LOG.info("concentration: {} supply, {} partner, {} production, {} supply-risk rows, {} "
        + "resource, group-share and net-import-reliance rows", supplyRows, partnerRows,
        productionRows, riskRows, resourceRows);
  }

  /**
   * Writes {@code gold.group_resource_shares} (the groups of
   * {@code concentration.resource_groups}) and {@code gold.net_import_reliance}; returns the
   * rows written.
   */
  private static long writeGroupSharesAndReliance(RunContext context,
      Map<String, BlocMembership> blocs, Dataset<Row> holdings, Dataset<Row> producers,
      Dataset<Row> tradeFlows) {
    CritminConfig config = context.config();
    long rows = 0;

    List<GroupResourceShares.Group> groups = config.resourceGroups().stream()
        .map(name -> new GroupResourceShares.Group(name, blocs.get(name))).toList();
    rows += context.write(Tables.GROUP_RESOURCE_SHARES,
        GroupResourceShares.compute(holdings, groups, context.runId()), lit(true));

    Dataset<Row> reliance = NetImportReliance.compute(tradeFlows, producers,
        ContentFactors.load(context.spark(), config.referenceDir()),
        PublishedNetImportReliance.load(context.spark(), config.referenceDir()),
        config.supplyRisk(), context.runId());
    return rows + context.write(Tables.NET_IMPORT_RELIANCE, reliance, lit(true));
  }

  /**
   * {@code partnerships} with each partner's latest WGI Political Stability estimate and whether
   * it is a supplier of concern: named in {@code concern}, or its estimate below
   * {@code threshold} (null: the named list only), as for {@code concern_share}.
   */
  static Dataset<Row> withPartnerGovernance(Dataset<Row> partnerships, Dataset<Row> wgi,
      List<String> concern, Double threshold) {
    Dataset<Row> latest = wgi.filter(col("pv_est").isNotNull())
        .groupBy(col("iso3").as("partner_iso3"))
        .agg(max_by(col("pv_est"), col("year")).as("partner_wgi_pv"),
            max(col("year")).as("partner_wgi_year"));
    Column belowThreshold = threshold == null ? lit(false)
        : coalesce(col("partner_wgi_pv").lt(threshold), lit(false));
    return partnerships.join(broadcast(latest), new String[] {"partner_iso3"}, "left")
        .withColumn("partner_of_concern", when(col("partner_iso3").isNull(), lit(null))
            .otherwise(col("partner_iso3").isin(concern.toArray()).or(belowThreshold)));
  }

  /**
   * World supply by exporter per mineral, stage (and all) and period, on each requested basis:
   * {@code reconciled} (bilateral flows, importer's report first), {@code reported_exports}
   * (exporters' own reports to all partners) or {@code mirror_imports} (importers' reports of where
   * their imports came from).
   */
  public static Dataset<Row> supplyConcentration(Dataset<Row> bilateral, Dataset<Row> tradeFlows,
      List<String> bases, Concentration.Groups groups, Dataset<Row> wgi, String runId) {
    Dataset<Row> byExporter = null;
    for (String basis : bases) {
      Dataset<Row> rows = switch (basis) {
        case "reconciled" -> bilateral.select(col("exporter_iso3").as("partner"),
            col("exporter_kind").as("partner_kind"), col("mineral"), col("stage"), col("period"),
            col("year"), col("month"), col("value_usd"), col("net_kg"));
        case "reported_exports" -> tradeFlows.filter(col("flow").equalTo("X"))
            .select(col("reporter_iso3").as("partner"), lit("country").as("partner_kind"),
                col("mineral"), col("stage"), col("period"), col("year"), col("month"),
                col("value_usd"), col("net_kg"));
        case "mirror_imports" -> tradeFlows.filter(col("flow").equalTo("M"))
            .select(col("partner_iso3").as("partner"), col("partner_kind"), col("mineral"),
                col("stage"), col("period"), col("year"), col("month"), col("value_usd"),
                col("net_kg"));
        default -> throw new IllegalArgumentException("unknown basis " + basis);
      };
      rows = rows.withColumn("basis", lit(basis));
      byExporter = byExporter == null ? rows : byExporter.unionByName(rows);
    }
    List<String> keys = List.of("basis", "mineral", "stage", "period", "year", "month");
    Dataset<Row> rows = withAllStages(Concentration.markConcern(byExporter, groups, wgi));
    Dataset<Row> metrics = governanceWeighted(rows, keys, groups, wgi);
    return Concentration.withHhiChange(metrics, List.of("basis", "mineral", "stage"))
        .withColumnRenamed("n", "n_suppliers")
        .withColumn("run_id", lit(runId));
  }

  /** Each reporter's partner concentration for imports (M) and exports (X), from its own reports. */
  public static Dataset<Row> partnerConcentration(Dataset<Row> tradeFlows,
      Concentration.Groups groups, Dataset<Row> wgi, String runId) {
    Dataset<Row> byPartner = withAllStages(Concentration.markConcern(tradeFlows.select(
        col("reporter_iso3"), col("flow"), col("mineral"), col("stage"), col("period"),
        col("year"), col("month"), col("partner_iso3").as("partner"), col("partner_kind"),
        col("value_usd"), col("net_kg")), groups, wgi));
    List<String> keys = List.of("reporter_iso3", "flow", "mineral", "stage", "period", "year",
        "month");
    Dataset<Row> metrics = governanceWeighted(byPartner, keys, groups, wgi);
    return Concentration.withHhiChange(metrics, List.of("reporter_iso3", "flow", "mineral",
            "stage"))
        .withColumnRenamed("n", "n_partners")
        .withColumn("top_partner_iso3", col("top1_iso3"))
        .withColumn("top_partner_share", col("top1_share"))
        .withColumn("run_id", lit(runId));
  }

  /**
   * The {@link Concentration#byPartner} metrics per group with {@code hhi_wgi} and
   * {@code wgi_missing_share} over the same partners the shares count (countries with a positive
   * value); both sides start from one per-partner aggregate.
   */
  private static Dataset<Row> governanceWeighted(Dataset<Row> rows, List<String> keys,
      Concentration.Groups groups, Dataset<Row> wgi) {
    Dataset<Row> partners = Concentration.perPartner(rows, keys, groups);
    return GovernanceWeighting.attach(Concentration.metrics(partners, keys, groups),
        Concentration.countedShares(partners, keys), keys, wgi,
        GovernanceWeighting.Options.defaults());
  }

  /**
   * The rows once per stage and once more with {@code stage = all} for the mineral as a whole
   * (one pass over the rows, not a union that reads them twice).
   */
  static Dataset<Row> withAllStages(Dataset<Row> rows) {
    return rows.withColumn("stage", explode(array(col("stage"), lit(ALL_STAGES))));
  }
}
