package org.critmin.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Formula syntax, expansion of i() terms and the messages of bad formulas. */
class FormulaTest {

  @Test
  void parsesFixestSyntax() {
    Formula f = Formula.parse("log(y) ~ x1 + log(x2) + x1:x2 + i(rel_period, ref = -1) "
        + "| fe1 + fe2^fe3");
    assertTrue(f.logOutcome());
    assertEquals(List.of("fe1", "fe2^fe3"), f.fixedEffectLabels());
    assertEquals("log(y) ~ x1 + log(x2) + x1:x2 + i(rel_period, ref = -1) | fe1 + fe2^fe3",
        f.text());
  }

  @Test
  void badTokensAreNamed() {
    assertMessage("y ~ x + ", "empty regressor term");
    assertMessage("y x", "exactly one '~'");
    assertMessage("y ~ sqrt(x)", "bad term 'sqrt(x)'");
    assertMessage("y ~ x | a^", "bad fixed effect 'a^'");
    assertMessage("y ~ i(x, ref = )", "bad term 'i(x, ref = )'");
    assertMessage("y ~ i(x, 3)", "bad term 'i(x, 3)'");
    assertMessage("y ~ log(x | a", "unbalanced parentheses");
    assertMessage("y ~ x | a | b", "more than one '|'");
  }

  @Test
  void expandsCategoricalTermsAndNamesMissingColumns() {
    Dataset<Row> data = GoldenData.read("event_panel", GoldenData.EVENT_PANEL);
    Design d = Formula.parse("y ~ i(rel_period, ref = -1) + x | unit + year")
        .design(data, List.of("unit"), Regression.DEFAULT_IN_MEMORY_ROWS);
    assertEquals(List.of("rel_period::-4", "rel_period::-3", "rel_period::-2", "rel_period::0",
        "rel_period::1", "rel_period::2", "rel_period::3", "rel_period::4", "x"), d.terms());
    assertEquals(2, d.fixedEffects());
    assertEquals(543, d.sourceRows(), "the data lines of event_panel.csv");

    ModelException missing = assertThrows(ModelException.class,
        () -> Formula.parse("y ~ z | unit").design(data, List.of(), 0));
    assertTrue(missing.getMessage().contains("column 'z' not found"), missing.getMessage());
    ModelException ref = assertThrows(ModelException.class,
        () -> Formula.parse("y ~ i(rel_period, ref = 9) | unit").design(data, List.of(),
            Regression.DEFAULT_IN_MEMORY_ROWS));
    assertTrue(ref.getMessage().contains("reference level '9'"), ref.getMessage());
    ModelException text = assertThrows(ModelException.class,
        () -> Formula.parse("y ~ region | unit").design(data, List.of(), 0));
    assertTrue(text.getMessage().contains("'region' is string"), text.getMessage());
    ModelException cluster = assertThrows(ModelException.class,
        () -> Formula.parse("y ~ x | unit").design(data, List.of("county"), 0));
    assertTrue(cluster.getMessage().contains("column 'county' not found"), cluster.getMessage());
  }

  private static void assertMessage(String formula, String fragment) {
    ModelException e = assertThrows(ModelException.class, () -> Formula.parse(formula));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
