package org.critmin.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
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
 * disruptions, stockpiles and stockpile targets, blocs for bloc sourcing, the outlier rule and the
 * dated floors of benchmark prices, and the volatility window of price dynamics. Mineral ids and
 * stages are checked against the HS map by the scenarios job, which has the reference data; each
 * entry keeps its configuration key so that such a message can name it.
 */
public record ScenarioSettings(
    List<Disruption> disruptions,
    List<Stockpile> stockpiles,
    List<String> blocs,
    double priceOutlierMads,
    List<FloorPrice> floorPrices,
    StockpileTargets stockpileTargets,
    int priceCvWindowMonths) {

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

  /**
   * A floor price in USD per kg for a mineral and stage, in force for the periods whose last day is
   * on or after {@code validFrom} (null: from the first period) until the next floor of the same
   * mineral and stage.
   */
  public record FloorPrice(String mineral, String stage, double usdPerKg, LocalDate validFrom,
      String key) {

    /** A floor in force in every period. */
    public FloorPrice(String mineral, String stage, double usdPerKg, String key) {
      this(mineral, stage, usdPerKg, null, key);
    }
  }

  /**
   * Targets of stockpile economics: for each of {@code importers} (ISO3, groups resolved), the
   * tonnes and cost of each number of {@code days} of its imports, and the days each budget of
   * {@code budgetsUsd} buys.
   */
  public record StockpileTargets(List<String> importers, List<Integer> days,
      List<Double> budgetsUsd) {}

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
      String from = f.validFrom() == null ? "" : " valid from " + f.validFrom();
      CritminConfig.require(floored.add(f.mineral() + "|" + f.stage() + "|" + f.validFrom()),
          f.key(), "repeats the floor of " + f.mineral() + ", " + f.stage() + from);
    }
    StockpileTargets targets = stockpileTargets(c, groups, partnershipBlocs);
    String window = "scenarios.price_cv_window_months";
    int months = integer(c, window);
    CritminConfig.require(months >= 2 && months <= 120, window,
        "must be a whole number of months from 2 to 120, got " + months);
    return new ScenarioSettings(disruptions, stockpiles, blocs, mads, floors, targets, months);
  }

  /** Reads {@code scenarios.stockpile_targets}; every key is required (defaults in the file). */
  private static StockpileTargets stockpileTargets(Config c, Map<String, List<String>> groups,
      Set<String> partnershipBlocs) {
    String key = "scenarios.stockpile_targets";
    Config t;
    try {
      t = c.getConfig(key);
    } catch (ConfigException.Missing | ConfigException.WrongType e) {
      throw new UserInputException("configuration key '" + key + "' must be an object "
          + "{ importers = [...], days = [...], budgets_usd = [...] }: " + e.getMessage());
    }
    onlyKeys(t, key, "importers", "days", "budgets_usd");
    List<String> importers = List.copyOf(countries(stringList(t, "importers", key),
        key + ".importers", groups, partnershipBlocs));
    List<Integer> days = new ArrayList<>();
    // Read as numbers: getIntList would cut 30.5 to 30 without a word.
    for (double d : numbers(t, "days", key)) {
      CritminConfig.require(d == Math.rint(d) && d >= 1 && d <= 3650, key + ".days",
          "must be whole days from 1 to 3650, got " + d);
      days.add((int) d);
    }
    CritminConfig.require(new HashSet<>(days).size() == days.size(), key + ".days",
        "repeats a number of days: " + days);
    List<Double> budgets = numbers(t, "budgets_usd", key);
    for (double b : budgets) {
      CritminConfig.require(b > 0 && Double.isFinite(b), key + ".budgets_usd",
          "must be amounts above 0, got " + b);
    }
    CritminConfig.require(new HashSet<>(budgets).size() == budgets.size(), key + ".budgets_usd",
        "repeats a budget: " + budgets);
    return new StockpileTargets(importers, List.copyOf(days), List.copyOf(budgets));
  }

  private static List<Double> numbers(Config c, String path, String parent) {
    try {
      return List.copyOf(c.getDoubleList(path));
    } catch (ConfigException.Missing | ConfigException.WrongType e) {
      throw new UserInputException("configuration key '" + parent + "." + path + "' must be a "
          + "list of numbers: " + e.getMessage());
    }
  }

  private static List<String> stringList(Config c, String path, String parent) {
    try {
      return c.getStringList(path);
    } catch (ConfigException.Missing | ConfigException.WrongType e) {
      throw new UserInputException("configuration key '" + parent + "." + path + "': "
          + e.getMessage());
    }
  }

  /** A whole number; getInt would cut 12.5 to 12 without a word. */
  private static int integer(Config c, String path) {
    double value;
    try {
      value = c.getDouble(path);
    } catch (ConfigException.Missing | ConfigException.WrongType e) {
      throw new UserInputException("configuration key '" + path + "' must be a whole number: "
          + e.getMessage());
    }
    CritminConfig.require(value == Math.rint(value) && Math.abs(value) < Integer.MAX_VALUE,
        path, "must be a whole number, got " + value);
    return (int) value;
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
    onlyKeys(e, key, "mineral", "stage", "usd_per_kg", "valid_from");
    String stage = e.getString("stage");
    CritminConfig.require(!ALL_STAGES.equals(stage), key + ".stage",
        "must be one stage: prices are not compared across stages");
    double floor = e.getDouble("usd_per_kg");
    CritminConfig.require(floor > 0, key + ".usd_per_kg", "must be above 0, got " + floor);
    LocalDate validFrom = null;
    if (e.hasPath("valid_from")) {
      String date = e.getString("valid_from");
      try {
        validFrom = LocalDate.parse(date);
      } catch (DateTimeParseException ex) {
        CritminConfig.require(false, key + ".valid_from",
            "must be a date YYYY-MM-DD, got '" + date + "'");
      }
    }
    return new FloorPrice(e.getString("mineral"), stage, floor, validFrom, key);
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
