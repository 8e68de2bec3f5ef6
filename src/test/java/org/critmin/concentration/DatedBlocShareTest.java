package org.critmin.concentration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.critmin.SparkTestSession;
import org.critmin.reference.BlocMembership;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bloc_share} with a membership that changes mid-series. The bloc: AUS from 1 February
 * 2022 for cobalt only, COD from 2020 until 1 July 2022. Suppliers of each period:
 * <pre>
 *   cobalt 2021     CHN 60, AUS 40, COD 10   -> bloc COD 10 of 110
 *   cobalt 2022     CHN 50, AUS 30, COD 20   -> bloc AUS 30 of 100 (COD left before 31 December)
 *   cobalt 2022-01  CHN 5,  AUS 5,  COD 10   -> bloc COD 10 of 20 (AUS joins in February)
 *   cobalt 2022-02  CHN 5,  AUS 15, COD 10   -> bloc 25 of 30
 *   nickel 2022     CHN 50, AUS 50           -> bloc 0 (AUS's agreement covers cobalt only)
 * </pre>
 */
class DatedBlocShareTest {
  private static final double EPS = 1e-12;
  private static Map<String, Double> blocShare;

  @BeforeAll
  static void compute() {
    BlocMembership bloc = BlocMembership.of("deals", List.of(
        new BlocMembership.Term("AUS", LocalDate.of(2022, 2, 1), null, List.of("cobalt")),
        new BlocMembership.Term("COD", LocalDate.of(2020, 1, 1), LocalDate.of(2022, 7, 1),
            List.of())));
    Concentration.Groups groups = new Concentration.Groups(List.of("CHN"), bloc, List.of(),
        null, 1500, 2500);
    List<Row> rows = new ArrayList<>();
    add(rows, "cobalt", 2021, null, "CHN", 60, "AUS", 40, "COD", 10);
    add(rows, "cobalt", 2022, null, "CHN", 50, "AUS", 30, "COD", 20);
    add(rows, "cobalt", 2022, 1, "CHN", 5, "AUS", 5, "COD", 10);
    add(rows, "cobalt", 2022, 2, "CHN", 5, "AUS", 15, "COD", 10);
    add(rows, "nickel", 2022, null, "CHN", 50, "AUS", 50);
    blocShare = new HashMap<>();
    Dataset<Row> input = SparkTestSession.get()
        .createDataFrame(rows, ConcentrationTest.INPUT).withColumnRenamed("grp", "mineral");
    for (Row r : Concentration.byPartner(input, List.of("mineral", "period", "year", "month"),
        groups).collectAsList()) {
      blocShare.put(r.getAs("mineral") + " " + r.getAs("period"), r.getAs("bloc_share"));
    }
  }

  private static void add(List<Row> rows, String mineral, int year, Integer month,
      Object... partnerValues) {
    String period = month == null ? String.valueOf(year) : String.format("%d-%02d", year, month);
    for (int i = 0; i < partnerValues.length; i += 2) {
      rows.add(RowFactory.create(mineral, period, year, month, partnerValues[i], "country",
          ((Integer) partnerValues[i + 1]).doubleValue(), null));
    }
  }

  @Test
  void aPartnerCountsFromItsSigningAndUntilItLeaves() {
    assertEquals(10.0 / 110, blocShare.get("cobalt 2021"), EPS);
    assertEquals(0.3, blocShare.get("cobalt 2022"), EPS);
    assertEquals(0.5, blocShare.get("cobalt 2022-01"), EPS);
    assertEquals(25.0 / 30, blocShare.get("cobalt 2022-02"), EPS);
  }

  @Test
  void aPartnerCountsOnlyForTheMineralsOfItsAgreement() {
    assertEquals(0.0, blocShare.get("nickel 2022"), EPS);
  }
}
