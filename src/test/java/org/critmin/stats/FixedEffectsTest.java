package org.critmin.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.Test;

/** Singleton and separation drops, and the rank of the fixed-effect dummies, on a tiny panel. */
class FixedEffectsTest {

  private static final StructType SCHEMA = new StructType()
      .add("a", DataTypes.StringType).add("b", DataTypes.StringType)
      .add("y", DataTypes.DoubleType);

  private static Dataset<Row> frame(Object[]... rows) {
    return SparkTestSession.get().createDataFrame(
        java.util.Arrays.stream(rows).map(RowFactory::create).toList(), SCHEMA);
  }

  @Test
  void dropsSingletonsRepeatedlyAndSeparatedGroups() {
    // a=a3 is a singleton; dropping it leaves b=b3 alone with one row, which goes next.
    Dataset<Row> f = frame(
        new Object[] {"a1", "b1", 1.0}, new Object[] {"a1", "b2", 0.0},
        new Object[] {"a2", "b1", 2.0}, new Object[] {"a2", "b2", 0.0},
        new Object[] {"a2", "b3", 5.0}, new Object[] {"a3", "b3", 3.0});
    FixedEffects.Dropped singles = FixedEffects.dropSingletons(f, List.of("a", "b"));
    assertEquals(2, singles.dropped());
    assertEquals(4, singles.frame().count());
    // b=b2 has only zeros: both of its rows are separated.
    FixedEffects.Dropped separated = FixedEffects.dropSeparated(f, List.of("a", "b"), "y");
    assertEquals(2, separated.dropped());
  }

  @Test
  void rankCountsConnectedComponentsOfTwoFixedEffects() {
    // Two disconnected blocks {a1,a2 x b1,b2} and {a3 x b3}: 3 + 3 levels, 2 components.
    Dataset<Row> f = frame(
        new Object[] {"a1", "b1", 1.0}, new Object[] {"a1", "b2", 1.0},
        new Object[] {"a2", "b1", 1.0}, new Object[] {"a2", "b2", 1.0},
        new Object[] {"a3", "b3", 1.0}, new Object[] {"a3", "b3", 2.0});
    assertEquals(4, FixedEffects.rank(f, List.of("a", "b")));
    assertEquals(3, FixedEffects.rank(f, List.of("a")));
    assertTrue(FixedEffects.nestedIn(f, "a", "a"));
    assertTrue(!FixedEffects.nestedIn(f, "a", "b"));
  }

  @Test
  void demeaningRemovesGroupMeans() {
    Dataset<Row> f = frame(
        new Object[] {"a1", "b1", 1.0}, new Object[] {"a1", "b2", 4.0},
        new Object[] {"a2", "b1", 2.0}, new Object[] {"a2", "b2", 9.0},
        new Object[] {"a3", "b1", 3.0}, new Object[] {"a3", "b2", 5.0});
    FixedEffects.Demeaned d = FixedEffects.demean(f, List.of("a", "b"), List.of("y"), null,
        FixedEffects.Options.DEFAULT);
    assertTrue(d.converged());
    for (Row r : d.frame().groupBy("a").sum("y").collectAsList()) {
      assertEquals(0.0, r.getDouble(1), 1e-9);
    }
    for (Row r : d.frame().groupBy("b").sum("y").collectAsList()) {
      assertEquals(0.0, r.getDouble(1), 1e-9);
    }
  }
}
