package org.critmin.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The validated {@code scenarios} section (documented in {@code conf/scenarios.conf}): supplier
 * disruptions, stockpiles, blocs for bloc sourcing, and the outlier rule and floors of benchmark
 * prices. Mineral ids and stages are checked against the HS map by the scenarios job, which has the
 * reference data; each entry keeps its configuration key so that such a message can name it.
 */
public record ScenarioSettings(
    List<Disruption> disruptions,
    List<Stockpile> stockpiles,
    List<String> blocs,
    double priceOutlierMads,
    List<FloorPrice> floorPrices) {

  /** The stage value that means every stage (and the mineral as a whole). */
  public static final String ALL_STAGES = "all";
  private static final String EVERY_MINERAL = "*";
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,60}");

  /**
   * One supplier disruption: {@code suppliers} (ISO3, group names resolved) cut {@code cutShare} of
   * their exports of {@code minerals} (empty: every mineral) at {@code stage} (or every stage).
   */
  /**
   * A supplier disruption. {@code importers} are the countries it hits (empty: every importer);
   * {@code rerouteShare} is the share of the cut supply that still reaches them through third
   * countries, split among those at their share of the importer's other imports.
   */
  public record Disruption(String name, List<String> suppliers, List<String> minerals,
      String stage, double cutShare, List<String> importers, double rerouteShare, String key) {

    public boolean everyImporter() {
      return importers.isEmpty();
    }

    public boolean everyMineral() {
      return minerals.isEmpty();
    }

    public boolean everyStage() {
      return ALL_STAGES.equals(stage);
    }
  }

  /** A stockpile of {@code tonnes} of a mineral at a stage (or {@code all}) held by an importer. */
  public record Stockpile(String importer, String mineral, String stage, double tonnes,
      String key) {}

  /** A floor price in USD per kg for a mineral and stage. */
  public record FloorPrice(String mineral, String stage, double usdPerKg, String key) {}

  /**
   * Reads the section; supplier names are resolved through {@code groups} (china_linked, concern
   * and the blocs of concentration.blocs) or must be ISO3 codes.
   */
  static ScenarioSettings from(Config c, Map<String, List<String>> groups,
      Set<String> blocNames, Set<String> partnershipBlocs) {
    List<Disruption> disruptions = entries(c, "scenarios.disruptions",
        (e, key) -> disruption(e, key, groups, partnershipBlocs));
    Set<String> names = new HashSet<>();
    for (Disruption d : disruptions) {
      CritminConfig.require(names.add(d.name()), d.key() + ".name",
          "repeats scenario '" + d.name() + "'");
    }

    List<Stockpile> stockpiles = entries(c, "scenarios.stockpiles", ScenarioSettings::stockpile);
    Set<String> held = new HashSet<>();
    for (Stockpile s : stockpiles) {
      CritminConfig.require(held.add(s.importer() + "|" + s.mineral() + "|" + s.stage()),
          s.key(), "repeats the stockpile of " + s.importer() + ", " + s.mineral() + ", "
              + s.stage());
    }

    List<String> blocs = List.copyOf(c.getStringList("scenarios.blocs"));
    for (String bloc : blocs) {
      CritminConfig.require(blocNames.contains(bloc), "scenarios.blocs", "'" + bloc
          + "' is not a bloc of concentration.blocs (" + String.join(", ", blocNames) + ")");
    }

    double mads = c.getDouble("scenarios.price_outlier_mads");
    CritminConfig.require(mads > 0, "scenarios.price_outlier_mads", "must be above 0, got "
        + mads);

    List<FloorPrice> floors = entries(c, "scenarios.floor_prices", ScenarioSettings::floorPrice);
    Set<String> floored = new HashSet<>();
    for (FloorPrice f : floors) {
      CritminConfig.require(floored.add(f.mineral() + "|" + f.stage()), f.key(),
          "repeats the floor of " + f.mineral() + ", " + f.stage());
    }
    return new ScenarioSettings(disruptions, stockpiles, blocs, mads, floors);
  }

  private static Disruption disruption(Config e, String key, Map<String, List<String>> groups,
      Set<String> partnershipBlocs) {
    onlyKeys(e, key, "name", "suppliers", "minerals", "stage", "cut_share", "importers",
        "reroute_share");
    String name = e.getString("name");
    CritminConfig.require(NAME.matcher(name).matches(), key + ".name",
        "must be letters, digits and underscores, starting with a letter, got '" + name + "'");
    Set<String> suppliers = countries(e.getStringList("suppliers"), key + ".suppliers", groups,
        partnershipBlocs);
    CritminConfig.require(!suppliers.isEmpty(), key + ".suppliers", "names no supplier");
    Set<String> importers = e.hasPath("importers")
        ? countries(e.getStringList("importers"), key + ".importers", groups, partnershipBlocs)
        : Set.of();
    CritminConfig.require(!e.hasPath("importers") || !importers.isEmpty(), key + ".importers",
        "names no importer (leave the key out for every importer)");
    for (String importer : importers) {
      CritminConfig.require(!suppliers.contains(importer), key + ".importers",
          importer + " is also a supplier of the scenario");
    }
    double reroute = e.hasPath("reroute_share") ? e.getDouble("reroute_share") : 0.0;
    CritminConfig.require(reroute >= 0 && reroute <= 1, key + ".reroute_share",
        "must be between 0 and 1, got " + reroute);
    CritminConfig.require(reroute == 0 || !importers.isEmpty(), key + ".reroute_share",
        "needs `importers`: supply cut from every importer has no third country to pass through");
    List<String> minerals = e.getStringList("minerals");
    CritminConfig.require(!minerals.isEmpty(), key + ".minerals",
        "must name minerals, or [\"*\"] for every mineral");
    if (minerals.contains(EVERY_MINERAL)) {
      CritminConfig.require(minerals.size() == 1, key + ".minerals",
          "\"*\" stands for every mineral and cannot be combined with others");
      minerals = List.of();
    }
    String stage = e.hasPath("stage") ? e.getString("stage") : ALL_STAGES;
    double cut = e.hasPath("cut_share") ? e.getDouble("cut_share") : 1.0;
    CritminConfig.require(cut > 0 && cut <= 1, key + ".cut_share",
        "must be above 0 and at most 1, got " + cut);
    return new Disruption(name, List.copyOf(suppliers), List.copyOf(minerals), stage, cut,
        List.copyOf(importers), reroute, key);
  }

  /**
   * ISO3 codes and group names, groups expanded, in order. A bloc of partnerships changes
   * members over time, so it cannot stand for the fixed supplier or importer list of a scenario.
   */
  private static Set<String> countries(List<String> names, String key,
      Map<String, List<String>> groups, Set<String> partnershipBlocs) {
    Set<String> countries = new LinkedHashSet<>();
    for (String name : names) {
      CritminConfig.require(!partnershipBlocs.contains(name), key, "names '" + name + "', a bloc "
          + "of partnerships whose members change over time; name its countries or a bloc that "
          + "lists ISO3 codes");
      if (groups.containsKey(name)) {
        countries.addAll(groups.get(name));
      } else {
        CritminConfig.require(CritminConfig.ISO3.matcher(name).matches(), key,
            "'" + name + "' is neither an ISO3 code nor a group (" + String.join(", ",
                groups.keySet()) + ")");
        countries.add(name);
      }
    }
    return countries;
  }

  private static Stockpile stockpile(Config e, String key) {
    onlyKeys(e, key, "importer", "mineral", "stage", "tonnes");
    String importer = e.getString("importer");
    CritminConfig.require(CritminConfig.ISO3.matcher(importer).matches(), key + ".importer",
        "'" + importer + "' is not an ISO3 code");
    String stage = e.hasPath("stage") ? e.getString("stage") : ALL_STAGES;
    double tonnes = e.getDouble("tonnes");
    CritminConfig.require(tonnes > 0, key + ".tonnes", "must be above 0, got " + tonnes);
    return new Stockpile(importer, e.getString("mineral"), stage, tonnes, key);
  }

  private static FloorPrice floorPrice(Config e, String key) {
    onlyKeys(e, key, "mineral", "stage", "usd_per_kg");
    String stage = e.getString("stage");
    CritminConfig.require(!ALL_STAGES.equals(stage), key + ".stage",
        "must be one stage: prices are not compared across stages");
    double floor = e.getDouble("usd_per_kg");
    CritminConfig.require(floor > 0, key + ".usd_per_kg", "must be above 0, got " + floor);
    return new FloorPrice(e.getString("mineral"), stage, floor, key);
  }

  /** Reads a list of objects; a missing or mistyped field names the entry, e.g. {@code x[2]}. */
  private static <T> List<T> entries(Config c, String path,
      BiFunction<Config, String, T> reader) {
    List<? extends Config> entries = c.getConfigList(path);
    List<T> result = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String key = path + "[" + i + "]";
      try {
        result.add(reader.apply(entries.get(i), key));
      } catch (ConfigException.Missing | ConfigException.WrongType e) {
        throw new UserInputException("configuration key '" + key + "': " + e.getMessage());
      }
    }
    return List.copyOf(result);
  }

  private static void onlyKeys(Config entry, String key, String... allowed) {
    for (String k : entry.root().keySet()) {
      CritminConfig.require(List.of(allowed).contains(k), key + "." + k,
          "is not a known key (allowed: " + String.join(", ", allowed) + ")");
    }
  }
}
