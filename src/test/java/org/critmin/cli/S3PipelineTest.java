package org.critmin.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.critmin.CommandResult;
import org.critmin.CritminProcess;
import org.critmin.GoldCheck;
import org.critmin.LogCapture;
import org.critmin.S3TestServer;
import org.critmin.SparkTestSession;
import org.critmin.delta.TableSpec;
import org.critmin.delta.Tables;
import org.critmin.delta.WriterLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline with its input and its warehouse in an S3-compatible store (s3proxy on
 * 127.0.0.1) reached through s3a and configured as users do: conf/cluster.conf, the endpoint given
 * with --set, the keys through the AWS SDK's default provider chain. Then the store fails in the
 * middle of a run.
 */
@Tag("system")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3PipelineTest {
  private static final String BUCKET = "critmin-s3-test";
  private static final String ACCESS_KEY = "critmin-test-access";
  /** A fresh random secret, so that finding it anywhere cannot be a coincidence. */
  private static final String SECRET_KEY = "s3t" + UUID.randomUUID().toString().replace("-", "")
      + "Zq";
  /** Tables compared between runs, whole rows but for the run id. */
  private static final List<TableSpec> COMPARED = List.of(Tables.TRADE_RECORDS,
      Tables.TRADE_FLOWS, Tables.BILATERAL_FLOWS, Tables.SUPPLY_CONCENTRATION,
      Tables.PARTNER_CONCENTRATION, Tables.PRODUCTION_CONCENTRATION, Tables.DATA_QUALITY);

  @TempDir
  static Path dir;
  private static S3TestServer server;
  private static LogCapture logs;
  private static SparkSession spark;
  private static CommandResult firstRun;

  @BeforeAll
  static void runPipelineOnS3() throws Exception {
    spark = SparkTestSession.get();
    // The provider chain of conf/cluster.conf reads these system properties first and the
    // environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) second; a JVM cannot set its own
    // environment, so the test uses the properties. SubmitTest passes them as environment variables.
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
    server = new S3TestServer(BUCKET, ACCESS_KEY, SECRET_KEY);
    server.upload(GoldCheck.nickelInput(dir).resolve(GoldCheck.NICKEL_FILE),
        "input/comtrade/" + GoldCheck.NICKEL_FILE);
    // The reference tables too live in the store (reference_dir may be any Hadoop location).
    Path reference = Path.of(CommandResult.home(), "conf", "reference");
    // Every table the jar ships, so that a table added to conf/reference is read from S3 too.
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(reference)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".csv")
          && !reference.relativize(f).startsWith("build")).toList()) {
        server.upload(file, "reference/" + reference.relativize(file).toString()
            .replace(java.io.File.separatorChar, '/'));
      }
    }
    logs = new LogCapture();
    long start = System.nanoTime();
    firstRun = pipeline("warehouse", "s3t");
    System.out.printf("S3PipelineTest: pipeline on s3a in %.1f s%n",
        (System.nanoTime() - start) / 1e9);
    assertEquals(0, firstRun.exitCode(), firstRun.err());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (logs != null) {
      logs.close();
    }
    if (server != null) {
      server.close();
    }
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private static CommandResult pipeline(String warehouse, String prefix, String... more) {
    List<String> args = new ArrayList<>(List.of("pipeline", "--input", server.uri("input"),
        "--warehouse", server.uri(warehouse), "--set", "database_prefix=" + prefix,
        "--set", "spark.console_progress=false",
        "--set", "reference_dir=\"" + server.uri("reference") + "\""));
    args.addAll(CritminProcess.SHORT_SHOCKS);
    args.addAll(List.of(more));
    return critmin(args.toArray(String[]::new));
  }

  private static CommandResult critmin(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(server.critminOptions());
    return CommandResult.run(all.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void goldTablesAreReadBackFromS3WithTheSqlCommand() {
    List<String> options = new ArrayList<>(List.of("--warehouse", server.uri("warehouse")));
    options.addAll(server.critminOptions());
    GoldCheck.assertJapanNickelOre2014("s3t", options.toArray(String[]::new));

    Row detail = spark.sql("DESCRIBE DETAIL s3t_gold.supply_concentration")
        .select("location", "numFiles").first();
    assertEquals(server.uri("warehouse/gold/supply_concentration"), detail.getString(0));
    assertTrue(detail.getLong(1) > 0, "data files: " + detail);
    assertTrue(server.exists("warehouse/gold/supply_concentration/_delta_log/"
        + "00000000000000000000.json"), "the table's commits are objects in the store");
  }

  @Test
  @Order(2)
  void theSecretKeyAppearsInNoLogLineNoOutputNoTableAndNoStoredObject() throws Exception {
    String logged = logs.text();
    assertTrue(logged.contains("s3a://" + BUCKET + "/warehouse"), "the log was captured");
    assertTrue(logged.contains("reference tables from s3a://" + BUCKET + "/reference"), logged);
    assertFalse(logged.contains(SECRET_KEY), "secret in the log");
    assertFalse(firstRun.out().contains(SECRET_KEY) || firstRun.err().contains(SECRET_KEY));

    for (TableSpec spec : Tables.ALL) {
      String table = "s3t_" + spec.layer() + "." + spec.name();
      Dataset<Row> asJson = spark.table(table).select(to_json(struct(col("*"))).as("row"));
      assertEquals(0L, asJson.filter(col("row").contains(SECRET_KEY)).count(), table);
    }
    Row run = spark.sql("SELECT status, inputs FROM s3t_gold.pipeline_runs").first();
    assertEquals("succeeded", run.getString(0));
    assertEquals(server.uri("input"), run.getString(1));

    // Every byte in the store: data files, Delta commits (commitInfo) and checksums.
    List<String> keys = server.keys("warehouse/");
    assertTrue(keys.size() > 20, "objects: " + keys.size());
    byte[] secret = SECRET_KEY.getBytes(StandardCharsets.UTF_8);
    for (String key : keys) {
      assertFalse(contains(server.read(key), secret), key);
    }
  }

  @Test
  @Order(3)
  void aStoreOutageMidRunFailsNamingThePathLeavesNoHalfWrittenTableAndARerunCompletes()
      throws Exception {
    // The store stops once refine has written its first table (whose first commit creates it),
    // while it computes and writes the next ones.
    String refineStarted = "warehouse-fault/silver/trade_flows/_delta_log/"
        + "00000000000000000000.json";
    CompletableFuture<CommandResult> run =
        CompletableFuture.supplyAsync(() -> pipeline("warehouse-fault", "s3f"));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (!server.exists(refineStarted) && !run.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    // The message is a supplier: evaluated eagerly, run.get() would wait for the whole run.
    assertFalse(run.isDone(), () -> "the run ended before the outage: " + run.join().err());
    long stopped = System.nanoTime();
    server.stop();
    CommandResult failed;
    try {
      failed = run.get(4, TimeUnit.MINUTES);
    } finally {
      server.start();
    }
    System.out.printf("S3PipelineTest: run failed %.1f s after the store stopped%n",
        (System.nanoTime() - stopped) / 1e9);

    assertEquals(1, failed.exitCode(), failed.err());
    String message = failed.err().strip();
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.startsWith("critmin pipeline: storage failure"), message);
    assertTrue(message.contains("s3a://" + BUCKET + "/warehouse-fault/"), message);

    // Each table is either complete (equal to the clean run's) or holds no rows.
    int complete = 0;
    int empty = 0;
    for (TableSpec spec : COMPARED) {
      String location = server.uri("warehouse-fault/" + spec.layer() + "/" + spec.name());
      if (!server.exists("warehouse-fault/" + spec.layer() + "/" + spec.name()
          + "/_delta_log/00000000000000000000.json")) {
        empty++;
        continue;
      }
      Dataset<Row> rows = comparable(spark.read().format("delta").load(location), spec);
      if (rows.isEmpty()) {
        empty++;
      } else {
        assertSameRows(comparable(spark.table("s3t_" + spec.layer() + "." + spec.name()), spec),
            rows, spec.name());
        complete++;
      }
    }
    assertTrue(complete >= 1 && empty >= 1, complete + " complete, " + empty + " empty");

    // The failed run could not delete its writer lock file from the stopped store: the re-run
    // takes it over once it is writer_lock.stale_seconds old (5 s here instead of 300).
    assertTrue(server.exists("warehouse-fault/" + WriterLock.FILE_NAME),
        "the failed run's lock file is left in the store");
    CommandResult rerun = pipeline("warehouse-fault", "s3f", "--set",
        "writer_lock.stale_seconds=5");
    assertEquals(0, rerun.exitCode(), rerun.err());
    assertTrue(logs.text().contains("taking over the writer lock s3a://" + BUCKET
        + "/warehouse-fault/" + WriterLock.FILE_NAME), "the stale lock was taken over");
    for (TableSpec spec : COMPARED) {
      assertSameRows(comparable(spark.table("s3t_" + spec.layer() + "." + spec.name()), spec),
          comparable(spark.table("s3f_" + spec.layer() + "." + spec.name()), spec), spec.name());
    }
  }

  /** The rows without the columns that differ between runs by design (run id, load times). */
  private static Dataset<Row> comparable(Dataset<Row> rows, TableSpec spec) {
    List<String> columns = new ArrayList<>();
    for (StructField field : spec.schema().fields()) {
      if (!field.name().equals("run_id") && field.dataType() != DataTypes.TimestampType) {
        columns.add(field.name());
      }
    }
    return rows.selectExpr(columns.toArray(String[]::new));
  }

  private static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual, String table) {
    assertEquals(0L, expected.exceptAll(actual).count(), table + ": rows missing");
    assertEquals(0L, actual.exceptAll(expected).count(), table + ": rows added");
  }

  private static boolean contains(byte[] data, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= data.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (data[i + j] != part[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
