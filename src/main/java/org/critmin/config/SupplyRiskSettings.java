package org.critmin.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings of {@code concentration.supply_risk} (conf/base.conf documents each key): which
 * importers and blocs get an EU supply-risk row, where the global shares and domestic production
 * come from, and the per-mineral inputs the trade data cannot give (end-of-life recycling input
 * rate, substitution index, trade-restriction factors).
 *
 * @param importers importers as configured: ISO3 codes or bloc names
 * @param globalBasis {@code production} or {@code trade}
 * @param productionSources production sources in order of preference
 * @param productionStages trade stage to production stage
 * @param eolRir end-of-life recycling input rate per mineral (0 where absent)
 * @param substitutionIndex substitution index per mineral (1 where absent)
 * @param tradeRestrictions factors t_c per mineral and country
 */
public record SupplyRiskSettings(List<String> importers, String globalBasis,
    List<String> productionSources, Map<String, String> productionStages,
    Map<String, Double> eolRir, Map<String, Double> substitutionIndex,
    List<Restriction> tradeRestrictions) {

  public static final List<String> GLOBAL_BASES = List.of("production", "trade");
  private static final String KEY = "concentration.supply_risk";

  /** One trade-restriction factor t_c: supplier {@code iso3} of {@code mineral}. */
  public record Restriction(String mineral, String iso3, double factor) {}

  /** The default end-of-life recycling input rate of a mineral not configured. */
  public double eolRirOf(String mineral) {
    return eolRir.getOrDefault(mineral, 0.0);
  }

  /** The default substitution index of a mineral not configured. */
  public double substitutionIndexOf(String mineral) {
    return substitutionIndex.getOrDefault(mineral, 1.0);
  }

  /**
   * The bloc an importer names ({@code blocs} key, matched ignoring case), or null for a country.
   */
  public static String blocOf(String importer, Map<String, List<String>> blocs) {
    for (String name : blocs.keySet()) {
      if (name.equalsIgnoreCase(importer)) {
        return name;
      }
    }
    return null;
  }

  static SupplyRiskSettings from(Config c, Map<String, List<String>> blocs,
      Set<String> partnershipBlocs, java.util.regex.Pattern iso3) {
    List<String> importers = List.copyOf(c.getStringList(KEY + ".importers"));
    Set<String> seen = new HashSet<>();
    for (String importer : importers) {
      require(partnershipBlocs.stream().noneMatch(importer::equalsIgnoreCase), KEY + ".importers", "names '" + importer + "', a bloc of partnerships whose members "
              + "change over time; supply risk needs a bloc that lists ISO3 codes");
      require(blocOf(importer, blocs) != null || iso3.matcher(importer).matches(),
          KEY + ".importers", "'" + importer + "' is neither an ISO3 code nor a bloc of "
              + "concentration.blocs (" + String.join(", ", blocs.keySet()) + ")");
      require(seen.add(importer.toUpperCase(Locale.ROOT)), KEY + ".importers",
          "names '" + importer + "' twice");
    }
    String basis = c.getString(KEY + ".global_basis");
    require(GLOBAL_BASES.contains(basis), KEY + ".global_basis",
        "must be one of " + String.join(", ", GLOBAL_BASES) + ", got '" + basis + "'");
    List<String> sources = List.copyOf(c.getStringList(KEY + ".production_sources"));
    for (String source : sources) {
      require(List.of("usgs", "bgs").contains(source), KEY + ".production_sources",
          "'" + source + "' is not usgs or bgs");
    }
    Map<String, String> stages = new LinkedHashMap<>();
    Config stageConfig = c.getConfig(KEY + ".production_stages");
    for (String stage : stageConfig.root().keySet()) {
      stages.put(stage, stageConfig.getString(quoted(stage)));
    }
    List<Restriction> restrictions = new ArrayList<>();
    Set<String> pairs = new HashSet<>();
    String restrictionKey = KEY + ".trade_restrictions";
    for (Config r : c.getConfigList(restrictionKey)) {
      try {
        Restriction t = new Restriction(r.getString("mineral"), r.getString("iso3"),
            r.getDouble("factor"));
        require(iso3.matcher(t.iso3()).matches(), restrictionKey,
            "'" + t.iso3() + "' is not an ISO3 code");
        require(t.factor() > 0 && t.factor() <= 10, restrictionKey,
            "factor of " + t.mineral() + ", " + t.iso3() + " must be above 0 (and at most 10)");
        require(pairs.add(t.mineral() + "|" + t.iso3()), restrictionKey,
            "gives " + t.mineral() + ", " + t.iso3() + " twice");
        restrictions.add(t);
      } catch (ConfigException e) {
        throw new UserInputException("configuration key '" + restrictionKey + "' needs entries "
            + "{ mineral = \"...\", iso3 = \"...\", factor = 1.1 }: " + e.getMessage());
      }
    }
    return new SupplyRiskSettings(importers, basis, sources, Map.copyOf(stages),
        fractions(c, KEY + ".eol_rir"), fractions(c, KEY + ".substitution_index"),
        List.copyOf(restrictions));
  }

  private static Map<String, Double> fractions(Config c, String path) {
    Map<String, Double> values = new LinkedHashMap<>();
    Config section = c.getConfig(path);
    for (String mineral : section.root().keySet()) {
      double v;
      try {
        v = section.getDouble(quoted(mineral));
      } catch (ConfigException e) {
        throw new UserInputException("configuration key '" + path + "." + mineral
            + "' must be a number between 0 and 1");
      }
      require(v >= 0 && v <= 1, path + "." + mineral, "must be between 0 and 1, got " + v);
      values.put(mineral, v);
    }
    return Map.copyOf(values);
  }

  private static String quoted(String key) {
    return "\"" + key + "\"";
  }

  private static void require(boolean condition, String key, String problem) {
    if (!condition) {
      throw new UserInputException("configuration key '" + key + "' " + problem);
    }
  }
}
