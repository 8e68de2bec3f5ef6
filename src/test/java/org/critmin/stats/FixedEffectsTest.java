package org.critmin.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Singleton and separation drops, the rank of the fixed-effect dummies, nesting and demeaning, on
 * tiny panels with hand-computed answers.
 */
class FixedEffectsTest {

  private static final StructType SCHEMA = new StructType()
      .add("a", DataTypes.StringType).add("b", DataTypes.StringType)
      .add("y", DataTypes.DoubleType);

  private static Dataset<Row> frame(Object[]... rows) {
    return SparkTestSession.get().createDataFrame(
        java.util.Arrays.stream(rows).map(RowFactory::create).toList(), SCHEMA);
  }

  /**
   * The blocks of a test frame: outcome y, no regressors, fixed effects a and b, clusters a, b;
   * on the executors ({@code distributed}) or in memory, which must give the same answers.
   */
  private static ModelFrame blocks(Dataset<Row> f, boolean distributed) {
    if (distributed) {
      return ModelFrame.distributed(f, "y", List.of(), List.of("a", "b"), List.of("a", "b"));
    }
    List<Row> rows = f.collectAsList();
    int n = rows.size();
    double[] y = new double[n];
    String[][] levels = new String[2][n];
    for (int i = 0; i < n; i++) {
      levels[0][i] = rows.get(i).getString(0);
      levels[1][i] = rows.get(i).getString(1);
      y[i] = rows.get(i).getDouble(2);
    }
    return ModelFrame.inMemory(n, y, new double[0][], levels, levels);
  }

  @ParameterizedTest(name = "distributed {0}")
  @ValueSource(booleans = {false, true})
  void dropsSingletonsRepeatedlyAndSeparatedGroups(boolean distributed) {
    // a=a3 is a singleton; dropping it leaves b=b3 alone with one row, which goes next.
    Dataset<Row> f = frame(
        new Object[] {"a1", "b1", 1.0}, new Object[] {"a1", "b2", 0.0},
        new Object[] {"a2", "b1", 2.0}, new Object[] {"a2", "b2", 0.0},
        new Object[] {"a2", "b3", 5.0}, new Object[] {"a3", "b3", 3.0});
    FixedEffects.Dropped singles = FixedEffects.dropSingletons(blocks(f, distributed));
    assertEquals(2, singles.dropped());
    assertEquals(4, singles.frame().rows);
    // b=b2 has only zeros: both of its rows are separated.
    FixedEffects.Dropped separated = FixedEffects.dropSeparated(blocks(f, distributed));
    assertEquals(2, separated.dropped());
    assertEquals(4, separated.frame().rows);
  }

  @ParameterizedTest(name = "distributed {0}")
  @ValueSource(booleans = {false, true})
  void rankCountsConnectedComponentsOfTwoFixedEffects(boolean distributed) {
    // Two disconnected blocks {a1,a2 x b1,b2} and {a3 x b3}: 3 + 3 levels, 2 components.
    ModelFrame f = blocks(frame(
        new Object[] {"a1", "b1", 1.0}, new Object[] {"a1", "b2", 1.0},
        new Object[] {"a2", "b1", 1.0}, new Object[] {"a2", "b2", 1.0},
        new Object[] {"a3", "b3", 1.0}, new Object[] {"a3", "b3", 2.0}), distributed);
    assertEquals(4, FixedEffects.rank(f, new int[] {0, 1}));
    assertEquals(3, FixedEffects.rank(f, new int[] {0}));
    assertEquals(3, FixedEffects.rank(f, new int[] {1}));
    assertTrue(FixedEffects.nestedIn(f, 0, 0));
    assertTrue(!FixedEffects.nestedIn(f, 0, 1));
  }

  @ParameterizedTest(name = "distributed {0}")
  @ValueSource(booleans = {false, true})
  void demeaningRemovesBothSetsOfMeans(boolean distributed) {
    // Balanced 3 x 2 table: the limit is y - row mean - column mean + grand mean (4).
    Dataset<Row> f = frame(
        new Object[] {"a1", "b1", 1.0}, new Object[] {"a1", "b2", 4.0},
        new Object[] {"a2", "b1", 2.0}, new Object[] {"a2", "b2", 9.0},
        new Object[] {"a3", "b1", 3.0}, new Object[] {"a3", "b2", 5.0});
    ModelFrame blocks = blocks(f, distributed);
    FixedEffects.Demeaned d = FixedEffects.demean(blocks.blocks, blocks.levels, 1, null,
        FixedEffects.Options.DEFAULT);
    assertTrue(d.converged());
    Map<String, Double> expected = Map.of("a1b1", 0.5, "a1b2", -0.5, "a2b1", -1.5, "a2b2", 1.5,
        "a3b1", 1.0, "a3b2", -1.0);
    Map<Double, String> byValue = Map.of(1.0, "a1b1", 4.0, "a1b2", 2.0, "a2b1", 9.0, "a2b2",
        3.0, "a3b1", 5.0, "a3b2");
    int seen = 0;
    for (Block b : blocks.blocks.collect()) {
      for (int i = 0; i < b.n; i++) {
        String cell = byValue.get(b.y[i]);
        assertEquals(expected.get(cell), b.demeaned(d.alpha(), 1, 0, i), 1e-9, cell);
        seen++;
      }
    }
    assertEquals(6, seen);
  }
}
