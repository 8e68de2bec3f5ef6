package org.critmin.reference;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.CommandResult;
import org.critmin.SparkTestSession;
import org.critmin.config.Location;
import org.critmin.config.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WGI loader on the committed file, and the 0..10 scaling on hand-computed values. */
class GovernanceTest {
  private static final double EPS = 1e-12;
  private static final Path REFERENCE = Path.of(CommandResult.home(), "conf/reference");

  @Test
  void scalingIsFiveMinusTwiceTheEstimateClampedAndNullStaysNull() {
    SparkSession spark = SparkTestSession.get();
    StructType schema = new StructType().add("x", DataTypes.DoubleType);
    List<Row> in = new ArrayList<>();
    for (Double x : Arrays.asList(0.0, 1.0, -1.5, 2.5, -2.5, 3.1, -2.9, null)) {
      in.add(RowFactory.create(x));
    }
    List<Row> out = spark.createDataFrame(in, schema)
        .select(Governance.scaled(col("x")).as("s")).collectAsList();
    assertEquals(5.0, out.get(0).getDouble(0), EPS);   // 5 - 0
    assertEquals(3.0, out.get(1).getDouble(0), EPS);   // 5 - 2
    assertEquals(8.0, out.get(2).getDouble(0), EPS);   // 5 + 3
    assertEquals(0.0, out.get(3).getDouble(0), EPS);   // the best bound
    assertEquals(10.0, out.get(4).getDouble(0), EPS);  // the worst bound
    assertEquals(0.0, out.get(5).getDouble(0), EPS);   // 5 - 6.2 = -1.2, clamped up to 0
    assertEquals(10.0, out.get(6).getDouble(0), EPS);  // 5 + 5.8 = 10.8, clamped down to 10
    assertTrue(out.get(7).isNullAt(0), "a missing estimate must stay missing, not become 0");
  }

  @Test
  void loadsTheCommittedFileWithoutAggregates() {
    Dataset<Row> wgi = Governance.load(SparkTestSession.get(), Location.of(REFERENCE));
    // 217 countries x 25 published years (1996, 1998, 2000, 2002..2023).
    assertEquals(5425, wgi.count());
    assertEquals(217, wgi.select("iso3").distinct().count());
    assertEquals(0, wgi.filter(col("iso3").isin("WLD", "EUU", "SSF", "HIC", "INX")).count());
    Row cod = wgi.filter(col("iso3").equalTo("COD").and(col("year").equalTo(2023))).first();
    assertEquals(-2.04486203193665, cod.getDouble(cod.fieldIndex("pv_est")), EPS);
    Row usa = wgi.filter(col("iso3").equalTo("USA").and(col("year").equalTo(2022))).first();
    assertEquals(0.00870068650692701, usa.getDouble(usa.fieldIndex("pv_est")), EPS);
    Row aruba = wgi.filter(col("iso3").equalTo("ABW").and(col("year").equalTo(1996))).first();
    assertNull(aruba.get(aruba.fieldIndex("pv_est")));
  }

  @Test
  void aBrokenFileNamesTheFileAndRow(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("wgi"));
    Files.writeString(dir.resolve(Governance.FILE),
        "iso3,country_name,year,pv_est\nAUS,Australia,2023,0.9\nAUS,Australia,2023,0.8\n");
    UserInputException e = assertThrows(UserInputException.class,
        () -> Governance.load(SparkTestSession.get(), Location.of(dir)));
    assertTrue(e.getMessage().contains("data row 2") && e.getMessage().contains("wgi_pv.csv"),
        e.getMessage());
  }
}
