package org.critmin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * An S3-compatible server for tests: s3proxy on 127.0.0.1 (a free port) over an in-memory jclouds
 * store, with one bucket. It checks AWS signatures against one key pair, so a request only gets
 * through with the right secret. It can be stopped and started again on the same port with the same
 * objects, to play an outage of the store.
 */
public final class S3TestServer implements AutoCloseable {
  private final BlobStoreContext context;
  private final String bucket;
  private final String accessKey;
  private final String secretKey;
  private S3Proxy proxy;
  private int port;

  public S3TestServer(String bucket, String accessKey, String secretKey) throws Exception {
    this.bucket = bucket;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    context = ContextBuilder.newBuilder("transient").credentials("unused", "unused")
        .build(BlobStoreContext.class);
    // s3a never creates buckets.
    context.getBlobStore().createContainerInLocation(null, bucket);
    start();
  }

  /** Starts serving, on the port of the previous start if there was one. */
  public synchronized void start() throws Exception {
    proxy = S3Proxy.builder().blobStore(context.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
    port = proxy.getPort();
  }

  /** Stops serving; the objects stay for the next {@link #start}. */
  public synchronized void stop() throws Exception {
    proxy.stop();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code s3a://<bucket>/<key>}. */
  public String uri(String key) {
    return "s3a://" + bucket + "/" + key;
  }

  public void upload(Path file, String key) {
    BlobStore store = context.getBlobStore();
    store.putBlob(bucket, store.blobBuilder(key).payload(file.toFile()).build());
  }

  public boolean exists(String key) {
    return context.getBlobStore().blobExists(bucket, key);
  }

  /** The keys of every object under {@code prefix}. */
  public List<String> keys(String prefix) {
    BlobStore store = context.getBlobStore();
    List<String> keys = new ArrayList<>();
    ListContainerOptions options = ListContainerOptions.Builder.recursive().prefix(prefix);
    while (true) {
      PageSet<? extends StorageMetadata> page = store.list(bucket, options);
      for (StorageMetadata entry : page) {
        keys.add(entry.getName());
      }
      if (page.getNextMarker() == null) {
        return keys;
      }
      options = ListContainerOptions.Builder.recursive().prefix(prefix)
          .afterMarker(page.getNextMarker());
    }
  }

  public byte[] read(String key) throws IOException {
    try (InputStream in = context.getBlobStore().getBlob(bucket, key).getPayload().openStream()) {
      return in.readAllBytes();
    }
  }

  /**
   * The critmin options that point s3a at this server, given as a user would: the cluster
   * configuration, with the endpoint of this store set on the command line.
   */
  public List<String> critminOptions() {
    return List.of(
        "--config", CommandResult.home() + "/conf/cluster.conf",
        "--set", hadoop("fs.s3a.endpoint", "\"" + endpoint() + "\""),
        "--set", hadoop("fs.s3a.path.style.access", "true"),
        "--set", hadoop("fs.s3a.connection.ssl.enabled", "false"),
        // Fail fast when the store is down, rather than retrying for minutes as in production.
        "--set", hadoop("fs.s3a.attempts.maximum", "1"),
        "--set", hadoop("fs.s3a.retry.limit", "1"),
        "--set", hadoop("fs.s3a.retry.interval", "\"100ms\""),
        "--set", "spark.shuffle_partitions=2");
  }

  private static String hadoop(String key, String value) {
    return "spark.settings.\"spark.hadoop." + key + "\"=" + value;
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      context.close();
    }
  }
}
