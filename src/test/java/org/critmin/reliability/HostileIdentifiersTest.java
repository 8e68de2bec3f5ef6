package org.critmin.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.types.StructType;
import org.critmin.CommandResult;
import org.critmin.SparkTestSession;
import org.critmin.delta.TableSpec;
import org.critmin.delta.Tables;
import org.critmin.delta.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identifiers that come from configuration or reference files (the database prefix, bloc names,
 * mineral and stage ids) never reach SQL unchecked: an injection attempt stops the run with exit
 * code 2 and a message naming the key or file, before anything is written. Table locations stay
 * under the warehouse root.
 */
class HostileIdentifiersTest {
  private static final String INJECTION = "x`; DROP TABLE critmin_gold.pipeline_runs; --";

  @TempDir
  static Path dir;

  private static CommandResult ingest(String... settings) {
    return ingestInto("warehouse", settings);
  }

  private static CommandResult ingestInto(String warehouse, String... settings) {
    List<String> args = new ArrayList<>(List.of("ingest", "--warehouse",
        dir.resolve(warehouse).toString(), "--input", ReferenceRun.INPUT,
        "--set", "spark.console_progress=false"));
    for (String setting : settings) {
      args.add("--set");
      args.add(setting);
    }
    return CommandResult.run(args.toArray(String[]::new));
  }

  private static void assertRefused(CommandResult result, String key) {
    assertEquals(2, result.exitCode(), result.err());
    assertTrue(result.err().contains(key), "message names " + key + ": " + result.err());
    assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
    assertFalse(Files.exists(dir.resolve("warehouse")), "nothing was written");
  }

  @Test
  void aHostileDatabasePrefixIsRefusedNamingTheKey() {
    assertRefused(ingest("database_prefix=\"" + INJECTION.replace("`", "") + "\""),
        "database_prefix");
    assertRefused(ingest("database_prefix=\"a`b\""), "database_prefix");
    assertRefused(ingest("database_prefix=\"../../outside\""), "database_prefix");
  }

  @Test
  void hostileBlocNamesAreRefusedNamingTheKey() {
    assertRefused(ingest("concentration.blocs.\"" + INJECTION + "\"=[USA]"),
        "concentration.blocs.");
    assertRefused(ingest("concentration.bloc=\"g7' OR '1'='1\""), "concentration.bloc");
    assertRefused(ingest("concentration.china_linked=[\"CHN'); DROP TABLE t; --\"]"),
        "concentration.china_linked");
  }

  @Test
  void aHostileMineralIdInTheHsMapIsRefusedNamingTheFile() throws IOException {
    SparkTestSession.get();
    Path reference = Files.createDirectories(dir.resolve("reference"));
    Path conf = Path.of(CommandResult.home(), "conf", "reference");
    Files.copy(conf.resolve("countries.csv"), reference.resolve("countries.csv"));
    List<String> map = Files.readAllLines(conf.resolve("hs6_minerals.csv"),
        StandardCharsets.UTF_8);
    List<String> hostile = new ArrayList<>(map);
    hostile.set(1, map.get(1).replaceFirst(",graphite,", ",\"graphite'; DROP TABLE x; --\","));
    Files.write(reference.resolve("hs6_minerals.csv"), hostile, StandardCharsets.UTF_8);
    CommandResult result = ingestInto("warehouse-map", "reference_dir=\"" + reference + "\"",
        "database_prefix=hostile_map");
    assertEquals(2, result.exitCode(), result.err());
    assertTrue(result.err().contains("hs6_minerals.csv") && result.err().contains("mineral"),
        result.err());
    Path bronze = dir.resolve("warehouse-map").resolve("bronze");
    assertFalse(Files.exists(bronze.resolve("trade_records")), "no table was written");
  }

  @Test
  void tableLocationsStayUnderTheWarehouseRoot() {
    Warehouse warehouse = new Warehouse(SparkTestSession.get(), dir.resolve("w").toString(),
        "critmin");
    for (TableSpec spec : Tables.ALL) {
      String location = warehouse.location(spec);
      assertTrue(location.startsWith(warehouse.root() + "/") && !location.contains(".."),
          location);
    }
    StructType schema = new StructType().add("a", "string");
    assertThrows(IllegalArgumentException.class,
        () -> new TableSpec("gold", "../../etc", "escape", schema, List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> new TableSpec("../..", "t", "escape", schema, List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> new Warehouse(SparkTestSession.get(), dir.toString(), "a/../../b"));
  }

  /**
   * Guards the rule itself: SQL text is built only where identifiers are quoted and values are
   * literals (Catalog, MaintainJob) or where the user's own statement runs (SqlCommand).
   */
  @Test
  void sqlIsBuiltFromStringsOnlyWhereIdentifiersAreQuoted() throws IOException {
    List<String> allowed = List.of("delta/Catalog.java", "maintain/MaintainJob.java",
        "cli/SqlCommand.java");
    Pattern sqlCall = Pattern.compile("\\.(sql|expr|selectExpr|where|filter)\\(\\s*\"");
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of(CommandResult.home(), "src", "main", "java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String source = Files.readString(file);
        Matcher m = Pattern.compile("\\.sql\\(").matcher(source);
        boolean callsSql = m.find();
        boolean stringExpr = sqlCall.matcher(source).find();
        String name = file.toString().replace('\\', '/');
        if ((callsSql || stringExpr) && allowed.stream().noneMatch(name::endsWith)) {
          offenders.add(name);
        }
      }
    }
    assertEquals(List.of(), offenders, "files building SQL from strings");
  }
}
