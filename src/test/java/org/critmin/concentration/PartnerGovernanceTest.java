package org.critmin.concentration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.SparkTestSession;
import org.critmin.reference.Governance;
import org.junit.jupiter.api.Test;

/** Each partner of an agreement gets its latest WGI estimate and the concern flag, by hand. */
class PartnerGovernanceTest {

  @Test
  void latestEstimateAndConcernFlag() {
    SparkSession spark = SparkTestSession.get();
    StructType partners = new StructType().add("framework", DataTypes.StringType)
        .add("partner_iso3", DataTypes.StringType);
    Dataset<Row> partnerships = spark.createDataFrame(List.of(
        RowFactory.create("F", "AUS"), RowFactory.create("F", "COD"),
        RowFactory.create("F", "PER"), RowFactory.create("F", "ZZZ"),
        RowFactory.create("F", null)), partners);
    Dataset<Row> wgi = spark.createDataFrame(List.of(
        RowFactory.create("AUS", "Australia", 2022, 0.9),
        RowFactory.create("AUS", "Australia", 2023, 1.0),
        RowFactory.create("AUS", "Australia", 2024, null),   // no estimate: 2023 is the latest
        RowFactory.create("COD", "Congo, Dem. Rep.", 2023, -1.8),
        RowFactory.create("PER", "Peru", 2023, -1.2)), Governance.WGI_SCHEMA);
    Map<String, List<Object>> got = new TreeMap<>();
    for (Row r : ConcentrationJob.withPartnerGovernance(partnerships, wgi, List.of("COD"), -1.0)
        .collectAsList()) {
      got.put(String.valueOf(r.<String>getAs("partner_iso3")), Arrays.asList(
          r.getAs("partner_wgi_pv"), r.getAs("partner_wgi_year"), r.getAs("partner_of_concern")));
    }
    // AUS 1.0 (2023) not of concern; COD named (and below -1.0); PER -1.2 below the threshold;
    // ZZZ without an estimate is not; a row without a partner has no flag.
    assertEquals(Arrays.asList(1.0, 2023, false), got.get("AUS"));
    assertEquals(Arrays.asList(-1.8, 2023, true), got.get("COD"));
    assertEquals(Arrays.asList(-1.2, 2023, true), got.get("PER"));
    assertEquals(Arrays.asList(null, null, false), got.get("ZZZ"));
    assertEquals(Arrays.asList(null, null, null), got.get("null"));
    // Without a threshold only the named list counts.
    assertEquals(List.of("COD"), ConcentrationJob.withPartnerGovernance(partnerships, wgi,
            List.of("COD"), null).filter("partner_of_concern").select("partner_iso3")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }
}
