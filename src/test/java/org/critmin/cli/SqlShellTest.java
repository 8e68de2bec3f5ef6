package org.critmin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.critmin.CommandResult;
import org.critmin.SampleWarehouse;
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.Test;

/** {@code jobs/critmin sql} with neither -e nor -f: statements piped in, one session for all. */
class SqlShellTest {

  @Test
  void aStatementEndsAtASemicolonOutsideQuotesAndComments() {
    assertTrue(SqlScript.complete("SELECT 1;"));
    assertTrue(SqlScript.complete("SELECT 1; -- done\n"));
    assertFalse(SqlScript.complete("SELECT 1"));
    assertFalse(SqlScript.complete("SELECT ';'"));
    assertFalse(SqlScript.complete("SELECT 1 -- ;"));
    assertFalse(SqlScript.complete("SELECT 'it''s;"));
    assertTrue(SqlScript.complete("SELECT `a;b`\nFROM t;"));
  }

  @Test
  void pipedStatementsRunInOneSessionAndAnErrorDoesNotStopTheRest() {
    String root = SampleWarehouse.root().toString();
    long expected = SparkTestSession.get().read().format("delta")
        .load(root + "/gold/supply_concentration").count();
    String input = """
        SELECT 6 * 7 AS answer;
        SELECT count(*) AS n
          FROM sample_gold.supply_concentration;  -- a statement over two lines
        SELECT no_such_column FROM sample_gold.supply_concentration;
        SELECT 'still; running' AS status;
        quit;
        SELECT 'after quit' AS never;
        """;
    InputStream stdin = System.in;
    CommandResult result;
    try {
      System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
      result = CommandResult.run("sql", "--warehouse", root, "--set",
          "database_prefix=" + SampleWarehouse.PREFIX, "--format", "csv");
    } finally {
      System.setIn(stdin);
    }
    assertEquals(2, result.exitCode(), "a failed statement makes a script exit 2: " + result.err());
    assertEquals("answer\n42\nn\n" + expected + "\nstatus\nstill; running\n", result.out());
    assertTrue(result.err().contains("error: SQL error: [UNRESOLVED_COLUMN"), result.err());
    assertTrue(result.err().contains("critmin: 1 statement failed"), result.err());
    assertFalse(result.out().contains("after quit"));
  }
}
