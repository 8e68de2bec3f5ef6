package org.critmin.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Annual rows win over months of the same year; months are counted; stage all is added. */
class AnnualFlowsTest {
  private static final StructType BILATERAL = new StructType()
      .add("period", DataTypes.StringType)
      .add("year", DataTypes.IntegerType)
      .add("month", DataTypes.IntegerType)
      .add("exporter_iso3", DataTypes.StringType)
      .add("importer_iso3", DataTypes.StringType)
      .add("exporter_kind", DataTypes.StringType)
      .add("mineral", DataTypes.StringType)
      .add("stage", DataTypes.StringType)
      .add("value_usd", DataTypes.DoubleType)
      .add("net_kg", DataTypes.DoubleType);
  private static Map<String, Row> byKey;

  @BeforeAll
  static void compute() {
    SparkSession spark = SparkTestSession.get();
    List<Row> rows = List.of(
        // 2023 has annual rows (two HS6 codes of the refined stage, one of ore) ...
        RowFactory.create("2023", 2023, null, "CHN", "USA", "country", "gallium", "refined",
            100.0, 10.0),
        RowFactory.create("2023", 2023, null, "CHN", "USA", "country", "gallium", "refined",
            50.0, null),
        RowFactory.create("2023", 2023, null, "CHN", "USA", "country", "gallium", "ore", 20.0,
            0.0),
        // ... so its months are left out.
        RowFactory.create("2023-05", 2023, 5, "CHN", "USA", "country", "gallium", "refined",
            7.0, 1.0),
        // 2024 has two months.
        RowFactory.create("2024-01", 2024, 1, "CHN", "USA", "country", "gallium", "refined",
            5.0, 1.0),
        RowFactory.create("2024-02", 2024, 2, "CHN", "USA", "country", "gallium", "refined",
            6.0, 0.0),
        RowFactory.create("2024-02", 2024, 2, "DEU", "X99", "country", "gallium", "refined",
            4.0, null),
        // An unallocated origin is no supplier.
        RowFactory.create("2024-02", 2024, 2, "_A", "USA", "unallocated", "gallium", "refined",
            9.0, 1.0));
    Dataset<Row> countries = spark.createDataset(List.of("USA", "CHN", "DEU"), Encoders.STRING())
        .toDF("iso3");
    byKey = new HashMap<>();
    for (Row r : AnnualFlows.of(spark.createDataFrame(rows, BILATERAL), countries)
        .collectAsList()) {
      byKey.put(r.getAs("exporter_iso3") + ">" + r.getAs("importer_iso3") + "/"
          + r.getAs("stage") + "/" + r.getAs("year"), r);
    }
  }

  @Test
  void annualRowsWinAndHs6CodesAreSummed() {
    Row refined = byKey.get("CHN>USA/refined/2023");
    assertEquals(150.0, (double) refined.getAs("value_usd"), 1e-9);
    assertEquals(10.0, (double) refined.getAs("net_kg"), 1e-9);
    assertEquals(12, (int) refined.getAs("months_covered"));
    Row all = byKey.get("CHN>USA/all/2023");
    assertEquals(170.0, (double) all.getAs("value_usd"), 1e-9);
    assertNull(byKey.get("CHN>USA/ore/2023").getAs("net_kg"), "a zero weight is unknown");
  }

  @Test
  void monthsAreSummedAndCounted() {
    Row r = byKey.get("CHN>USA/refined/2024");
    assertEquals(11.0, (double) r.getAs("value_usd"), 1e-9);
    assertEquals(1.0, (double) r.getAs("net_kg"), 1e-9);
    assertEquals(2, (int) r.getAs("months_covered"));
    assertFalse((boolean) byKey.get("DEU>X99/refined/2024").getAs("importer_is_country"));
    assertTrue((boolean) r.getAs("importer_is_country"));
    assertFalse(byKey.keySet().stream().anyMatch(k -> k.startsWith("_A")));
    assertEquals(7, byKey.size());
  }
}
