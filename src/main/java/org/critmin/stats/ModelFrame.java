package org.critmin.stats;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * An estimation sample as {@link Blocks}: the frame of a {@link Design} converted once into
 * primitive arrays, fixed-effect levels and cluster groups replaced by dense indices; held in the
 * driver's memory ({@link #inMemory}) or as a persisted RDD on the executors
 * ({@link #distributed}).
 *
 * <p>Why blocks: absorbing fixed effects takes tens to hundreds of passes over the data, an IRLS fit
 * several times that. As Spark SQL jobs each pass costs a query plan, a shuffle per fixed effect and
 * the evaluation of generic expressions per value; over a block of arrays it is one Spark task per
 * partition running a loop, and the per-level sums it produces are small (levels x variables
 * doubles). The data stay on the executors: the driver only ever holds per-level vectors, k x k
 * matrices and counts.
 *
 * <p>Memory: about {@code 8 (1 + k) + 4 (fixed effects + cluster variables)} bytes a row on the
 * executors (persisted deserialized, {@code MEMORY_AND_DISK}), plus 16 bytes a row for the working
 * response and weights of a PPML step.
 *
 * <p>On the executors, levels are indexed by joining each fixed-effect (and cluster) column with its
 * distinct values numbered by {@code zipWithIndex}: a broadcast join up to
 * {@link #BROADCAST_LEVELS} levels, a shuffle join beyond, so no number of levels has to fit on the
 * driver. In memory they are numbered in order of first appearance.
 */
final class ModelFrame {

  /** The blocks. */
  final Blocks blocks;
  /** Number of regressors. */
  final int k;
  /** Number of levels of each fixed effect (indices are below it; some may have no rows left). */
  final int[] levels;
  /** Number of groups of each cluster variable. */
  final int[] clusterGroups;
  /** Number of rows. */
  final long rows;

  private ModelFrame(Blocks blocks, int k, int[] levels, int[] clusterGroups, long rows) {
    this.blocks = blocks;
    this.k = k;
    this.levels = levels;
    this.clusterGroups = clusterGroups;
    this.rows = rows;
  }

  /**
   * Largest number of levels for which the level dictionary is broadcast to the join (Spark collects
   * it to the driver: about 100 bytes a level) rather than shuffled with the frame.
   */
  static final long BROADCAST_LEVELS = 2_000_000;

  private static final Logger LOG = LogManager.getLogger(ModelFrame.class);

  /**
   * The sample of {@code n} complete rows held in memory as one block: outcome {@code y},
   * regressors {@code x[j]}, and the fixed-effect and cluster levels {@code fe[d]},
   * {@code clusters[c]} as strings (arrays may be longer than n).
   */
  static ModelFrame inMemory(int n, double[] y, double[][] x, String[][] fe, String[][] clusters) {
    int[] levels = new int[fe.length];
    int[][] feIndex = new int[fe.length][];
    for (int d = 0; d < fe.length; d++) {
      feIndex[d] = index(fe[d], n);
      levels[d] = distinct(feIndex[d]);
    }
    int[] groups = new int[clusters.length];
    int[][] clusterIndex = new int[clusters.length][];
    for (int c = 0; c < clusters.length; c++) {
      clusterIndex[c] = index(clusters[c], n);
      groups[c] = distinct(clusterIndex[c]);
    }
    double[][] xs = new double[x.length][];
    for (int j = 0; j < x.length; j++) {
      xs[j] = Arrays.copyOf(x[j], n);
    }
    double[] ys = Arrays.copyOf(y, n);
    Block block = new Block(n, ys, xs, feIndex, clusterIndex, ys, null);
    return new ModelFrame(Blocks.inMemory(List.of(block)), x.length, levels, groups, n);
  }

  /** The first n values numbered 0, 1, ... in order of first appearance. */
  private static int[] index(String[] values, int n) {
    java.util.Map<String, Integer> numbers = new java.util.HashMap<>();
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      index[i] = numbers.computeIfAbsent(values[i], v -> numbers.size());
    }
    return index;
  }

  private static int distinct(int[] index) {
    int max = -1;
    for (int i : index) {
      max = Math.max(max, i);
    }
    return max + 1;
  }

  /**
   * The blocks of {@code frame}: outcome {@code y}, double regressors {@code xCols}, and the
   * fixed-effect and cluster columns (any type; compared as strings), rows complete.
   */
  static ModelFrame distributed(Dataset<Row> frame, String y, List<String> xCols,
      List<String> feCols, List<String> clusterCols) {
    long start = System.nanoTime();
    SparkSession spark = frame.sparkSession();
    Dataset<Row> source = frame.persist(StorageLevel.MEMORY_AND_DISK());
    List<Dataset<Row>> dictionaries = new ArrayList<>();
    try {
      List<Column> select = new ArrayList<>();
      select.add(col(y).cast("double"));
      for (String x : xCols) {
        select.add(col(x).cast("double"));
      }
      Dataset<Row> indexed = source;
      int[] levels = new int[feCols.size()];
      for (int d = 0; d < feCols.size(); d++) {
        String index = "__fei" + d;
        Tuple2<Dataset<Row>, Integer> joined = index(indexed, feCols.get(d), index, dictionaries);
        indexed = joined._1();
        levels[d] = joined._2();
        select.add(col(index));
      }
      int[] groups = new int[clusterCols.size()];
      for (int c = 0; c < clusterCols.size(); c++) {
        int d = feCols.indexOf(clusterCols.get(c));
        if (d >= 0) {
          groups[c] = levels[d];
          select.add(col("__fei" + d));
          continue;
        }
        String index = "__cli" + c;
        Tuple2<Dataset<Row>, Integer> joined = index(indexed, clusterCols.get(c), index,
            dictionaries);
        indexed = joined._1();
        groups[c] = joined._2();
        select.add(col(index));
      }
      JavaRDD<Row> rows = indexed.select(select.toArray(Column[]::new)).javaRDD();
      int parallelism = spark.sparkContext().defaultParallelism();
      if (rows.getNumPartitions() > parallelism) {
        rows = rows.coalesce(parallelism);
      }
      int k = xCols.size();
      int q = feCols.size();
      int c = clusterCols.size();
      Blocks blocks = Blocks.distributed(rows.mapPartitions(
          it -> List.of(toBlock(it, k, q, c)).iterator()).persist(StorageLevel.MEMORY_AND_DISK()));
      long n = blocks.aggregate(b -> (long) b.n, Long::sum);
      LOG.info("estimation sample: {} rows in {} blocks, fixed-effect levels {}, cluster groups {}, "
          + "{} s", n, blocks.count(), Arrays.toString(levels), Arrays.toString(groups),
          String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
      return new ModelFrame(blocks, k, levels, groups, n);
    } finally {
      source.unpersist();
      dictionaries.forEach(Dataset::unpersist);
    }
  }

  /**
   * Joins {@code frame} with the distinct values of {@code column} numbered 0, 1, ...; returns the
   * frame with the index in {@code index} and the number of values.
   */
  private static Tuple2<Dataset<Row>, Integer> index(Dataset<Row> frame, String column,
      String index, List<Dataset<Row>> dictionaries) {
    SparkSession spark = frame.sparkSession();
    JavaRDD<Row> numbered = frame.select(col(column).cast("string")).distinct().javaRDD()
        .zipWithIndex().map(t -> RowFactory.create(t._1().getString(0), (int) (long) t._2()));
    StructType schema = new StructType().add("__level", DataTypes.StringType, false)
        .add(index, DataTypes.IntegerType, false);
    Dataset<Row> dictionary = spark.createDataFrame(numbered, schema)
        .persist(StorageLevel.MEMORY_AND_DISK());
    dictionaries.add(dictionary);
    long count = dictionary.count();
    if (count > Integer.MAX_VALUE) {
      throw new IllegalStateException(column + " has more than 2^31 levels");
    }
    Dataset<Row> small = count <= BROADCAST_LEVELS ? broadcast(dictionary) : dictionary;
    Dataset<Row> joined = frame.join(small,
        col(column).cast("string").equalTo(dictionary.col("__level"))).drop("__level");
    return new Tuple2<>(joined, (int) count);
  }

  private static Block toBlock(Iterator<Row> it, int k, int q, int c) {
    int capacity = 1024;
    double[] y = new double[capacity];
    double[][] x = new double[k][capacity];
    int[][] fe = new int[q][capacity];
    int[][] cl = new int[c][capacity];
    int n = 0;
    while (it.hasNext()) {
      Row r = it.next();
      if (n == capacity) {
        capacity = capacity * 2;
        y = Arrays.copyOf(y, capacity);
        for (int j = 0; j < k; j++) {
          x[j] = Arrays.copyOf(x[j], capacity);
        }
        for (int d = 0; d < q; d++) {
          fe[d] = Arrays.copyOf(fe[d], capacity);
        }
        for (int g = 0; g < c; g++) {
          cl[g] = Arrays.copyOf(cl[g], capacity);
        }
      }
      y[n] = r.getDouble(0);
      for (int j = 0; j < k; j++) {
        x[j][n] = r.getDouble(1 + j);
      }
      for (int d = 0; d < q; d++) {
        fe[d][n] = r.getInt(1 + k + d);
      }
      for (int g = 0; g < c; g++) {
        cl[g][n] = r.getInt(1 + k + q + g);
      }
      n++;
    }
    y = Arrays.copyOf(y, n);
    for (int j = 0; j < k; j++) {
      x[j] = Arrays.copyOf(x[j], n);
    }
    for (int d = 0; d < q; d++) {
      fe[d] = Arrays.copyOf(fe[d], n);
    }
    for (int g = 0; g < c; g++) {
      cl[g] = Arrays.copyOf(cl[g], n);
    }
    return new Block(n, y, x, fe, cl, y, null);
  }

  /** The same sample with other blocks of {@code rows} rows. */
  ModelFrame withBlocks(Blocks other, long otherRows) {
    return new ModelFrame(other, k, levels, clusterGroups, otherRows);
  }

  /** Number of fixed effects. */
  int q() {
    return levels.length;
  }
}
