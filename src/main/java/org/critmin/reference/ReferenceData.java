package org.critmin.reference;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.BlocDefinition;
import org.critmin.config.Location;
import org.critmin.config.UserInputException;

/**
 * The curated reference tables of {@code conf/reference/}: the country table that resolves every
 * Comtrade reporter and partner code, and the HS6 to mineral and stage map. They are small, so they
 * are held on the driver as well as broadcast into joins.
 */
public final class ReferenceData {
  /**
   * The stage of HS6 codes mapped only because a shock event names them (gallium nitride under
   * hydrides and nitrides, heavy rare-earth equipment under semiconductor machine parts): their
   * trade is mostly other goods, so they feed the shock models and stay out of concentration,
   * supply risk, scenarios and the report.
   */
  public static final String BASKET_STAGE = "basket";


  /** {@code countries.csv}: one row per Comtrade numeric code. */
  public static final StructType COUNTRY_SCHEMA = new StructType()
      .add("comtrade_code", DataTypes.IntegerType, false, "UN Comtrade numeric reporter/partner code")
      .add("iso3", DataTypes.StringType, false, "ISO 3166 alpha-3 code, or the Comtrade code for areas")
      .add("name", DataTypes.StringType, false, "Country or area name")
      .add("kind", DataTypes.StringType, false, "country, world, unallocated or group")
      .add("china_linked", DataTypes.BooleanType, false, "China, Hong Kong or Macao")
      .add("source", DataTypes.StringType, true, "Where the row comes from");

  /** {@code hs6_minerals.csv}: one row per HS6 code, HS edition and mineral. */
  public static final StructType HS_MAP_SCHEMA = new StructType()
      .add("hs6", DataTypes.StringType, false, "HS 6-digit code")
      .add("hs_edition", DataTypes.StringType, false, "HS2017 or HS2022")
      .add("mineral", DataTypes.StringType, false, "Mineral id")
      .add("stage", DataTypes.StringType, false, "Supply-chain stage")
      .add("lumped", DataTypes.BooleanType, false, "The code also holds other materials")
      .add("lumped_minerals", DataTypes.StringType, true, "Critical minerals sharing the code")
      .add("mineral_label", DataTypes.StringType, true, "Label as in the source")
      .add("description", DataTypes.StringType, true, "HS description")
      .add("source", DataTypes.StringType, true, "Where the row comes from")
      .add("confidence", DataTypes.StringType, true, "verified or standard");

  static final List<String> COUNTRY_KINDS = List.of("country", "world", "unallocated", "group");

  private final Dataset<Row> countries;
  private final Dataset<Row> hsMap;
  private final Set<Integer> countryCodes;
  private final Set<Integer> mappedHs6;
  private final Set<String> minerals;
  private final Set<String> stages;
  private final SparkSession spark;
  private final Location dir;
  /** partnerships.csv, read on first use: only the gold stages need it. */
  private List<Row> partnerships;

  private ReferenceData(Dataset<Row> countries, Dataset<Row> hsMap, Set<Integer> countryCodes,
      Set<Integer> mappedHs6, Set<String> minerals, Set<String> stages, SparkSession spark,
      Location dir) {
    this.spark = spark;
    this.dir = dir;
    this.countries = countries;
    this.hsMap = hsMap;
    this.countryCodes = countryCodes;
    this.mappedHs6 = mappedHs6;
    this.minerals = minerals;
    this.stages = stages;
  }

  /**
   * Mineral and stage ids: they become table values, file names of reports and labels analysts
   * filter on, so they are plain lower-case identifiers.
   */
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");

