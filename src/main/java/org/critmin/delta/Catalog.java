package org.critmin.delta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The names analysts query ({@code <prefix>_<layer>.<table>}) and their registration: in the
 * session's catalog, for SQL, and in {@code <root>/register.sql}, for sessions critmin does not
 * reach. Identifiers are quoted wherever they enter SQL.
 */
public final class Catalog {
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(Catalog.class);
  private static final List<String> LAYERS = List.of("bronze", "silver", "gold");

  private final SparkSession spark;
  private final String root;
  private final String prefix;

  Catalog(SparkSession spark, String root, String prefix) {
    this.spark = spark;
    this.root = root;
    this.prefix = prefix;
  }

  public String database(String layer) {
    return prefix + "_" + layer;
  }

  /** The catalog name analysts query, e.g. {@code critmin_gold.supply_concentration}. */
  public String tableName(TableSpec spec) {
    return database(spec.layer()) + "." + spec.name();
  }

  /**
   * Registers every Delta table found under the warehouse root in the catalog, so that SQL sees
   * them by name; tables of other versions or added by hand are registered too.
   */
  public List<String> registerAll() {
    List<String> registered = new ArrayList<>();
    for (String layer : LAYERS) {
      for (String table : listTables(layer)) {
        createDatabase(layer);
        String name = database(layer) + "." + table;
        register(name, root + "/" + layer + "/" + table);
        registered.add(name);
      }
    }
    return registered;
  }

  /** Where {@link #writeRegisterScript} puts the script: {@code <root>/register.sql}. */
  public String registerScriptLocation() {
    return root + "/register.sql";
  }

  /**
   * Writes {@code <root>/register.sql}: one {@code CREATE DATABASE} per layer and one
   * {@code CREATE TABLE ... USING DELTA LOCATION} per table of the warehouse, for catalogs critmin
   * does not reach (a notebook's session, {@code spark-sql -i register.sql}, a metastore an
   * administrator loads). Returns the number of tables it names.
   */
  public int writeRegisterScript() {
    StringBuilder script = new StringBuilder("-- The tables of the critmin warehouse " + root
        + ", by name, for a Spark session with Delta Lake.\n-- Written by critmin; run it with "
        + "spark-sql -i register.sql, or statement by statement in a notebook.\n");
    int tables = 0;
    for (String layer : LAYERS) {
      List<String> names = listTables(layer);
      if (names.isEmpty()) {
        continue;
      }
      script.append("CREATE DATABASE IF NOT EXISTS ").append(quoteIdentifier(database(layer)))
          .append(";\n");
      for (String table : names) {
        script.append("CREATE TABLE IF NOT EXISTS ").append(quoteIdentifier(database(layer)))
            .append('.').append(quoteIdentifier(table)).append(" USING DELTA LOCATION ")
            .append(sqlString(root + "/" + layer + "/" + table)).append(";\n");
        tables++;
      }
    }
    Path file = new Path(registerScriptLocation());
    try (java.io.OutputStream out = file.getFileSystem(hadoopConf()).create(file, true)) {
      out.write(script.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return tables;
  }

  /** Registers the Delta table at {@code location} as {@code name} unless the catalog has it. */
  private void register(String name, String location) {
    if (!spark.catalog().tableExists(name)) {
      int dot = name.indexOf('.');
      spark.sql("CREATE TABLE IF NOT EXISTS " + quoteIdentifier(name.substring(0, dot)) + "."
          + quoteIdentifier(name.substring(dot + 1)) + " USING DELTA LOCATION "
          + sqlString(location));
    }
  }

  /**
   * The tables of a layer: its folders with a committed version and a plain name, sorted. A
   * folder whose log holds no version is skipped with a warning.
   */
  private List<String> listTables(String layer) {
    Path dir = new Path(root + "/" + layer);
    List<String> tables = new ArrayList<>();
    try {
      FileSystem fs = dir.getFileSystem(hadoopConf());
      if (!fs.exists(dir)) {
        return tables;
      }
      for (FileStatus status : fs.listStatus(dir)) {
        FileStatus[] versions = status.isDirectory()
            ? TableLog.versionFiles(hadoopConf(), status.getPath()) : null;
        if (versions == null || !Warehouse.IDENTIFIER.matcher(status.getPath().getName())
            .matches()) {
          continue;
        }
        if (versions.length > 0) {
          tables.add(status.getPath().getName());
        } else {
          LOG.warn("skipped {}: its _delta_log holds no committed version (a run died creating "
              + "the table); the next command that writes the table replaces the folder",
              status.getPath());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    tables.sort(String::compareTo);
    return tables;
  }

  private void createDatabase(String layer) {
    String db = database(layer);
    if (!spark.catalog().databaseExists(db)) {
      spark.sql("CREATE DATABASE IF NOT EXISTS " + quoteIdentifier(db));
    }
  }

  private Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /** A SQL identifier in backquotes, backquotes inside doubled. */
  public static String quoteIdentifier(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** A SQL string literal: the value quoted, with quotes and backslashes escaped. */
  public static String sqlString(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
