package org.critmin.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CodecPool;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.io.compress.Decompressor;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;

/**
 * The lines of text files in bounded memory. Hadoop's line reader grows its buffer to the longest
 * line by copying (a 587 KB gzip holding one 600 MB line of commas took 7.4 GB), and with a
 * length limit it drops long lines without a trace. Here a line is handed on cut to
 * {@code ingest.max_line_bytes}, with its true length, so the reader can reject it as
 * {@code line_too_long}; and a compressed file is read through an {@link ExpansionLimit}.
 *
 * <p>Splits as Hadoop's text input: an uncompressed file at block boundaries, each line read by
 * the split where it starts; a compressed file whole. Lines end at LF, CR or CRLF; the key is the
 * line's first byte offset (in the decompressed stream for a compressed file).
 */
public final class BoundedLines extends FileInputFormat<LongWritable, BoundedLines.Line> {
  /** Hadoop configuration keys the reader takes its limits from. */
  static final String MAX_LINE_BYTES = "critmin.ingest.max_line_bytes";
  static final String MAX_EXPANSION = "critmin.ingest.max_gzip_ratio";

  /** One line's first bytes (at most the limit) and its true length. */
  public static final class Line extends Text {
    private long bytes;

    /** The line's length in bytes, without its end; above {@link #getLength} when it was cut. */
    public long bytes() {
      return bytes;
    }

    public boolean isCut() {
      return bytes > getLength();
    }
  }

  /** Sets the limits on {@code conf}, a job configuration the reader is created from. */
  static void configure(Configuration conf, int maxLineBytes, double maxExpansion) {
    conf.setInt(MAX_LINE_BYTES, maxLineBytes);
    conf.setDouble(MAX_EXPANSION, maxExpansion);
  }

  /** Exactly the configured input files: see {@link #literalStatus}. */
  @Override
  protected List<FileStatus> listStatus(JobContext job) throws IOException {
    return literalStatus(job);
  }

  /**
   * The status of each input path of {@code job}, its name taken literally. Hadoop's own listing
   * globs every input, and its globber fails on a colon in a name and expands glob characters;
   * ingest names each file it reads, so there is nothing to expand.
   */
  static List<FileStatus> literalStatus(JobContext job) throws IOException {
    List<FileStatus> files = new ArrayList<>();
    for (Path path : getInputPaths(job)) {
      files.add(path.getFileSystem(job.getConfiguration()).getFileStatus(path));
    }
    return files;
  }

  @Override
  protected boolean isSplitable(JobContext context, Path file) {
    return new CompressionCodecFactory(context.getConfiguration()).getCodec(file) == null;
  }

  @Override
  public org.apache.hadoop.mapreduce.RecordReader<LongWritable, Line> createRecordReader(
      InputSplit split, TaskAttemptContext context) {
    return new Reader();
  }

  /** Reads the lines of one split. */
  static final class Reader extends org.apache.hadoop.mapreduce.RecordReader<LongWritable, Line> {
    private static final int BUFFER_BYTES = 1 << 16;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int bufferPos;
    private int bufferEnd;
    private final LongWritable key = new LongWritable();
    private final Line value = new Line();
    private InputStream in;
    private Decompressor decompressor;
    private String file;
    private int maxLineBytes;
    private long start;
    private long end;
    /** Offset of the next unread byte (decompressed bytes for a compressed file). */
    private long pos;

    @Override
    public void initialize(InputSplit genericSplit, TaskAttemptContext context) throws IOException {
      FileSplit split = (FileSplit) genericSplit;
      Configuration conf = context.getConfiguration();
      open(split.getPath(), split.getStart(), split.getLength(), conf);
    }

    /** Opens {@code length} bytes of {@code path} from {@code start} (a split). */
    void open(Path path, long splitStart, long length, Configuration conf) throws IOException {
      file = path.toString();
      maxLineBytes = conf.getInt(MAX_LINE_BYTES, 4 << 20);
      FileSystem fs = path.getFileSystem(conf);
      FSDataInputStream raw = fs.open(path);
      CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
      if (codec == null) {
        start = splitStart;
        end = splitStart + length;
        raw.seek(start);
        in = raw;
        pos = start;
        if (start != 0) {
          // The line under way at the split's start belongs to the split before.
          readLine();
        }
      } else {
        decompressor = CodecPool.getDecompressor(codec);
        in = new ExpansionLimit(codec.createInputStream(raw, decompressor),
            fs.getFileStatus(path).getLen(), conf.getDouble(MAX_EXPANSION, 200));
        start = 0;
        end = Long.MAX_VALUE;
      }
    }

    @Override
    public boolean nextKeyValue() throws IOException {
      if (pos > end) {
        return false;
      }
      key.set(pos);
      return readLine();
    }

    /**
     * Reads one line into {@link #value}, keeping at most {@link #maxLineBytes} of it; false at the
     * end of the input with nothing read.
     */
    private boolean readLine() throws IOException {
      value.clear();
      value.bytes = 0;
      boolean any = false;
      boolean afterCr = false;
      while (true) {
        if (bufferPos >= bufferEnd && !fill()) {
          return any;
        }
        if (afterCr) {
          if (buffer[bufferPos] == '\n') {
            bufferPos++;
            pos++;
          }
          return true;
        }
        any = true;
        int i = bufferPos;
        while (i < bufferEnd && buffer[i] != '\n' && buffer[i] != '\r') {
          i++;
        }
        int n = i - bufferPos;
        int room = (int) Math.min(n, Math.max(0, maxLineBytes - value.getLength()));
        if (room > 0) {
          value.append(buffer, bufferPos, room);
        }
        value.bytes += n;
        pos += n;
        bufferPos = i;
        if (i < bufferEnd) {
          byte terminator = buffer[i];
          bufferPos++;
          pos++;
          if (terminator == '\n') {
            return true;
          }
          afterCr = true;
        }
      }
    }

    private boolean fill() throws IOException {
      bufferEnd = in.read(buffer, 0, buffer.length);
      bufferPos = 0;
      if (bufferEnd <= 0) {
        bufferEnd = 0;
        return false;
      }
      return true;
    }

    @Override
    public LongWritable getCurrentKey() {
      return key;
    }

    @Override
    public Line getCurrentValue() {
      return value;
    }

    @Override
    public float getProgress() {
      return end == Long.MAX_VALUE || end == start ? 0f
          : Math.min(1f, (pos - start) / (float) (end - start));
    }

    @Override
    public void close() throws IOException {
      try {
        if (in != null) {
          in.close();
        }
      } finally {
        if (decompressor != null) {
          CodecPool.returnDecompressor(decompressor);
          decompressor = null;
        }
      }
    }

    @Override
    public String toString() {
      return "BoundedLines.Reader[" + file + "]";
    }
  }
}