  /** Reads and checks both tables from {@code dir}; a malformed file stops the run (exit 2). */
  public static ReferenceData load(SparkSession spark, Location dir) {
    String countriesFile = dir.resolve("countries.csv").toString();
    String hsFile = dir.resolve("hs6_minerals.csv").toString();
    List<Row> countryRows = ReferenceCsv.read(spark.sparkContext().hadoopConfiguration(), countriesFile, COUNTRY_SCHEMA);
    List<Row> hsRows = ReferenceCsv.read(spark.sparkContext().hadoopConfiguration(), hsFile, HS_MAP_SCHEMA);
    Set<Integer> codes = new java.util.HashSet<>();
    for (Row r : countryRows) {
      int code = r.getInt(0);
      if (!codes.add(code)) {
        throw new UserInputException(countriesFile + ": comtrade_code " + code + " appears twice");
      }
      if (!COUNTRY_KINDS.contains(r.getString(3))) {
        throw new UserInputException(countriesFile + ": comtrade_code " + code + " has kind '"
            + r.getString(3) + "', expected one of " + COUNTRY_KINDS);
      }
    }
    Set<String> keys = new java.util.HashSet<>();
    for (Row r : hsRows) {
      String hs6 = r.getString(0);
      if (!hs6.matches("\\d{6}")) {
        throw new UserInputException(hsFile + ": hs6 '" + hs6 + "' is not a 6-digit code");
      }
      for (int column : new int[] {2, 3}) {
        String id = r.getString(column);
        if (!ID.matcher(id).matches()) {
          throw new UserInputException(hsFile + ": hs6 " + hs6 + ": "
              + HS_MAP_SCHEMA.fields()[column].name() + " '" + id + "' is not an id (lower-case "
              + "letters, digits and underscores, starting with a letter)");
        }
      }
      if (!keys.add(hs6 + "|" + r.getString(1) + "|" + r.getString(2))) {
        throw new UserInputException(hsFile + ": hs6 " + hs6 + ", edition " + r.getString(1)
            + ", mineral " + r.getString(2) + " appears twice");
      }
    }
    Set<Integer> hs6 = hsRows.stream().map(r -> Integer.parseInt(r.getString(0)))
        .collect(Collectors.toUnmodifiableSet());
    Set<String> minerals = new java.util.TreeSet<>();
    Set<String> stages = new java.util.TreeSet<>();
    for (Row r : hsRows) {
      minerals.add(r.getString(2));
      stages.add(r.getString(3));
    }
    return new ReferenceData(spark.createDataFrame(countryRows, COUNTRY_SCHEMA),
        spark.createDataFrame(hsRows, HS_MAP_SCHEMA), Set.copyOf(codes), hs6,
        java.util.Collections.unmodifiableSet(minerals),
        java.util.Collections.unmodifiableSet(stages), spark, dir);
  }

  /** The agreements of {@code partnerships.csv} ({@link Partnerships}), checked once per run. */
  public synchronized Dataset<Row> partnerships() {
    return spark.createDataFrame(partnershipRows(), Partnerships.SCHEMA);
  }

  /**
   * The membership of every configured bloc ({@link BlocMembership#resolve}), the blocs of
   * partnerships from this run's {@code partnerships.csv}.
   */
  public Map<String, BlocMembership> blocs(Map<String, BlocDefinition> definitions) {
    boolean needsPartnerships = definitions.values().stream()
        .anyMatch(BlocDefinition::fromPartnerships);
    return BlocMembership.resolve(definitions, needsPartnerships ? partnershipRows() : List.of());
  }

  private synchronized List<Row> partnershipRows() {
    if (partnerships == null) {
      partnerships = Partnerships.read(spark, dir, minerals);
    }
    return partnerships;
  }

  /** Countries and areas by Comtrade code, with ISO3, kind and the China-linked flag. */
  public Dataset<Row> countries() {
    return countries;
  }

  /** {@code flows} (trade_flows or bilateral_flows rows) without the restricted-basket codes. */
  public static Dataset<Row> mineralTrade(Dataset<Row> flows) {
    return flows.filter(org.apache.spark.sql.functions.col("stage").notEqual(BASKET_STAGE));
  }

  /** HS6 code, edition, mineral, stage and lumped flag. */
  public Dataset<Row> hsMap() {
    return hsMap;
  }

  /** Every Comtrade code the country table resolves. */
  public Set<Integer> countryCodes() {
    return countryCodes;
  }

  /** The minerals of the HS map, sorted. */
  public Set<String> minerals() {
    return minerals;
  }

  /** The stages of the HS map, sorted. */
  public Set<String> stages() {
    return stages;
  }

  /** Every HS6 code (as a number) that the map assigns to a mineral, in any edition. */
  public Set<Integer> mappedHs6() {
    return mappedHs6;
  }
}
