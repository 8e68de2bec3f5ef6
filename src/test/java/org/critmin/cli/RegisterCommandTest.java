package org.critmin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.critmin.CommandResult;
import org.critmin.SampleWarehouse;
import org.critmin.SparkTestSession;
import org.critmin.delta.Tables;
import org.junit.jupiter.api.Test;

/** {@code jobs/critmin register}: the tables by name, and register.sql for other sessions. */
class RegisterCommandTest {

  @Test
  void registerSqlNamesEveryTableAndWorksInAnotherSession() throws Exception {
    Path root = SampleWarehouse.root();
    // The pipeline already wrote the script; register writes it again under another prefix.
    assertTrue(Files.exists(root.resolve("register.sql")), "the pipeline wrote register.sql");
    CommandResult result = CommandResult.run("register", "--warehouse", root.toString(),
        "--set", "database_prefix=regtest");
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains(Tables.ALL.size() + " tables in "), result.out());

    String script = Files.readString(root.resolve("register.sql"));
    List<String> creates = script.lines().filter(l -> l.startsWith("CREATE TABLE")).toList();
    assertEquals(Tables.ALL.size(), creates.size(), script);
    assertTrue(script.contains("CREATE TABLE IF NOT EXISTS `regtest_gold`.`supply_concentration` "
        + "USING DELTA LOCATION '" + root.toUri().toString().replaceAll("/+$", "")
            .replace("file:///", "file:/") + "/gold/supply_concentration';"), script);

    // Run in a session that has not seen these names: each table answers by name as by path.
    SparkSession other = SparkTestSession.get().newSession();
    for (String statement : SqlScript.statements(script)) {
      other.sql(statement);
    }
    long byName = other.sql("SELECT count(*) FROM regtest_gold.supply_concentration").first()
        .getLong(0);
    long byPath = other.read().format("delta").load(root + "/gold/supply_concentration").count();
    assertEquals(byPath, byName);
    assertTrue(byName > 0);
  }
}
