package org.critmin.delta;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.critmin.CommandResult;
import org.critmin.SparkTestSession;
import org.critmin.TableContents;
import org.critmin.config.CritminConfig.DeltaSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** {@code maintain} on a table rewritten a few times: compaction, properties, VACUUM, history. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("e2e")
class MaintainTest {
  private static final String PREFIX = "mnt";

  @TempDir
  static Path dir;
  private static SparkSession spark;
  private static String location;

  /** Three runs' worth of rejected lines: two files, one of them replaced, in several commits. */
  @BeforeAll
  static void writeTable() {
    spark = SparkTestSession.get();
    Warehouse warehouse = new Warehouse(spark, dir.toString(), PREFIX, DeltaSettings.DEFAULTS);
    for (int run = 1; run <= 3; run++) {
      for (String file : List.of("a.csv", run == 3 ? "a.csv" : "b.csv")) {
        List<Row> rows = new ArrayList<>();
        for (long line = 2; line < 12; line++) {
          rows.add(RowFactory.create(file, line, "bad_number", "run " + run, "2020", "x", "r"));
        }
        warehouse.replace(Tables.REJECTED_RECORDS,
            spark.createDataFrame(rows, Tables.REJECTED_RECORDS.schema()),
            col("source_file").equalTo(file), "r" + run);
      }
    }
    location = warehouse.location(Tables.REJECTED_RECORDS);
  }

  private static CommandResult maintain(String... more) {
    List<String> args = new ArrayList<>(List.of("maintain", "--warehouse", dir.toString(),
        "--set", "database_prefix=" + PREFIX, "--set", "spark.console_progress=false"));
    args.addAll(List.of(more));
    return CommandResult.run(args.toArray(String[]::new));
  }

  private static long version() {
    return DeltaTable.forPath(spark, location).history(1).first().getLong(0);
  }

  private static Dataset<Row> current() {
    return spark.read().format("delta").load(location);
  }

  @Test
  @Order(1)
  void aShortRetentionIsRefusedUnlessForced() {
    long before = version();
    CommandResult refused = maintain("--set", "maintain.vacuum_retention_hours=24");
    assertEquals(2, refused.exitCode(), refused.err());
    assertTrue(refused.err().contains("maintain.vacuum_retention_hours = 24")
        && refused.err().contains("--force"), refused.err());
    assertEquals(before, version(), "nothing was done");
  }

  @Test
  @Order(2)
  void optimizeCompactsSetsConfiguredPropertiesAndKeepsTimeTravel() {
    Dataset<Row> before = current();
    List<Row> expected = before.collectAsList();
    long versionBefore = version();
    long filesBefore = DeltaTable.forPath(spark, location).detail().first().<Long>getAs("numFiles");

    CommandResult result = maintain("--set", "tables.log_retention_days=60");
    assertEquals(0, result.exitCode(), result.err());
    System.out.println("[maintain] summary:\n" + result.out());
    assertTrue(result.out().contains("mnt_bronze.rejected_records"), result.out());

    DeltaTable table = DeltaTable.forPath(spark, location);
    Row detail = table.detail().first();
    Map<String, String> properties = detail.getJavaMap(detail.fieldIndex("properties"));
    assertEquals("interval 60 days", properties.get("delta.logRetentionDuration"));
    assertEquals("interval 168 hours", properties.get("delta.deletedFileRetentionDuration"));
    assertEquals("true", properties.get("delta.enableChangeDataFeed"));
    assertEquals(1L, detail.<Long>getAs("numFiles"), "compacted from " + filesBefore);
    List<String> operations = table.history().select("operation").collectAsList().stream()
        .map(r -> r.getString(0)).toList();
    assertTrue(operations.contains("OPTIMIZE"), operations.toString());
    TableContents.assertSame("after OPTIMIZE", spark.createDataFrame(expected, before.schema()),
        current());
    TableContents.assertSame("time travel", spark.createDataFrame(expected, before.schema()),
        spark.read().format("delta").option("versionAsOf", versionBefore).load(location));
  }

  @Test
  @Order(3)
  void aForcedZeroRetentionKeepsOnlyTheLatestFiles() {
    long rows = current().count();
    CommandResult result = maintain("--set", "maintain.vacuum_retention_hours=0", "--force");
    assertEquals(0, result.exitCode(), result.err());
    String line = result.out().lines().filter(l -> l.startsWith("mnt_bronze.rejected_records"))
        .findFirst().orElseThrow();
    assertTrue(line.trim().endsWith("-> 1"), "one data file left on disk: " + line);
    assertEquals(rows, current().count());
    assertEquals("true", spark.conf().get(
        "spark.databricks.delta.retentionDurationCheck.enabled", "true"), "guard restored");
  }
}
