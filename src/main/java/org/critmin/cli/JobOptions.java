package org.critmin.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.critmin.config.ConfigLoader;
import org.critmin.config.CritminConfig;
import picocli.CommandLine.Option;

/** The options every command that runs jobs shares (docs/usage.md, "Commands"). */
final class JobOptions {

  @Option(names = "--conf", paramLabel = "FILE",
      description = "Configuration file (HOCON). Default: conf/local.conf of the critmin home "
          + "(conf/cluster.conf under jobs/submit).")
  Path conf;

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
    List<String> overrides = new ArrayList<>(settings);
    if (warehouse != null) {
      overrides.add("warehouse=" + quoted(warehouse));
    }
    CritminConfig config = ConfigLoader.load(conf == null ? defaultConf() : conf, overrides);
    return inputs.isEmpty() ? config : config.withInputs(inputs);
  }

  /** A HOCON string literal of {@code value}, for a {@code --set}-style override. */
  static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * The system property {@code critmin.conf} (jobs/submit sets it to conf/cluster.conf), else
   * conf/local.conf of the critmin home.
   */
  static Path defaultConf() {
    String conf = System.getProperty("critmin.conf");
    if (conf != null) {
      return Path.of(conf);
    }
    String home = System.getProperty("critmin.home", ".");
    return Path.of(home, "conf", "local.conf");
  }
}
