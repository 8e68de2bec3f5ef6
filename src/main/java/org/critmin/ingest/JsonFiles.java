package org.critmin.ingest;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.spark.input.StreamInputFormat;

/**
 * Spark's whole-file input format, for JSON responses, listing its input literally as the line
 * input does ({@link BoundedLines#literalStatus}).
 */
public final class JsonFiles extends StreamInputFormat {
  @Override
  protected List<FileStatus> listStatus(JobContext job) throws IOException {
    return BoundedLines.literalStatus(job);
  }
}
