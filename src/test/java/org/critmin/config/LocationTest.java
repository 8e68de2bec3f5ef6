package org.critmin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where configuration and reference files are found: local, any Hadoop URI, the jar. */
class LocationTest {
  @TempDir
  Path dir;

  @Test
  void aPathWithoutSchemeIsLocalWhateverTheDefaultFileSystem() throws Exception {
    Path file = Files.writeString(dir.resolve("a b.csv"), "x\n");
    Location local = Location.of(file.toString());
    assertTrue(local.uri().startsWith("file:/"), local.uri());
    assertEquals(file.toString(), local.toString());
    Configuration hdfsDefault = new Configuration();
    hdfsDefault.set("fs.defaultFS", "hdfs://namenode.invalid:8020");
    try (InputStream in = local.open(hdfsDefault)) {
      assertEquals("x\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void relativeNamesResolveBesideTheFolderWhateverTheScheme() {
    assertEquals("s3a://bucket/conf/reference/wgi/wgi_pv.csv",
        Location.of("s3a://bucket/conf/cluster.conf").parent().resolve("reference")
            .resolve("wgi/wgi_pv.csv").uri());
    assertEquals("classpath:critmin/reference/countries.csv",
        Location.of("classpath:critmin/cluster.conf").parent().resolve("reference")
            .resolve("countries.csv").uri());
    assertEquals(Location.of(dir.resolve("ref")), Location.of(dir.resolve("conf/x.conf"))
        .parent().resolve("../ref"));
    assertEquals("hdfs://nn/shared/reference",
        Location.of(dir.toString()).resolve("hdfs://nn/shared/reference").uri());
  }

  @Test
  void theShippedReferenceTablesAreOnTheClasspath() throws Exception {
    Location countries = Location.of("classpath:critmin/reference/countries.csv");
    try (InputStream in = countries.open(new Configuration())) {
      String header = new String(in.readNBytes(200), StandardCharsets.UTF_8).lines().findFirst()
          .orElseThrow();
      assertEquals(Files.readAllLines(Path.of(org.critmin.CommandResult.home(),
          "conf/reference/countries.csv")).get(0).replace("\uFEFF", ""),
          header.replace("\uFEFF", ""));
    }
    assertThrows(FileNotFoundException.class,
        () -> Location.of("classpath:critmin/none.csv").open(new Configuration()));
  }
}
