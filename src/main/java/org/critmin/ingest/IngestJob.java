package org.critmin.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.io.LongWritable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.critmin.config.CritminConfig;
import org.critmin.config.UserInputException;
import org.critmin.delta.Tables;
import org.critmin.run.Job;
import org.critmin.run.RunContext;

/**
 * Reads the input files into {@code bronze.trade_records}, quarantines unreadable lines in
 * {@code bronze.rejected_records} and records per-file counts in {@code bronze.ingest_files}.
 *
 * <p>Re-loading a file replaces what an earlier run loaded from it. A file that cannot be read at all,
 * or whose share of rejected lines exceeds {@code ingest.max_reject_ratio}, loads nothing (its lines'
 * problems stay in quarantine); the other files are loaded, and the run then stops with exit code 2
 * naming the bad files, before any later stage runs.
 */
public final class IngestJob implements Job {
  private static final Logger LOG = LogManager.getLogger(IngestJob.class);
  /** Rows per bronze data file at most: about 30 bytes a row in Parquet, so ~120 MB. */
  static final long ROWS_PER_FILE = 4_000_000;
  /** Rows per bronze data file at least, when there are more cores than files of this size. */
  static final long MIN_ROWS_PER_FILE = 100_000;
  private static final String UNREADABLE_FILE = "unreadable_file";
  /** Positions in the rows of {@code bronze.ingest_files}. */
  private static final int ROWS_READ = Tables.INGEST_FILES.schema().fieldIndex("rows_read");
  private static final int ROWS_KEPT = Tables.INGEST_FILES.schema().fieldIndex("rows_kept");
  private static final int ROWS_REJECTED =
      Tables.INGEST_FILES.schema().fieldIndex("rows_rejected");
  private static final int ROWS_REJECTED_IN_SCOPE =
      Tables.INGEST_FILES.schema().fieldIndex("rows_rejected_in_scope");

  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public void run(RunContext context) {
    SparkSession spark = context.spark();
    CritminConfig config = context.config();
    Configuration hadoop = InputFiles.reading(spark.sparkContext().hadoopConfiguration());

    InputFiles.Listing listing = InputFiles.expand(config.inputs(), hadoop);
    Map<String, String> badFiles = new TreeMap<>(listing.badNames());
    List<FileLayout> layouts = new ArrayList<>();
    for (FileStatus file : listing.files()) {
      try {
        layouts.add(FileLayout.detect(file.getPath().getFileSystem(hadoop), file.getPath(),
            file.getModificationTime(), hadoop, SourceFormat.byId(config.ingestFormat())));
      } catch (UserInputException e) {
        badFiles.put(file.getPath().toString(), e.getMessage());
      } catch (java.io.IOException e) {
        badFiles.put(file.getPath().toString(), file.getPath() + ": " + e.getMessage());
      }
    }
    LOG.info("ingest: {} files to read, {} unreadable, {} skipped", layouts.size(),
        badFiles.size(), listing.skipped().size());
    if (!listing.skipped().isEmpty()) {
      context.addNotice(skippedNotice(listing.skipped(), context));
    }

    Dataset<Row> unreadable = fileRejects(context, badFiles);
    if (layouts.isEmpty()) {
      context.write(Tables.REJECTED_RECORDS, unreadable,
          col("source_file").isin(badFiles.keySet().toArray()));
      writeFileCounts(context, List.of(), listing.skipped());
    } else {
      load(context, layouts, badFiles, unreadable, listing.skipped());
    }
    if (!badFiles.isEmpty()) {
      throw new UserInputException(badFiles.size() + " input file" + (badFiles.size() > 1
          ? "s" : "") + " not loaded (the others were): " + String.join("; ", badFiles.values()));
    }
  }

  /** The summary's line on the files the input folders hold but ingest did not read. */
  private static String skippedNotice(Map<String, String> skipped, RunContext context) {
    List<String> shown = skipped.entrySet().stream().limit(5)
        .map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
    return "files not read: " + skipped.size() + " in the input folders, each in "
        + context.warehouse().tableName(Tables.INGEST_FILES) + " with skipped_reason: "
        + String.join(", ", shown) + (skipped.size() > shown.size() ? ", ..." : "");
  }

  /**
   * Writes {@code bronze.ingest_files}: the count rows of the files loaded, and a row per file
   * skipped in the input folders with its reason, each replacing that file's earlier rows.
   */
  private static void writeFileCounts(RunContext context, List<Row> loadedCounts,
      Map<String, String> skipped) {
    List<Row> rows = new ArrayList<>(loadedCounts);
    Timestamp now = new Timestamp(System.currentTimeMillis());
    for (Map.Entry<String, String> file : skipped.entrySet()) {
      rows.add(RowFactory.create(file.getKey(), null, null, now, 0L, 0L, 0L, 0L, 0L,
          context.runId(), 0L, 0L, file.getValue()));
    }
    if (rows.isEmpty()) {
      return;
    }
    java.util.Set<String> files = new java.util.TreeSet<>();
    rows.forEach(row -> files.add(row.getString(0)));
    context.write(Tables.INGEST_FILES, context.spark().createDataFrame(rows,
        Tables.INGEST_FILES.schema()), col("source_file").isin(files.toArray()));
  }

