package org.critmin.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The {@link Block}s of an estimation sample and the passes the estimators make over them, in one
 * of two places: the driver's memory ({@link #inMemory}) for samples small enough to hold there,
 * or a persisted RDD on the executors ({@link #distributed}). Every kernel (demeaning sweeps,
 * cross products, scores) is a function of one block, so both run the same code and give the
 * same numbers; only the plumbing differs. In memory a pass is a loop; on Spark it is one job
 * (a {@code treeReduce} of the per-block results), which costs about 50 ms of scheduling even
 * for a few rows, hundreds of times per fit.
 */
abstract class Blocks {

  /**
   * Combines {@code perBlock} over every block with {@code combine} (which may update and return
   * its first argument). {@code shared} is handed to every call: on Spark it is broadcast once.
   */
  abstract <S, T> T aggregate(S shared, Function2<Block, S, T> perBlock,
      Function2<T, T, T> combine);

  /** {@link #aggregate(Object, Function2, Function2)} without a shared value. */
  final <T> T aggregate(Function<Block, T> perBlock, Function2<T, T, T> combine) {
    return aggregate(null, (b, unused) -> perBlock.call(b), combine);
  }

  /** The blocks made by {@code f} from these (kept until {@link #release}). */
  abstract Blocks map(Function<Block, Block> f);

  /**
   * Sums, over the groups g found in the blocks, {@code ofGroup(S_g)} where {@code S_g} is the
   * sum of the vectors {@code perBlock} gives for g in every block (a group may span blocks).
   */
  abstract double[] sumOverGroups(Function<Block, Map<Long, double[]>> perBlock,
      Function<double[], double[]> ofGroup);

  /** Frees the blocks (unpersists them on Spark). */
  abstract void release();

  /** Number of blocks. */
  abstract int count();

  /** Where the blocks are, for logs: {@code memory} or {@code spark}. */
  abstract String where();

  /** The blocks, on the driver (tests). */
  abstract List<Block> collect();

  static Blocks inMemory(List<Block> blocks) {
    return new InMemory(List.copyOf(blocks));
  }

  /** Blocks of a persisted RDD; {@link #release} unpersists it. */
  static Blocks distributed(JavaRDD<Block> blocks) {
    return new Distributed(blocks);
  }

  private static final class InMemory extends Blocks {
    private final List<Block> blocks;

    InMemory(List<Block> blocks) {
      this.blocks = blocks;
    }

    @Override
    <S, T> T aggregate(S shared, Function2<Block, S, T> perBlock, Function2<T, T, T> combine) {
      T result = null;
      for (Block b : blocks) {
        T part = call(() -> perBlock.call(b, shared));
        T sum = result;
        result = sum == null ? part : call(() -> combine.call(sum, part));
      }
      return result;
    }

    @Override
    Blocks map(Function<Block, Block> f) {
      List<Block> out = new ArrayList<>(blocks.size());
      for (Block b : blocks) {
        out.add(call(() -> f.call(b)));
      }
      return new InMemory(out);
    }

    @Override
    double[] sumOverGroups(Function<Block, Map<Long, double[]>> perBlock,
        Function<double[], double[]> ofGroup) {
      Map<Long, double[]> sums = new HashMap<>();
      for (Block b : blocks) {
        for (Map.Entry<Long, double[]> e : call(() -> perBlock.call(b)).entrySet()) {
          double[] sum = sums.get(e.getKey());
          if (sum == null) {
            sums.put(e.getKey(), e.getValue());
          } else {
            FixedEffects.addInPlace(sum, e.getValue());
          }
        }
      }
      double[] total = null;
      for (double[] groupSum : sums.values()) {
        double[] part = call(() -> ofGroup.call(groupSum));
        total = total == null ? part : FixedEffects.addInPlace(total, part);
      }
      return total;
    }

    @Override
    void release() {}

    @Override
    int count() {
      return blocks.size();
    }

    @Override
    String where() {
      return "memory";
    }

    @Override
    List<Block> collect() {
      return blocks;
    }

    private interface Call<T> {
      T run() throws Exception;
    }

    /** Runs a Spark function on the driver: its checked exceptions are bugs, rethrown unchecked. */
    private static <T> T call(Call<T> call) {
      try {
        return call.run();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static final class Distributed extends Blocks {
    private final JavaRDD<Block> blocks;

    Distributed(JavaRDD<Block> blocks) {
      this.blocks = blocks;
    }

    @Override
    <S, T> T aggregate(S shared, Function2<Block, S, T> perBlock, Function2<T, T, T> combine) {
      if (shared == null) {
        return blocks.map(b -> perBlock.call(b, null)).treeReduce(combine);
      }
      Broadcast<S> value = JavaSparkContext.fromSparkContext(blocks.context()).broadcast(shared);
      try {
        return blocks.map(b -> perBlock.call(b, value.value())).treeReduce(combine);
      } finally {
        value.destroy();
      }
    }

    @Override
    Blocks map(Function<Block, Block> f) {
      return new Distributed(blocks.map(f).persist(StorageLevel.MEMORY_AND_DISK()));
    }

    @Override
    double[] sumOverGroups(Function<Block, Map<Long, double[]>> perBlock,
        Function<double[], double[]> ofGroup) {
      return blocks.mapPartitionsToPair(it -> {
        Map<Long, double[]> sums = new HashMap<>();
        while (it.hasNext()) {
          for (Map.Entry<Long, double[]> e : perBlock.call(it.next()).entrySet()) {
            sums.merge(e.getKey(), e.getValue(), FixedEffects::addInPlace);
          }
        }
        Iterator<Tuple2<Long, double[]>> out = sums.entrySet().stream()
            .map(e -> new Tuple2<>(e.getKey(), e.getValue())).iterator();
        return out;
      }).reduceByKey(FixedEffects::addInPlace).values().map(ofGroup)
          .treeReduce(FixedEffects::addInPlace);
    }

    @Override
    void release() {
      blocks.unpersist(false);
    }

    @Override
    int count() {
      return blocks.getNumPartitions();
    }

    @Override
    String where() {
      return "spark";
    }

    @Override
    List<Block> collect() {
      return blocks.collect();
    }
  }
}
