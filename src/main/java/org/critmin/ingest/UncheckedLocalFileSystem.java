package org.critmin.ingest;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocalFileSystem;

/**
 * The local file system as ingest reads it: without Hadoop's checksum files. Reading through the
 * checksum layer looks for a {@code .name.crc} beside each file, a name Hadoop cannot even form
 * when the file's name has a colon ({@code comtrade_2024-01-01T10:00:00.csv}); input files have no
 * checksum files anyway. Still a {@link LocalFileSystem}, which Spark's Hadoop RDDs require.
 */
public final class UncheckedLocalFileSystem extends LocalFileSystem {
  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    setVerifyChecksum(false);
  }
}
