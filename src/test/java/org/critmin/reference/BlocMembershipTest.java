package org.critmin.reference;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.critmin.config.BlocDefinition;
import org.critmin.config.Location;
import org.critmin.config.UserInputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocs resolved from a small partnerships.csv and asked who is a member in a period:
 * <pre>
 *   Alpha  USA  2020-01-01 ..             all minerals
 *   Alpha  JPN  2021-07-15 .. 2023-03-01  nickel
 *   Alpha  EUR  2022-06    ..             all (eu27 here: FRA, DEU)
 *   Beta   AUS  2022-02-01 ..             cobalt
 *   Gamma  (no partner named)
 * </pre>
 * A member counts in a period when its term is in force on the period's last day.
 */
class BlocMembershipTest {
  private static final String HEADER = "framework,kind,partner_iso3,signed,ended,minerals,"
      + "instruments,source,confidence,note";
  private static final StructType PERIODS = new StructType()
      .add("iso3", DataTypes.StringType)
      .add("year", DataTypes.IntegerType)
      .add("month", DataTypes.IntegerType)
      .add("mineral", DataTypes.StringType);

  @TempDir
  Path dir;
  private List<Row> partnerships;

  @BeforeEach
  void writeTable() throws Exception {
    Files.writeString(dir.resolve("partnerships.csv"), String.join("\n", HEADER,
        "Alpha,multilateral_partnership,USA,2020-01-01,,all,finance,https://a.example,verified,",
        "Alpha,multilateral_partnership,JPN,2021-07-15,2023-03-01,nickel,finance,"
            + "https://a.example,verified,",
        "Alpha,multilateral_partnership,EUR,2022-06,,all,finance,https://a.example,verified,",
        "Beta,bilateral_mou,AUS,2022-02-01,,cobalt,offtake,https://b.example,reported,",
        "Gamma,framework,,2022-01-01,,all,cooperation,https://c.example,unnamed,members unnamed")
        + "\n");
    partnerships = Partnerships.read(SparkTestSession.get(), Location.of(dir),
        Set.of("nickel", "cobalt"));
  }

  private Map<String, BlocMembership> resolve(BlocDefinition... blocs) {
    Map<String, BlocDefinition> definitions = new LinkedHashMap<>();
    definitions.put("eu27", BlocDefinition.fixed("eu27", List.of("FRA", "DEU")));
    for (BlocDefinition b : blocs) {
      definitions.put(b.name(), b);
    }
    return BlocMembership.resolve(definitions, partnerships);
  }

  private static BlocDefinition framework(String name, List<String> frameworks, String asOf,
      boolean covered) {
    return new BlocDefinition(name, List.of(), frameworks, asOf, covered, "eu27",
        "concentration.blocs." + name);
  }

  /** Whether each (iso3, year, month, mineral) is in the bloc; month null for a whole year. */
  private static List<Boolean> members(BlocMembership bloc, Object[]... periods) {
    List<Row> rows = new ArrayList<>();
    for (Object[] p : periods) {
      rows.add(RowFactory.create(p));
    }
    return SparkTestSession.get().createDataFrame(rows, PERIODS)
        .select(bloc.contains(col("iso3"), BlocMembership.periodEnd(col("year"), col("month")),
            col("mineral")))
        .collectAsList().stream().map(r -> r.getBoolean(0)).toList();
  }

  private static Object[] at(String iso3, int year, Integer month) {
    return new Object[] {iso3, year, month, "nickel"};
  }

  @Test
  void membersJoinAndLeaveOnTheirDates() {
    BlocMembership alpha = resolve(framework("alpha", List.of("Alpha"), null, false)).get("alpha");
    assertEquals(Set.of("USA", "JPN", "FRA", "DEU"), alpha.everMembers());
    // JPN joined 15 July 2021 and left 1 March 2023.
    assertEquals(List.of(false, true, false, true, true, false, false), members(alpha,
        at("JPN", 2020, null), at("JPN", 2021, null), at("JPN", 2021, 6), at("JPN", 2021, 7),
        at("JPN", 2023, 2), at("JPN", 2023, 3), at("JPN", 2023, null)));
    // The EU joined in June 2022: its members count from then; USA from 2020; CHN never.
    assertEquals(List.of(false, true, false, true, true, false, false), members(alpha,
        at("FRA", 2021, null), at("DEU", 2022, null), at("DEU", 2022, 5), at("FRA", 2022, 6),
        at("USA", 2020, 1), at("USA", 2019, null), at("CHN", 2024, null)));
  }

  @Test
  void asOfFreezesTheMembershipForEveryPeriod() {
    Map<String, BlocMembership> blocs = resolve(
        framework("latest", List.of("Alpha"), BlocDefinition.LATEST, false),
        framework("early", List.of("Alpha"), "2022-01-01", false));
    // Latest: JPN has left; USA and the EU's members count even before they joined.
    assertEquals(List.of(false, true, true), members(blocs.get("latest"),
        at("JPN", 2022, null), at("USA", 2015, null), at("FRA", 2019, null)));
    // On 1 January 2022: USA and JPN were members, the EU not yet.
    assertEquals(List.of(true, true, false), members(blocs.get("early"),
        at("USA", 2030, null), at("JPN", 2025, null), at("DEU", 2023, null)));
  }

  @Test
  void mineralsCoveredLimitsAPartnerToItsAgreement() {
    BlocMembership deals = resolve(framework("deals", List.of(BlocDefinition.EVERY_FRAMEWORK),
        null, true)).get("deals");
    assertEquals(List.of(true, false, true, false, true), members(deals,
        new Object[] {"AUS", 2022, null, "cobalt"}, new Object[] {"AUS", 2022, null, "nickel"},
        new Object[] {"JPN", 2022, null, "nickel"}, new Object[] {"JPN", 2022, null, "cobalt"},
        new Object[] {"USA", 2022, null, "cobalt"}));
    // Gamma names no partner: it adds nobody.
    assertTrue(resolve(framework("gamma", List.of("Gamma"), null, false)).get("gamma")
        .everMembers().isEmpty());
  }

  @Test
  void anUnknownFrameworkOrAMissingEuropeanUnionNamesTheKey() {
    String unknown = assertThrows(UserInputException.class,
        () -> resolve(framework("x", List.of("Alpah"), null, false))).getMessage();
    assertTrue(unknown.contains("concentration.blocs.x.frameworks': 'Alpah' is not a framework "
        + "of partnerships.csv (Alpha; Beta; Gamma)"), unknown);
    String eu = assertThrows(UserInputException.class, () -> resolve(
        new BlocDefinition("y", List.of(), List.of("Alpha"), null, false, "europe",
            "concentration.blocs.y"))).getMessage();
    assertTrue(eu.contains("concentration.blocs.y") && eu.contains("european_union = 'europe'"),
        eu);
  }

  @Test
  void theShippedBlocsResolve() {
    Location reference = Location.of(Path.of(org.critmin.CommandResult.home(), "conf/reference"));
    ReferenceData data = ReferenceData.load(SparkTestSession.get(), reference);
    Map<String, BlocMembership> blocs = data.blocs(org.critmin.config.ConfigLoader.load(
        Path.of(org.critmin.CommandResult.home(), "conf/local.conf"), List.of()).blocs());
    // The MSP's founders of June 2022 and India, which joined in June 2023.
    assertEquals(List.of(false, true, false, true), members(blocs.get("msp"),
        at("AUS", 2021, null), at("AUS", 2022, null), at("IND", 2022, null),
        at("IND", 2023, null)));
    assertTrue(blocs.get("forge").everMembers().contains("USA"));
  }
}
