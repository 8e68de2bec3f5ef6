package org.critmin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.critmin.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Path LOCAL = Path.of(CommandResult.home(), "conf/local.conf");

  @TempDir
  Path dir;

  @Test
  void localConfigLayersOverBase() {
    CritminConfig config = ConfigLoader.load(LOCAL, List.of());
    assertEquals("warehouse", config.warehouse());
    assertEquals(4, config.shufflePartitions());
    assertEquals(0.05, config.maxRejectRatio());
    assertEquals(List.of("CHN", "HKG", "MAC"), config.chinaLinked());
    assertTrue(config.fixedBlocs().get(config.bloc()).contains("JPN"));
    assertEquals(Location.of(LOCAL.getParent().resolve("reference")), config.referenceDir());
  }

  @Test
  void commandLineOverridesWin() {
    CritminConfig config = ConfigLoader.load(LOCAL, List.of("ingest.max_reject_ratio=0.2",
        "spark.settings.\"spark.driver.memory\"=2g", "concentration.thresholds.high=1800"));
    assertEquals(0.2, config.maxRejectRatio());
    assertEquals("2g", config.sparkSettings().get("spark.driver.memory"));
    assertEquals(1800.0, config.highThreshold());
  }

  @Test
  void clusterConfigLoads() {
    CritminConfig config = ConfigLoader.load(Path.of(CommandResult.home(), "conf/cluster.conf"),
        List.of());
    assertEquals(200, config.shufflePartitions());
  }

  @Test
  void problemsNameTheKey() throws IOException {
    Path file = dir.resolve("bad.conf");
    Files.writeString(file, "include \"" + LOCAL.getParent().resolve("base.conf")
        + "\"\nconcentration { tresholds { high = 10 } }\n");
    UserInputException unknown = assertThrows(UserInputException.class,
        () -> ConfigLoader.load(file, List.of()));
    assertTrue(unknown.getMessage().contains("concentration.tresholds.high"),
        unknown.getMessage());

    UserInputException type = assertThrows(UserInputException.class,
        () -> ConfigLoader.load(LOCAL, List.of("spark.shuffle_partitions=many")));
    assertTrue(type.getMessage().contains("spark.shuffle_partitions"), type.getMessage());

    UserInputException bloc = assertThrows(UserInputException.class,
        () -> ConfigLoader.load(LOCAL, List.of("concentration.bloc=nato")));
    assertTrue(bloc.getMessage().contains("concentration.bloc"), bloc.getMessage());

    UserInputException iso = assertThrows(UserInputException.class,
        () -> ConfigLoader.load(LOCAL, List.of("concentration.concern.countries=[china]")));
    assertTrue(iso.getMessage().contains("'china' is not an ISO3 code"), iso.getMessage());

    UserInputException group = assertThrows(UserInputException.class,
        () -> ConfigLoader.load(LOCAL, List.of("concentration.resource_groups=[americas]")));
    assertTrue(group.getMessage().contains("'concentration.resource_groups' names 'americas'"),
        group.getMessage());
    assertEquals(List.of("western_hemisphere", "msp", "us_deal_partners_now", "g7", "eu27"),
        ConfigLoader.load(LOCAL, List.of()).resourceGroups());

    UserInputException prefix = assertThrows(UserInputException.class,
        () -> ConfigLoader.load(LOCAL, List.of("database_prefix=\"x; DROP TABLE y\"")));
    assertTrue(prefix.getMessage().contains("database_prefix"), prefix.getMessage());

    UserInputException stale = assertThrows(UserInputException.class,
        () -> ConfigLoader.load(LOCAL, List.of("writer_lock.stale_seconds=0")));
    assertTrue(stale.getMessage().contains("'writer_lock.stale_seconds' must be positive"),
        stale.getMessage());
  }

  @Test
  void writerLockSettingsDefaultAndOverride() {
    assertEquals(new CritminConfig.WriterLockSettings(600, 300),
        ConfigLoader.load(LOCAL, List.of()).writerLock());
    assertEquals(new CritminConfig.WriterLockSettings(2, 300),
        ConfigLoader.load(LOCAL, List.of("writer_lock.wait_seconds=2")).writerLock());
  }
}
