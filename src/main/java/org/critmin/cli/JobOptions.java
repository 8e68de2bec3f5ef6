package org.critmin.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.critmin.config.ConfigLoader;
import org.critmin.config.CritminConfig;
import org.critmin.config.Location;
import org.critmin.config.UserInputException;
import picocli.CommandLine.Option;

/** The options every command that runs jobs shares (docs/usage.md, "Commands"). */
final class JobOptions {

  @Option(names = "--config", paramLabel = "FILE",
      description = "Configuration file (HOCON): a local path, s3a:// or another Hadoop URI, or "
          + "classpath:critmin/cluster.conf (shipped in the jar). Default: conf/local.conf of the "
          + "critmin home; under spark-submit without a home, classpath:critmin/cluster.conf.")
  String config;

  /** Not a critmin option: kept only to tell spark-submit users where their setting belongs. */
  @Option(names = "--conf", hidden = true, paramLabel = "KEY=VALUE")
  String misplacedConf;

  @Option(names = "--input", paramLabel = "PATH",
      description = "Input file, folder or glob, local or s3a://, plain or .gz (repeatable). "
          + "Default: the `input` key (sample-data/).")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--warehouse", paramLabel = "DIR",
      description = "Warehouse root, local or s3a://. Default: the `warehouse` key (./warehouse).")
  String warehouse;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one configuration key (repeatable), e.g. --set ingest.max_reject_ratio=0.1")
  List<String> settings = new ArrayList<>();

  CritminConfig load() {
    if (misplacedConf != null) {
      throw new UserInputException("--conf " + misplacedConf + " is not a critmin option: the "
          + "configuration file is --config FILE, a critmin key is --set key=value, and a Spark "
          + "setting is spark-submit's --conf key=value, given before the application jar");
    }
    List<String> overrides = new ArrayList<>(settings);
    if (warehouse != null) {
      overrides.add("warehouse=" + quoted(warehouse));
    }
    CritminConfig loaded = ConfigLoader.load(config == null ? defaultConfig()
        : Location.of(config), overrides);
    return inputs.isEmpty() ? loaded : loaded.withInputs(inputs);
  }

  /** A HOCON string literal of {@code value}, for a {@code --set}-style override. */
  static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * The system property {@code critmin.conf} if set; else conf/local.conf of the critmin home
   * ({@code critmin.home}, set by the launchers); else, under spark-submit of the application jar
   * alone, the cluster configuration shipped in it.
   */
  static Location defaultConfig() {
    String conf = System.getProperty("critmin.conf");
    if (conf != null) {
      return Location.of(conf);
    }
    String home = System.getProperty("critmin.home");
    if (home == null && Critmin.underSparkSubmit()) {
      return Location.of("classpath:critmin/cluster.conf");
    }
    return Location.of(Path.of(home == null ? "." : home, "conf", "local.conf"));
  }
}
