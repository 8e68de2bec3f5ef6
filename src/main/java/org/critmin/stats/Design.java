package org.critmin.stats;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A formula resolved against data (see {@link Formula#design}): the estimation frame with the
 * outcome {@link Formula#Y}, regressors {@code xCols}, fixed effects {@code feCols} and cluster
 * variables {@code clusterCols}, complete rows only.
 *
 * @param formula the parsed formula
 * @param frame the estimation frame (lazy)
 * @param terms term names, one per regressor column, in order
 * @param xCols regressor column names in {@code frame}
 * @param feCols fixed-effect column names in {@code frame} (strings)
 * @param clusterCols cluster column names in {@code frame} (strings)
 * @param clusterNames the cluster variables as the user named them
 * @param source the data the frame was built from
 */
public record Design(Formula formula, Dataset<Row> frame, List<String> terms, List<String> xCols,
    List<String> feCols, List<String> clusterCols, List<String> clusterNames, Dataset<Row> source) {

  /** Number of regressors (slopes, plus the intercept when there are no fixed effects). */
  public int k() {
    return xCols.size();
  }
}
