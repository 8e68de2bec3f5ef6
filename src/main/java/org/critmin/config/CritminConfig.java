package org.critmin.config;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The validated settings of one critmin run, read once from the layered HOCON configuration
 * ({@link ConfigLoader}). Every job reads its settings from here, never from the raw config.
 */
public record CritminConfig(
    String warehouse,
    String databasePrefix,
    List<String> inputs,
    Location referenceDir,
    String sparkMaster,
    int shufflePartitions,
    boolean consoleProgress,
    Map<String, String> sparkSettings,
    String ingestFormat,
    double maxRejectRatio,
    IngestLimits ingestLimits,
    List<String> importFlows,
    List<String> exportFlows,
    double worldTotalTolerance,
    List<String> chinaLinked,
    Map<String, BlocDefinition> blocs,
    String bloc,
    List<String> concern,
    Double concernWgiThreshold,
    List<String> supplyBases,
    double moderateThreshold,
    double highThreshold,
    SupplyRiskSettings supplyRisk,
    List<String> resourceGroups,
    ScenarioSettings scenarios,
    ShocksConfig shocks,
    Report report,
    DeltaSettings delta,
    WriterLockSettings writerLock,
    String digest) {

  /**
   * What ingest accepts of one record ({@code ingest.*}): raw text kept for a rejected record,
   * the largest plausible trade value and net weight of one flow (beyond them a number is
   * {@code bad_number}: a unit error or a corrupted field, never a real flow), the longest line
   * and how far a compressed file may expand (beyond them memory or time would be unbounded).
   */
  public record IngestLimits(int maxRawChars, double maxValueUsd, double maxNetKg,
      double maxQty, int maxLineBytes, double maxGzipRatio) implements java.io.Serializable {}

  /** Settings of the HTML report ({@code report.*}); an empty {@code out} means under the warehouse. */
  public record Report(String out, List<String> importers, int maxMinerals, int topSuppliers,
      int maxTableRows) {}

  /**
   * Delta table settings: retention properties set at creation, the commit retry bound, and the
   * VACUUM retention of {@code maintain}.
   */
  public record DeltaSettings(int logRetentionDays, int deletedFileRetentionHours,
      int commitRetries, int vacuumRetentionHours) {
    /** Delta's own defaults, for sessions without a configuration (tests, notebooks). */
    public static final DeltaSettings DEFAULTS = new DeltaSettings(30, 168, 5, 168);
  }

  /**
   * The warehouse's writer lock ({@code writer_lock.*}): how long a second writer waits for it, and
   * after how long without a heartbeat a lock outside the local disk counts as a dead run's.
   */
  public record WriterLockSettings(int waitSeconds, int staleSeconds) {}

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,40}");
  static final Pattern ISO3 = Pattern.compile("[A-Z0-9_]{3}");
  /** The bases supply concentration can be computed on. */
  public static final List<String> SUPPLY_BASES =
      List.of("reconciled", "reported_exports", "mirror_imports");

  /** Reads and checks every key; {@code configDir} anchors a relative {@code reference_dir}. */
  static CritminConfig from(Config c, Location configDir, String digest) {
    String prefix = c.getString("database_prefix");
    require(IDENTIFIER.matcher(prefix).matches(), "database_prefix",
        "must be letters, digits and underscores, starting with a letter, got '" + prefix + "'");
    Location referenceDir = configDir.resolve(c.getString("reference_dir"));

    Map<String, String> sparkSettings = new LinkedHashMap<>();
    Config settings = c.getConfig("spark.settings");
    settings.entrySet().forEach(e -> sparkSettings.put(
        e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped())));

    Map<String, BlocDefinition> blocs = new LinkedHashMap<>();
    Config blocConfig = c.getConfig("concentration.blocs");
    for (String name : blocConfig.root().keySet()) {
      require(IDENTIFIER.matcher(name).matches(), "concentration.blocs." + name,
          "bloc names must be letters, digits and underscores");
      blocs.put(name, BlocDefinition.read(blocConfig, name));
    }
    for (BlocDefinition b : blocs.values()) {
      require(b.europeanUnion() == null || !blocs.containsKey(b.europeanUnion())
          || !blocs.get(b.europeanUnion()).fromPartnerships(), b.key() + ".european_union",
          "names '" + b.europeanUnion() + "', a bloc of partnerships; it must list ISO3 codes");
    }
    Map<String, List<String>> fixedBlocs = fixedMembers(blocs);
    String bloc = c.getString("concentration.bloc");
    require(blocs.containsKey(bloc), "concentration.bloc",
        "names no bloc of concentration.blocs (" + String.join(", ", blocs.keySet()) + ")");

    List<String> resourceGroups = List.copyOf(c.getStringList("concentration.resource_groups"));
    for (String group : resourceGroups) {
      require(blocs.containsKey(group), "concentration.resource_groups", "names '" + group
          + "', not a bloc of concentration.blocs (" + String.join(", ", blocs.keySet()) + ")");
    }
    require(new java.util.HashSet<>(resourceGroups).size() == resourceGroups.size(),
        "concentration.resource_groups", "names a group twice");

    String format = c.getString("ingest.format");
    List<String> formats = List.of("auto", "comtrade_plus", "comtrade_json", "comtrade_legacy",
        "baci");
    require(formats.contains(format), "ingest.format",
        "must be one of " + String.join(", ", formats) + ", got '" + format + "'");
    double ratio = c.getDouble("ingest.max_reject_ratio");
    require(ratio >= 0 && ratio <= 1, "ingest.max_reject_ratio", "must be between 0 and 1");
    double moderate = c.getDouble("concentration.thresholds.moderate");
    double high = c.getDouble("concentration.thresholds.high");
    require(moderate > 0 && moderate <= high && high <= 10000, "concentration.thresholds",
        "need 0 < moderate <= high <= 10000, got " + moderate + " and " + high);
    int partitions = c.getInt("spark.shuffle_partitions");
    require(partitions > 0, "spark.shuffle_partitions", "must be positive");
    double tolerance = c.getDouble("refine.world_total_tolerance");
    require(tolerance >= 0 && tolerance < 1, "refine.world_total_tolerance",
        "must be at least 0 and below 1");
    List<String> bases = List.copyOf(c.getStringList("concentration.supply_bases"));
    for (String basis : bases) {
      require(SUPPLY_BASES.contains(basis), "concentration.supply_bases", "'" + basis
          + "' is not one of " + String.join(", ", SUPPLY_BASES));
    }
    require(!bases.isEmpty(), "concentration.supply_bases", "must name at least one basis");
    Double concernThreshold = c.getIsNull("concentration.concern.wgi_threshold") ? null
        : c.getDouble("concentration.concern.wgi_threshold");
    require(concernThreshold == null || Math.abs(concernThreshold) <= 2.5,
        "concentration.concern.wgi_threshold",
        "must be a WGI estimate between -2.5 and 2.5, or null");
    int maxRaw = c.getInt("ingest.max_raw_chars");
    Report report = new Report(c.getString("report.out"),
        iso3List(c, "report.importers", "report.importers"), c.getInt("report.max_minerals"),
        c.getInt("report.top_suppliers"), c.getInt("report.max_table_rows"));
    require(report.maxMinerals() > 0, "report.max_minerals", "must be positive");
    require(report.topSuppliers() > 0, "report.top_suppliers", "must be positive");
    require(report.maxTableRows() > 0, "report.max_table_rows", "must be positive");
    require(maxRaw >= 80, "ingest.max_raw_chars", "must be at least 80");
    IngestLimits limits = new IngestLimits(maxRaw, c.getDouble("ingest.max_value_usd"),
        c.getDouble("ingest.max_net_kg"), c.getDouble("ingest.max_qty"),
        c.getInt("ingest.max_line_bytes"),
        c.getDouble("ingest.max_gzip_ratio"));
    require(limits.maxLineBytes() >= 1024, "ingest.max_line_bytes", "must be at least 1024");
    require(limits.maxGzipRatio() >= 10, "ingest.max_gzip_ratio", "must be at least 10");
    require(limits.maxValueUsd() > 0, "ingest.max_value_usd", "must be positive");
    require(limits.maxNetKg() > 0, "ingest.max_net_kg", "must be positive");
    require(limits.maxQty() > 0, "ingest.max_qty", "must be positive");
    List<String> chinaLinked = iso3List(c, "concentration.china_linked",
        "concentration.china_linked");
    List<String> concern = iso3List(c, "concentration.concern.countries",
        "concentration.concern.countries");
    Map<String, List<String>> groups = new LinkedHashMap<>(fixedBlocs);
    groups.put("china_linked", chinaLinked);
    groups.put("concern", concern);
    ScenarioSettings scenarios = ScenarioSettings.from(c, groups, blocs.keySet(),
        datedBlocNames(blocs));
    DeltaSettings delta = new DeltaSettings(
        positive(c, "tables.log_retention_days"),
        positive(c, "tables.deleted_file_retention_hours"),
        c.getInt("tables.commit_retries"),
        c.getInt("maintain.vacuum_retention_hours"));
    require(delta.vacuumRetentionHours() >= 0, "maintain.vacuum_retention_hours",
        "must not be negative");
    require(delta.commitRetries() >= 0 && delta.commitRetries() <= 20, "tables.commit_retries",
        "must be between 0 and 20");
    WriterLockSettings writerLock = new WriterLockSettings(c.getInt("writer_lock.wait_seconds"),
        positive(c, "writer_lock.stale_seconds"));
    require(writerLock.waitSeconds() >= 0, "writer_lock.wait_seconds", "must not be negative");

    return new CritminConfig(
        c.getString("warehouse"),
        prefix,
        List.copyOf(c.getStringList("input")),
        referenceDir,
        c.getString("spark.master"),
        partitions,
        c.getBoolean("spark.console_progress"),
        Map.copyOf(sparkSettings),
        format,
        ratio,
        limits,
        flowList(c, "refine.import_flows"),
        flowList(c, "refine.export_flows"),
        tolerance,
        chinaLinked,
        Map.copyOf(blocs),
        bloc,
        concern,
        concernThreshold,
        bases,
        moderate,
        high,
        SupplyRiskSettings.from(c, fixedBlocs, datedBlocNames(blocs), ISO3),
        resourceGroups,
        scenarios,
        ShocksConfig.from(c),
        report,
        delta,
        writerLock,
        digest);
  }

  /** The members of each bloc that lists them (not the blocs of partnerships), by name. */
  public Map<String, List<String>> fixedBlocs() {
    return fixedMembers(blocs);
  }

  private static Map<String, List<String>> fixedMembers(Map<String, BlocDefinition> blocs) {
    Map<String, List<String>> fixed = new LinkedHashMap<>();
    blocs.values().stream().filter(b -> !b.fromPartnerships())
        .forEach(b -> fixed.put(b.name(), b.members()));
    return fixed;
  }

  private static java.util.Set<String> datedBlocNames(Map<String, BlocDefinition> blocs) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    blocs.values().stream().filter(BlocDefinition::fromPartnerships)
        .forEach(b -> names.add(b.name()));
    return names;
  }

  /** A copy with other input paths (the command line's {@code --input}). */
  public CritminConfig withInputs(List<String> newInputs) {
    return new CritminConfig(warehouse, databasePrefix, List.copyOf(newInputs), referenceDir,
        sparkMaster, shufflePartitions, consoleProgress, sparkSettings, ingestFormat, maxRejectRatio,
        ingestLimits, importFlows, exportFlows, worldTotalTolerance, chinaLinked, blocs, bloc, concern,
        concernWgiThreshold, supplyBases, moderateThreshold, highThreshold, supplyRisk,
        resourceGroups, scenarios, shocks, report, delta, writerLock, digest);
  }

  private static int positive(Config c, String key) {
    int value = c.getInt(key);
    require(value > 0, key, "must be positive, got " + value);
    return value;
  }

  private static List<String> iso3List(Config c, String path, String key) {
    List<String> values = c.getStringList(path);
    for (String v : values) {
      require(ISO3.matcher(v).matches(), key, "'" + v + "' is not an ISO3 code");
    }
    return List.copyOf(values);
  }

  private static List<String> flowList(Config c, String key) {
    List<String> values = c.getStringList(key);
    for (String v : values) {
      require(List.of("M", "X", "RM", "RX", "DX", "FM").contains(v), key,
          "'" + v + "' is not a Comtrade flow code (M, X, RM, RX, DX, FM)");
    }
    return List.copyOf(values);
  }

  static void require(boolean condition, String key, String problem) {
    if (!condition) {
      throw new UserInputException("configuration key '" + key + "' " + problem);
    }
  }
}