  /** Quarantine rows for files that could not be opened as trade files at all. */
  private static Dataset<Row> fileRejects(RunContext context, Map<String, String> badFiles) {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, String> bad : badFiles.entrySet()) {
      rows.add(RowFactory.create(bad.getKey(), null, UNREADABLE_FILE, bad.getValue(), null, null,
          context.runId()));
    }
    return context.spark().createDataFrame(rows, Tables.REJECTED_RECORDS.schema());
  }

  private void load(RunContext context, List<FileLayout> layouts, Map<String, String> badFiles,
      Dataset<Row> unreadable, Map<String, String> skipped) {
    SparkSession spark = context.spark();
    String runId = context.runId();
    Dataset<Row> stream = readStream(context, layouts).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // One query for the few rows the driver needs: each split's line count, each partition's
      // line counts per period, and the failures of files that broke while being read.
      List<Row> summary = stream
          .filter(col("kind").isin(IngestStream.SPLIT, IngestStream.COUNTS)
              .or(col("reason").equalTo(UNREADABLE_FILE)))
          .select("kind", "source_file", "split_key", "n_lines", "period", "n_read", "n_kept",
              "n_rejected", "n_out_of_scope", "n_aggregate", "n_rejected_in_scope",
              "n_repeated_header", "reason", "detail")
          .collectAsList();
      Dataset<Row> lineOffsets = broadcast(lineOffsets(spark, summary));
      Dataset<Row> fileInfo = broadcast(fileInfo(spark, layouts));
      // One row per file and period: small, so the per-file checks and run totals are done here.
      List<Row> countRows = fileCounts(summary, layouts, runId);
      findBadFiles(context, stream, summary, countRows, badFiles);

      List<String> loaded = layouts.stream().map(FileLayout::file)
          .filter(f -> !badFiles.containsKey(f)).toList();
      List<String> read = new ArrayList<>(badFiles.keySet());
      layouts.forEach(layout -> read.add(layout.file()));
      Column loadedScope = col("source_file").isin(loaded.toArray());

      Dataset<Row> records = withLineNumbers(stream.filter(col("kind").equalTo(IngestStream.KEPT)),
          lineOffsets)
          .filter(loadedScope)
          .join(fileInfo, "source_file")
          .withColumn("run_id", lit(runId));
      Dataset<Row> rejects = withLineNumbers(
          stream.filter(col("kind").equalTo(IngestStream.REJECTED)), lineOffsets)
          .withColumn("run_id", lit(runId))
          .select(java.util.Arrays.stream(Tables.REJECTED_RECORDS.schema().fieldNames())
              .map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
          .unionByName(unreadable);
      List<Row> loadedCounts = countRows.stream()
          .filter(row -> !badFiles.containsKey(row.getString(0))).toList();

      long rowsRead = 0;
      long rowsKept = 0;
      long rowsRejected = 0;
      long allRejected = 0;
      for (Row row : countRows) {
        allRejected += row.getLong(ROWS_REJECTED);
        if (!badFiles.containsKey(row.getString(0))) {
          rowsRead += row.getLong(ROWS_READ);
          rowsKept += row.getLong(ROWS_KEPT);
          rowsRejected += row.getLong(ROWS_REJECTED);
        }
      }
      context.write(Tables.REJECTED_RECORDS, inFiles(rejects, allRejected),
          col("source_file").isin(read.toArray()));
      if (!loaded.isEmpty()) {
        context.write(Tables.TRADE_RECORDS, inFiles(records, rowsKept), loadedScope);
      }
      writeFileCounts(context, loaded.isEmpty() ? List.of() : loadedCounts, skipped);
      context.count(rowsRead, rowsKept, rowsRejected);
      LOG.info("ingest: {} files loaded, {} data lines read, {} kept, {} rejected, {} filtered",
          loaded.size(), rowsRead, rowsKept, rowsRejected, rowsRead - rowsKept - rowsRejected);
    } finally {
      stream.unpersist();
    }
  }

  /**
   * {@code rows}, {@code count} of them, in few enough partitions (so files) that each holds
   * {@link #MIN_ROWS_PER_FILE} or more, one per core where there are that many, and more only
   * beyond {@link #ROWS_PER_FILE} a file. Each input split keeps a few percent of its lines:
   * written split by split, a 10M-line file gave 70 bronze files of 4,000 rows, and opening,
   * filling and closing 70 Parquet writers took 15 s of task time for 280,000 rows.
   */
  static Dataset<Row> inFiles(Dataset<Row> rows, long count) {
    int cores = rows.sparkSession().sparkContext().defaultParallelism();
    long files = Math.max(ceilDiv(count, ROWS_PER_FILE),
        Math.min(cores, ceilDiv(count, MIN_ROWS_PER_FILE)));
    return rows.coalesce((int) Math.max(1, Math.min(files, Integer.MAX_VALUE)));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /** One pass over every file: lines of each input split through {@link ComtradeLineParser}. */
  private Dataset<Row> readStream(RunContext context, List<FileLayout> layouts) {
    SparkSession spark = context.spark();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    BitSet mapped = new BitSet(1_000_000);
    context.reference().mappedHs6().forEach(mapped::set);
    java.util.Set<Integer> countries = new java.util.HashSet<>(context.reference().countryCodes());
    List<JavaRDD<Row>> parts = new ArrayList<>();
    for (FileLayout layout : layouts) {
      ParseContext parse = new ParseContext(layout, mapped, countries,
          context.config().ingestLimits());
      Configuration literal = literalInput(
          InputFiles.reading(spark.sparkContext().hadoopConfiguration()), layout.file());
      BoundedLines.configure(literal, context.config().ingestLimits().maxLineBytes(),
          context.config().ingestLimits().maxGzipRatio());
      if (layout.format() == SourceFormat.COMTRADE_JSON) {
        parts.add(jsc.newAPIHadoopRDD(literal, JsonFiles.class,
                String.class, org.apache.spark.input.PortableDataStream.class)
            .mapPartitions(new JsonRecords(parse)));
      } else {
        parts.add(jsc.newAPIHadoopRDD(literal, BoundedLines.class, LongWritable.class,
                BoundedLines.Line.class)
            .mapPartitions(new CsvRecords(parse)));
      }
    }
    return spark.createDataFrame(union(jsc, parts), IngestStream.SCHEMA);
  }

  /**
   * A Hadoop job configuration whose input is exactly {@code file}: Hadoop's string inputs split
   * at commas, so {@code a,b.csv} would be two files; the input formats list it literally.
   */
  static Configuration literalInput(Configuration base, String file) {
    try {
      org.apache.hadoop.mapreduce.Job job = org.apache.hadoop.mapreduce.Job.getInstance(base);
      org.apache.hadoop.mapreduce.lib.input.FileInputFormat.setInputPaths(job,
          new org.apache.hadoop.fs.Path(file));
      return job.getConfiguration();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One RDD of all files' rows; a flat union keeps the lineage shallow for many files. */
  @SuppressWarnings("unchecked")
  private static JavaRDD<Row> union(JavaSparkContext jsc, List<JavaRDD<Row>> parts) {
    return parts.size() == 1 ? parts.get(0) : jsc.union(parts.toArray(JavaRDD[]::new));
  }

  /**
   * For each input split, the number of physical lines of its file that come before it, from the
   * split rows of {@code summary}.
   */
  private static Dataset<Row> lineOffsets(SparkSession spark, List<Row> summary) {
    List<Row> splits = summary.stream()
        .filter(row -> IngestStream.SPLIT.equals(row.getAs("kind")))
        .sorted(Comparator.comparing((Row row) -> row.<String>getAs("source_file"))
            .thenComparingLong(row -> row.<Long>getAs("split_key")))
        .toList();
    List<Row> offsets = new ArrayList<>();
    String file = null;
    long before = 0;
    for (Row split : splits) {
      if (!split.getAs("source_file").equals(file)) {
        file = split.getAs("source_file");
        before = 0;
      }
      offsets.add(RowFactory.create(file, split.<Long>getAs("split_key"), before));
      before += split.<Long>getAs("n_lines");
    }
    StructType schema = new StructType()
        .add("source_file", DataTypes.StringType)
        .add("split_key", DataTypes.LongType)
        .add("lines_before", DataTypes.LongType);
    return spark.createDataFrame(offsets, schema);
  }

  /**
   * The rows of {@code bronze.ingest_files}: the count rows of {@code summary} (one per
   * partition and period) summed per file and period, with the file's format and modification
   * time.
   */
  private static List<Row> fileCounts(List<Row> summary, List<FileLayout> layouts, String runId) {
    List<String> counted = List.of("n_read", "n_kept", "n_rejected", "n_out_of_scope",
        "n_aggregate", "n_rejected_in_scope", "n_repeated_header");
    Map<List<String>, long[]> sums = new LinkedHashMap<>();
    for (Row row : summary) {
      if (IngestStream.COUNTS.equals(row.getAs("kind"))) {
        long[] sum = sums.computeIfAbsent(java.util.Arrays.asList(row.getAs("source_file"),
            row.getAs("period")), key -> new long[counted.size()]);
        for (int i = 0; i < sum.length; i++) {
          sum[i] += row.<Long>getAs(counted.get(i));
        }
      }
    }
    Map<String, FileLayout> byFile = new LinkedHashMap<>();
    layouts.forEach(layout -> byFile.put(layout.file(), layout));
    List<Row> rows = new ArrayList<>();
    java.util.Set<String> filesCounted = new java.util.HashSet<>();
    for (Map.Entry<List<String>, long[]> e : sums.entrySet()) {
      FileLayout layout = byFile.get(e.getKey().get(0));
      long[] n = e.getValue();
      filesCounted.add(layout.file());
      rows.add(RowFactory.create(e.getKey().get(0), e.getKey().get(1), layout.format().id,
          new Timestamp(layout.modifiedMillis()), n[0], n[1], n[2], n[3], n[4], runId, n[5], n[6],
          null));
    }
    // A file with a header and no data line still gets its row, of zeros: read, nothing in it.
    for (FileLayout layout : layouts) {
      if (!filesCounted.contains(layout.file())) {
        rows.add(RowFactory.create(layout.file(), null, layout.format().id,
            new Timestamp(layout.modifiedMillis()), 0L, 0L, 0L, 0L, 0L, runId, 0L, 0L, null));
      }
    }
    return rows;
  }

  private static Dataset<Row> withLineNumbers(Dataset<Row> rows, Dataset<Row> lineOffsets) {
    return rows.join(lineOffsets, new String[] {"source_file", "split_key"}, "left")
        .withColumn("line_number", col("lines_before").plus(col("line_in_split")));
  }

  private static Dataset<Row> fileInfo(SparkSession spark, List<FileLayout> layouts) {
    List<Row> rows = new ArrayList<>();
    for (FileLayout layout : layouts) {
      rows.add(RowFactory.create(layout.file(), layout.format().id,
          new Timestamp(layout.modifiedMillis())));
    }
    StructType schema = new StructType()
        .add("source_file", DataTypes.StringType)
        .add("source_format", DataTypes.StringType)
        .add("source_modified", DataTypes.TimestampType);
    return spark.createDataFrame(rows, schema);
  }

  /** Adds to {@code badFiles} the files that broke while being read or reject too many lines. */
  private static void findBadFiles(RunContext context, Dataset<Row> stream, List<Row> summary,
      List<Row> countRows, Map<String, String> badFiles) {
    for (Row failure : summary) {
      if (UNREADABLE_FILE.equals(failure.getAs("reason"))) {
        String file = failure.getAs("source_file");
        badFiles.put(file, file + ": cannot be read to the end, " + failure.getAs("detail"));
      }
    }
    double maxRatio = context.config().maxRejectRatio();
    Map<String, long[]> perFile = new LinkedHashMap<>();
    for (Row row : countRows) {
      long[] sums = perFile.computeIfAbsent(row.getString(0), f -> new long[4]);
      sums[0] += row.getLong(ROWS_READ);
      sums[1] += row.getLong(ROWS_REJECTED);
      sums[2] += row.getLong(ROWS_KEPT);
      sums[3] += row.getLong(ROWS_REJECTED_IN_SCOPE);
    }
    for (Map.Entry<String, long[]> e : perFile.entrySet()) {
      long read = e.getValue()[0];
      long rejected = e.getValue()[1];
      // Over all lines, a bulk file whose mineral lines are half rejected shows 3 %: the ratio
      // that matters is over the lines in scope, the minerals' lines the run would keep.
      long inScope = e.getValue()[2] + e.getValue()[3];
      long rejectedInScope = e.getValue()[3];
      boolean tooManyOverall = read > 0 && (double) rejected / read > maxRatio;
      boolean tooManyInScope = inScope > 0 && (double) rejectedInScope / inScope > maxRatio;
      if ((tooManyOverall || tooManyInScope) && !badFiles.containsKey(e.getKey())) {
        List<String> reasons = stream.filter(col("source_file").equalTo(e.getKey())
                .and(col("kind").equalTo(IngestStream.REJECTED)))
            .groupBy("reason").count().orderBy(col("count").desc()).limit(3)
            .collectAsList().stream().map(r -> r.getString(0) + " " + r.getLong(1)).toList();
        badFiles.put(e.getKey(), String.format(java.util.Locale.ROOT, "%s: %d of %d data lines "
                + "rejected (%.1f%%), %d of the %d lines of mapped minerals (%.1f%%), above "
                + "ingest.max_reject_ratio %.3f; most common reasons: %s; see %s",
            e.getKey(), rejected, read, 100.0 * rejected / read, rejectedInScope, inScope,
            inScope == 0 ? 0.0 : 100.0 * rejectedInScope / inScope, maxRatio,
            String.join(", ", reasons), context.warehouse().tableName(Tables.REJECTED_RECORDS)));
      }
    }
  }
}
