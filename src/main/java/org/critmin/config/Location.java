package org.critmin.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;

/**
 * A configuration file or reference folder as the user named it: a local path, a Hadoop URI
 * ({@code s3a://}, {@code hdfs://}, {@code file:}) or {@code classpath:name}, a resource of the
 * application jar (the shipped configuration and reference data, docs/usage.md "On a cluster").
 *
 * <p>A path without a scheme is always local, whatever the cluster's default file system: on YARN
 * or EMR {@code fs.defaultFS} is HDFS, where a driver-local path would not be found.
 */
public record Location(String uri) {

  private static final String CLASSPATH = "classpath:";
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

  /** One spelling per location: {@code file:///a/b} for local files, no trailing slash. */
  public Location {
    if (uri.startsWith("file:")) {
      uri = Path.of(URI.create(uri)).toUri().toString();
    }
    if (uri.endsWith("/") && !uri.endsWith("://") && !uri.equals("file:///")) {
      uri = uri.substring(0, uri.length() - 1);
    }
  }

  /** The location {@code text} names; a scheme-less path is made absolute on the local disk. */
  public static Location of(String text) {
    if (text.startsWith(CLASSPATH)) {
      return new Location(CLASSPATH + URI.create(text.substring(CLASSPATH.length()))
          .normalize().getPath().replaceFirst("^/+", ""));
    }
    if (SCHEME.matcher(text).matches()) {
      return new Location(text);
    }
    return of(Path.of(text));
  }

  /** A local file or folder. */
  public static Location of(Path path) {
    return new Location(path.toAbsolutePath().normalize().toUri().toString());
  }

  /** Whether this is a resource of the application jar. */
  public boolean onClasspath() {
    return uri.startsWith(CLASSPATH);
  }

  /** The classpath resource name ({@code critmin/base.conf}); only for {@link #onClasspath}. */
  public String resource() {
    return uri.substring(CLASSPATH.length());
  }

  /**
   * {@code child} taken relative to this folder, unless it is absolute or has a scheme of its own.
   */
  public Location resolve(String child) {
    if (child.startsWith("/") || SCHEME.matcher(child).matches()) {
      return of(child);
    }
    if (onClasspath()) {
      String base = resource().isEmpty() || resource().endsWith("/") ? resource()
          : resource() + "/";
      return of(CLASSPATH + base + child);
    }
    String base = uri.endsWith("/") ? uri : uri + "/";
    return new Location(URI.create(base).resolve(URI.create(encode(child)))
        .normalize().toString());
  }

  /** The folder holding this file. */
  public Location parent() {
    if (onClasspath()) {
      String name = resource();
      int slash = name.lastIndexOf('/');
      return new Location(CLASSPATH + (slash < 0 ? "" : name.substring(0, slash)));
    }
    String path = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    return new Location(path.substring(0, path.lastIndexOf('/') + 1));
  }

  /** Opens the file: a classpath resource, or any file system Hadoop knows. */
  public InputStream open(Configuration hadoop) throws IOException {
    if (onClasspath()) {
      InputStream in = Thread.currentThread().getContextClassLoader()
          .getResourceAsStream(resource());
      if (in == null) {
        throw new java.io.FileNotFoundException("no resource " + resource()
            + " in the application jar");
      }
      return in;
    }
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(URI.create(uri));
    return path.getFileSystem(hadoop).open(path);
  }

  /**
   * A Hadoop configuration for reading files before any Spark session exists: the
   * {@code spark.hadoop.*} settings spark-submit passes as system properties (s3a endpoint,
   * credentials provider) apply.
   */
  public static Configuration hadoopFromSystemProperties() {
    Configuration hadoop = new Configuration();
    for (Map.Entry<Object, Object> p : System.getProperties().entrySet()) {
      String key = String.valueOf(p.getKey());
      if (key.startsWith("spark.hadoop.")) {
        hadoop.set(key.substring("spark.hadoop.".length()), String.valueOf(p.getValue()));
      }
    }
    return hadoop;
  }

  /** Spaces and other characters a URI path may not hold, escaped; slashes kept. */
  private static String encode(String child) {
    return new org.apache.hadoop.fs.Path(child).toUri().getRawPath();
  }

  /** As the user would write it: a local path without {@code file:}, anything else as it is. */
  @Override
  public String toString() {
    return uri.startsWith("file:") ? Path.of(URI.create(uri)).toString() : uri;
  }
}
