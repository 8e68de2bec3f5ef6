package org.critmin.run;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart;

/**
 * Counts the work Spark does for a run: Spark jobs started and SQL executions started (nested
 * ones included), as a {@link SparkListener} sees them. Unlike wall time these counts do not
 * depend on the machine or its load, so a test can hold a run to a budget of them
 * (docs/performance.md, "Work budget").
 *
 * <p>Listener events arrive on Spark's listener bus thread, after the fact; {@link #snapshot}
 * first waits for the bus to deliver what was posted, so a count read after a stage includes all
 * of that stage's work.
 */
public final class WorkCounter extends SparkListener {

  /** How Delta names the query that rebuilds a table version's state from its log. */
  static final String STATE_REBUILD = "Delta: Compute snapshot for version";

  private final AtomicLong jobs = new AtomicLong();
  private final AtomicLong sqlExecutions = new AtomicLong();
  private final AtomicLong stateRebuilds = new AtomicLong();
  private final SparkContext context;

  /**
   * Spark jobs and SQL executions counted so far, and among the executions Delta's rebuilds of a
   * table version's state (a run that only writes new tables needs none).
   */
  public record Work(long sqlExecutions, long jobs, long stateRebuilds) {

    /** The work done since {@code earlier}. */
    public Work minus(Work earlier) {
      return new Work(sqlExecutions - earlier.sqlExecutions, jobs - earlier.jobs,
          stateRebuilds - earlier.stateRebuilds);
    }

    @Override
    public String toString() {
      return sqlExecutions + " SQL executions, " + jobs + " Spark jobs, " + stateRebuilds
          + " Delta state rebuilds";
    }
  }

  private WorkCounter(SparkContext context) {
    this.context = context;
  }

  /** A counter listening to {@code context} until {@link #close}. */
  public static WorkCounter attach(SparkContext context) {
    WorkCounter counter = new WorkCounter(context);
    context.addSparkListener(counter);
    return counter;
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    jobs.incrementAndGet();
  }

  @Override
  public void onOtherEvent(SparkListenerEvent event) {
    if (event instanceof SparkListenerSQLExecutionStart start) {
      sqlExecutions.incrementAndGet();
      if (start.description() != null && start.description().startsWith(STATE_REBUILD)) {
        stateRebuilds.incrementAndGet();
      }
    }
  }

  /** The counts so far, once the listener bus has delivered every event posted before the call. */
  public Work snapshot() {
    drain();
    return new Work(sqlExecutions.get(), jobs.get(), stateRebuilds.get());
  }

  /** Stops listening. */
  public void close() {
    context.removeSparkListener(this);
  }

  private void drain() {
    try {
      // Waits until the bus queues are empty (bounded, so a stuck listener cannot hang a run).
      context.listenerBus().waitUntilEmpty(10_000);
    } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
      // A stopped context has no bus to wait for, and a slow one is not worth a failed run: the
      // counts are then as good as they get.
    }
  }
}
