package org.critmin.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * One named country group of {@code concentration.blocs}: either a fixed list of ISO3 members, or
 * the partners of frameworks of {@code partnerships.csv}, each a member from the date it signed or
 * joined until the date it ended. The reference package resolves a framework bloc against the
 * agreements (docs/methods.md, "Deals and blocs").
 *
 * @param members the ISO3 members of a fixed bloc; empty for a framework bloc
 * @param frameworks framework names of partnerships.csv ({@value #EVERY_FRAMEWORK}: every one);
 *     empty for a fixed bloc
 * @param asOf null: the membership in force at the end of each period; {@value #LATEST}: the
 *     members whose agreement has not ended, for every period; a date: those in force that day
 * @param mineralsCovered a partner counts only for the minerals its agreement names
 * @param europeanUnion the fixed bloc whose members stand for a partner {@code EUR}
 * @param key the configuration key, for messages
 */
public record BlocDefinition(String name, List<String> members, List<String> frameworks,
    String asOf, boolean mineralsCovered, String europeanUnion, String key) {

  /** In {@code frameworks}: every framework of partnerships.csv. */
  public static final String EVERY_FRAMEWORK = "*";
  /** In {@code as_of}: the members whose agreement has not ended. */
  public static final String LATEST = "latest";
  /** The fixed bloc that stands for the European Union unless {@code european_union} says. */
  static final String DEFAULT_EUROPEAN_UNION = "eu27";

  /** A bloc of listed ISO3 members, the same in every period. */
  public static BlocDefinition fixed(String name, List<String> members) {
    return new BlocDefinition(name, List.copyOf(members), List.of(), null, false, null,
        "concentration.blocs." + name);
  }

  /** Whether the bloc comes from partnerships.csv. */
  public boolean fromPartnerships() {
    return !frameworks.isEmpty();
  }

  /** The date of {@code as_of}, or null when it is absent or {@value #LATEST}. */
  public LocalDate asOfDate() {
    return asOf == null || LATEST.equals(asOf) ? null : LocalDate.parse(asOf);
  }

  /** Reads {@code concentration.blocs.<name>}: an ISO3 list or a framework object. */
  static BlocDefinition read(Config blocs, String name) {
    String key = "concentration.blocs." + name;
    if (blocs.getValue(name).valueType() == ConfigValueType.LIST) {
      List<String> members = blocs.getStringList(name);
      for (String m : members) {
        CritminConfig.require(CritminConfig.ISO3.matcher(m).matches(), key,
            "'" + m + "' is not an ISO3 code");
      }
      return fixed(name, members);
    }
    try {
      Config c = blocs.getConfig(name);
      for (String k : c.root().keySet()) {
        CritminConfig.require(List.of("frameworks", "as_of", "minerals_covered", "european_union")
            .contains(k), key + "." + k, "is not a known key (allowed: frameworks, as_of, "
            + "minerals_covered, european_union)");
      }
      List<String> frameworks = List.copyOf(c.getStringList("frameworks"));
      CritminConfig.require(!frameworks.isEmpty(), key + ".frameworks",
          "names no framework of partnerships.csv (\"*\" for every one)");
      String asOf = c.hasPath("as_of") ? c.getString("as_of") : null;
      if (asOf != null && !LATEST.equals(asOf)) {
        try {
          LocalDate.parse(asOf);
        } catch (DateTimeParseException e) {
          CritminConfig.require(false, key + ".as_of",
              "must be \"latest\" or a date YYYY-MM-DD, got '" + asOf + "'");
        }
      }
      boolean covered = c.hasPath("minerals_covered") && c.getBoolean("minerals_covered");
      String eu = c.hasPath("european_union") ? c.getString("european_union")
          : DEFAULT_EUROPEAN_UNION;
      return new BlocDefinition(name, List.of(), frameworks, asOf, covered, eu, key);
    } catch (ConfigException.WrongType | ConfigException.Missing e) {
      throw new UserInputException("configuration key '" + key + "' must be a list of ISO3 "
          + "codes or { frameworks = [...] } naming frameworks of partnerships.csv: "
          + e.getMessage());
    }
  }
}
