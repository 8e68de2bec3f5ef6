package org.critmin.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Loads the layered HOCON configuration: command-line {@code --set key=value} overrides, over the
 * given file (which usually includes {@code base.conf}), over the defaults of {@code conf/base.conf}
 * built into the jar. Unknown keys and values of the wrong type stop the run with a message that
 * names the key.
 */
public final class ConfigLoader {

  /** Keys below these paths are free-form maps; everything else must exist in base.conf. */
  private static final List<String> OPEN_SECTIONS = List.of("spark.settings", "concentration.blocs",
      "concentration.supply_risk.production_stages", "concentration.supply_risk.eol_rir",
      "concentration.supply_risk.substitution_index");
  private static final String DEFAULTS_RESOURCE = "critmin/base.conf";

  private ConfigLoader() {}

  public static CritminConfig load(Path file, List<String> overrides) {
    return load(Location.of(file), overrides);
  }

  /**
   * Loads the configuration at {@code file}: a local file, a Hadoop URI or a {@code classpath:}
   * resource (the shipped {@code classpath:critmin/cluster.conf}). A relative {@code include}
   * resolves beside a local file or resource; a relative {@code reference_dir} beside any.
   */
  public static CritminConfig load(Location file, List<String> overrides) {
    Config defaults = ConfigFactory.parseResources(DEFAULTS_RESOURCE,
        ConfigParseOptions.defaults().setAllowMissing(false));
    Config fromFile = parse(file);
    Config fromCommandLine = parseOverrides(overrides);
    try {
      checkKnownKeys(fromFile.resolve(), defaults, "in " + file);
    } catch (ConfigException e) {
      throw new UserInputException("invalid configuration in " + file + ": " + e.getMessage());
    }
    checkKnownKeys(fromCommandLine, defaults, "given with --set");

    Config merged;
    try {
      merged = fromCommandLine.withFallback(fromFile).withFallback(defaults).resolve();
      merged.checkValid(defaults);
    } catch (ConfigException.ValidationFailed e) {
      StringBuilder message = new StringBuilder("invalid configuration:");
      e.problems().forEach(p -> message.append(" key '").append(p.path()).append("' ")
          .append(p.problem()).append(';'));
      throw new UserInputException(message.substring(0, message.length() - 1));
    } catch (ConfigException e) {
      throw new UserInputException("invalid configuration: " + e.getMessage());
    }
    try {
      return CritminConfig.from(merged, file.parent(), digest(merged));
    } catch (ConfigException e) {
      throw new UserInputException("invalid configuration: " + e.getMessage());
    }
  }

  private static Config parse(Location file) {
    ConfigParseOptions options = ConfigParseOptions.defaults().setAllowMissing(false);
    try {
      if (file.onClasspath()) {
        if (Thread.currentThread().getContextClassLoader().getResource(file.resource()) == null) {
          throw new UserInputException("configuration file not found: " + file
              + " (no such resource in the application jar)");
        }
        return ConfigFactory.parseResources(file.resource(), options);
      }
      if (file.uri().startsWith("file:")) {
        Path local = Path.of(java.net.URI.create(file.uri()));
        if (!Files.isRegularFile(local)) {
          throw new UserInputException("configuration file not found: " + file);
        }
        return ConfigFactory.parseFile(local.toFile(), options);
      }
      try (java.io.InputStream in = file.open(Location.hadoopFromSystemProperties())) {
        return ConfigFactory.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8),
            options.setOriginDescription(file.toString()));
      }
    } catch (ConfigException.IO e) {
      throw new UserInputException("configuration file unreadable: " + file);
    } catch (java.io.IOException e) {
      throw new UserInputException("configuration file not found or unreadable: " + file + " ("
          + e.getMessage() + ")");
    } catch (ConfigException e) {
      throw new UserInputException("cannot read configuration file " + file + ": "
          + e.getMessage());
    }
  }

  private static Config parseOverrides(List<String> overrides) {
    Config result = ConfigFactory.empty();
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw new UserInputException("--set takes key=value, got '" + override + "'");
      }
      String key = override.substring(0, eq).trim();
      String raw = override.substring(eq + 1).trim();
      ConfigValue value;
      try {
        // root().get keeps an explicit null (key=null), which getValue would treat as missing.
        value = ConfigFactory.parseString("v = " + raw).root().get("v");
      } catch (ConfigException e) {
        value = null;
      }
      if (value == null) {
        value = ConfigValueFactory.fromAnyRef(raw);
      }
      try {
        result = result.withValue(key, value);
      } catch (ConfigException e) {
        throw new UserInputException("--set: '" + key + "' is not a valid configuration key");
      }
    }
    return result;
  }

  private static void checkKnownKeys(Config given, Config defaults, String where) {
    for (Map.Entry<String, ConfigValue> entry : given.entrySet()) {
      String key = entry.getKey();
      boolean open = OPEN_SECTIONS.stream().anyMatch(s -> key.startsWith(s + "."));
      if (!open && !defaults.hasPathOrNull(key)) {
        throw new UserInputException("unknown configuration key '" + key + "' " + where
            + " (the keys are listed with their defaults in conf/base.conf)");
      }
    }
  }

  private static String digest(Config config) {
    String rendered = config.root().render(ConfigRenderOptions.concise().setJson(true));
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(rendered.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
