package org.critmin.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.critmin.CommandResult;
import org.critmin.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files whose structure, not single lines, is at fault, beside good ones in one ingest: a header
 * repeated as is (files joined with cat) is skipped and counted; a header repeated with two columns
 * swapped refuses the file instead of loading value as weight; a bulk file whose mineral lines are
 * half rejected is refused although its rejected lines are 2 % of all its lines; a broken line of
 * another commodity does not count against a file's minerals; a file with a header and no data
 * has its row of zeros.
 */
@Tag("e2e")
class IngestStructureTest {
  private static final String HEADER = "period,reporterCode,reporterISO,partnerCode,partnerISO,"
      + "flowCode,cmdCode,cmdDesc,primaryValue,netWgt,qty,qtyUnitAbbr";
  private static final String SWAPPED = "period,reporterCode,reporterISO,partnerCode,partnerISO,"
      + "flowCode,cmdCode,cmdDesc,netWgt,primaryValue,qty,qtyUnitAbbr";
  private static final String NICKEL = "2020,842,USA,156,CHN,M,260400,Nickel ores,1000,50,50,kg";
  private static final String HORSES = "2020,842,USA,156,CHN,M,010121,Horses,5,50,50,kg";

  @TempDir
  static Path dir;
  private static SparkSession spark;
  private static CommandResult result;

  @BeforeAll
  static void ingestFolder() throws Exception {
    spark = SparkTestSession.get();
    Path input = Files.createDirectories(dir.resolve("input"));
    write(input.resolve("joined.csv"), HEADER, NICKEL, NICKEL.replace("1000", "1001"), HEADER,
        NICKEL.replace("1000", "1002"), NICKEL.replace("1000", "1003"));
    List<String> swapped = new ArrayList<>(List.of(HEADER, NICKEL, SWAPPED));
    for (int i = 0; i < 50; i++) {
      swapped.add("2020,842,USA,156,CHN,M,260400,Nickel ores,50," + (2000 + i) + ",50,kg");
    }
    write(input.resolve("swapped.csv"), swapped.toArray(String[]::new));
    List<String> bulk = new ArrayList<>(List.of(HEADER));
    for (int i = 0; i < 100; i++) {
      bulk.add(HORSES);
    }
    bulk.addAll(List.of(NICKEL, NICKEL, NICKEL.replace("1000", "1e3x"),
        NICKEL.replace("1000", "-7")));
    write(input.resolve("bulk.csv"), bulk.toArray(String[]::new));
    List<String> bulkOk = new ArrayList<>(bulk.subList(0, 103));
    bulkOk.add("2020,842,USA,156,CHN,M,010121,Horses,5,50");
    write(input.resolve("bulk_ok.csv"), bulkOk.toArray(String[]::new));
    write(input.resolve("header_only.csv"), HEADER);
    result = CommandResult.run("ingest", "--warehouse", dir.resolve("warehouse").toString(),
        "--input", input.toString(), "--set", "database_prefix=struct",
        "--set", "spark.console_progress=false");
  }

  private static void write(Path file, String... lines) throws Exception {
    Files.writeString(file, String.join("\n", lines) + "\n");
  }

  @Test
  void badStructureRefusesItsFileAndTheOthersLoad() {
    assertEquals(2, result.exitCode(), result.err());
    assertTrue(result.err().contains("2 input files not loaded"), result.err());
    int headerAt = (HEADER + "\n" + NICKEL + "\n").length();
    assertTrue(result.err().contains("swapped.csv: cannot be read to the end, the header is "
        + "repeated at byte " + headerAt + " with other columns or another order"), result.err());
    assertTrue(result.err().contains("bulk.csv: 2 of 104 data lines rejected (1.9%), 2 of the 4 "
        + "lines of mapped minerals (50.0%), above ingest.max_reject_ratio 0.050"), result.err());
    Map<String, Long> kept = new TreeMap<>();
    for (Row row : spark.sql("SELECT regexp_extract(source_file, '[^/]+$', 0), count(*) "
        + "FROM struct_bronze.trade_records GROUP BY 1").collectAsList()) {
      kept.put(row.getString(0), row.getLong(1));
    }
    assertEquals(Map.of("joined.csv", 4L, "bulk_ok.csv", 2L), kept);
  }

  @Test
  void anIdenticalHeaderIsCountedAndAnotherCommodityLineDoesNotCountAgainstMinerals() {
    Map<String, List<Long>> counts = new TreeMap<>();
    for (Row row : spark.sql("SELECT regexp_extract(source_file, '[^/]+$', 0), sum(rows_read), "
        + "sum(rows_kept), sum(rows_rejected), sum(rows_rejected_in_scope), "
        + "sum(rows_repeated_header) FROM struct_bronze.ingest_files GROUP BY 1").collectAsList()) {
      counts.put(row.getString(0), List.of(row.getLong(1), row.getLong(2), row.getLong(3),
          row.getLong(4), row.getLong(5)));
    }
    // read, kept, rejected, rejected in scope, repeated headers
    assertEquals(Map.of("joined.csv", List.of(4L, 4L, 0L, 0L, 1L),
        "bulk_ok.csv", List.of(103L, 2L, 1L, 0L, 0L),
        "header_only.csv", List.of(0L, 0L, 0L, 0L, 0L)), counts);
    assertEquals(List.of(1000.0, 1001.0, 1002.0, 1003.0), spark.sql("SELECT primary_value FROM "
        + "struct_bronze.trade_records WHERE source_file LIKE '%joined.csv' ORDER BY 1")
        .collectAsList().stream().map(r -> r.getDouble(0)).toList());
  }
}
