package org.critmin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.critmin.CommandResult;
import org.critmin.SampleWarehouse;
import org.critmin.SparkTestSession;
import org.critmin.config.CritminConfig;
import org.critmin.delta.WriterLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobs/critmin sql} is read-only unless an administrator says --allow-writes. */
class SqlSafetyTest {
  @TempDir
  Path dir;

  private static CommandResult sql(String statement, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("sql", "--warehouse",
        SampleWarehouse.root().toString(), "--set",
        "database_prefix=" + SampleWarehouse.PREFIX, "--format", "csv", "-e", statement));
    args.addAll(List.of(more));
    return CommandResult.run(args.toArray(String[]::new));
  }

  private static long supplyRows() {
    return SparkTestSession.get().read().format("delta")
        .load(SampleWarehouse.root() + "/gold/supply_concentration").count();
  }

  @Test
  void statementsThatChangeDataOrItsHistoryAreRefusedBeforeTheyRun() {
    long before = supplyRows();
    for (String[] refused : new String[][] {
        {"DELETE FROM sample_gold.supply_concentration", "DeleteFromTable"},
        {"UPDATE sample_gold.supply_concentration SET hhi = 0", "UpdateTable"},
        {"SET spark.databricks.delta.retentionDurationCheck.enabled=false",
            "SET spark.databricks.delta.retentionDurationCheck.enabled"},
        {"VACUUM sample_gold.supply_concentration RETAIN 0 HOURS", "Vacuum"},
        {"INSERT OVERWRITE DIRECTORY '" + System.getProperty("java.io.tmpdir")
            + "/critmin-out' USING csv SELECT 1", "InsertIntoDir"},
        {"DROP TABLE sample_gold.supply_concentration", "DropTable"},
        {"EXPLAIN DELETE FROM sample_gold.supply_concentration", "DeleteFromTable"}}) {
      CommandResult result = sql(refused[0]);
      assertEquals(2, result.exitCode(), refused[0] + ": " + result.err());
      assertTrue(result.err().contains("read-only: "), result.err());
      assertTrue(result.err().contains(refused[1]), refused[0] + ": " + result.err());
      assertTrue(result.err().contains("--allow-writes"), result.err());
    }
    assertEquals(before, supplyRows(), "nothing was deleted");
    assertTrue(SparkTestSession.get().conf()
        .get("spark.databricks.delta.retentionDurationCheck.enabled", "true").equals("true"));
  }

  @Test
  void filesOutsideTheWarehouseAreNotRead() {
    CommandResult result = sql("SELECT * FROM text.`/etc/hostname`");
    assertEquals(2, result.exitCode(), result.err());
    assertTrue(result.err().contains("read-only: sql reads the tables of the warehouse"),
        result.err());
    assertTrue(result.err().contains("/etc/hostname"), result.err());
  }

  @Test
  void queriesDescriptionsAndTimeTravelRun() {
    String table = SampleWarehouse.root() + "/gold/supply_concentration";
    CommandResult result = sql("SELECT count(*) AS n FROM delta.`" + table + "` VERSION AS OF 0; "
        + "DESCRIBE HISTORY sample_gold.supply_concentration; SHOW TABLES IN sample_gold; "
        + "EXPLAIN SELECT hhi FROM sample_gold.supply_concentration; "
        + "SET spark.sql.shuffle.partitions");
    assertEquals(0, result.exitCode(), result.err());
  }

  @Test
  void textThatASpreadsheetWouldRunIsNeutralisedNumbersAreNot() {
    CommandResult result = sql("SELECT '=HYPERLINK(\"x\")' AS f, '@SUM(1)' AS g, -3 AS n, "
        + "'plain' AS p");
    assertEquals(0, result.exitCode(), result.err());
    assertEquals("f,g,n,p\n\"'=HYPERLINK(\"\"x\"\")\",'@SUM(1),-3,plain\n", result.out());
  }

  @Test
  void anAdministratorsWritesRunAndAreRecorded() {
    Path warehouse = dir.resolve("admin");
    CommandResult result = CommandResult.run("sql", "--warehouse", warehouse.toString(),
        "--set", "database_prefix=admin", "--allow-writes", "-e",
        "CREATE DATABASE IF NOT EXISTS admin_scratch");
    assertEquals(0, result.exitCode(), result.err());
    Row run = SparkTestSession.get().read().format("delta")
        .load(warehouse + "/gold/pipeline_runs").first();
    assertEquals("sql --allow-writes", run.getAs("command"));
    assertEquals("-e CREATE DATABASE IF NOT EXISTS admin_scratch", run.getAs("message"));
    assertFalse(run.<String>getAs("run_id").isEmpty());
  }

  @Test
  void anAdministratorsWritesWaitForTheWriterLockQueriesDoNot() {
    Path warehouse = dir.resolve("locked");
    WriterLock.Holder pipeline = WriterLock.Holder.of("run-pipeline", "pipeline");
    try (WriterLock held = WriterLock.acquire("file:" + warehouse, new Configuration(), pipeline,
        new CritminConfig.WriterLockSettings(0, 300))) {
      CommandResult query = CommandResult.run("sql", "--warehouse", warehouse.toString(),
          "--set", "database_prefix=locked", "--format", "csv", "-e", "SELECT 1 AS one");
      assertEquals(0, query.exitCode(), query.err());
      CommandResult write = CommandResult.run("sql", "--warehouse", warehouse.toString(),
          "--set", "database_prefix=locked", "--set", "writer_lock.wait_seconds=1",
          "--allow-writes", "-e", "CREATE DATABASE IF NOT EXISTS locked_scratch");
      assertEquals(2, write.exitCode(), write.err());
      assertTrue(write.err().contains("is being written by " + pipeline + "; waited 1 s"),
          write.err());
      assertFalse(java.nio.file.Files.exists(warehouse.resolve("gold")),
          "refused before anything ran or was recorded");
    }
  }
}
