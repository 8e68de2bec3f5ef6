package org.critmin.reference;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.critmin.config.Location;

/**
 * {@code shock_events.csv}: real export restrictions and supply shocks, one row per event, with the
 * imposing country, the HS6 codes, the measure, the target and the dates. Read to the driver (a few
 * dozen rows) and checked: unique ids, ISO3 codes, 6-digit HS codes, dates as YYYY, YYYY-MM or
 * YYYY-MM-DD.
 */
public final class ShockEvents {

  /** The columns of {@code shock_events.csv}. */
  public static final StructType SCHEMA = new StructType()
      .add("event_id", DataTypes.StringType, false, "Event id, e.g. IDN-2014-ORE-BAN")
      .add("imposer_iso3", DataTypes.StringType, false, "Country imposing the measure (ISO3)")
      .add("minerals", DataTypes.StringType, false, "Minerals concerned, ';'-separated")
      .add("hs6_codes", DataTypes.StringType, true, "Restricted HS6 codes, ';'-separated; empty "
          + "when the measure covers no goods (technology) or the codes are unknown")
      .add("measure", DataTypes.StringType, false, "The measure: ban, quota, licensing, "
          + "suspension...")
      .add("target", DataTypes.StringType, false, "all, or the targeted importers (ISO3, "
          + "';'-separated)")
      .add("announced", DataTypes.StringType, true, "Announcement date")
      .add("effective", DataTypes.StringType, true, "Date the measure took effect; empty if not "
          + "enacted")
      .add("description", DataTypes.StringType, true, "What the measure is; source disagreements")
      .add("source", DataTypes.StringType, false, "Sources, ' ; '-separated")
      .add("confidence", DataTypes.StringType, true, "verified or standard");

  /**
   * One event.
   *
   * @param targets targeted importers; empty when the measure applies to all destinations
   * @param effective effective date (the first day of the month or year when only those are
   *     given), or null when the event has none
   */
  public record Event(String eventId, String imposer, List<String> hs6Codes, String measure,
      List<String> targets, LocalDate effective) {}

  private ShockEvents() {}

  /** Reads and checks {@code dir/shock_events.csv}; a bad row stops the run (exit 2). */
  public static List<Event> load(SparkSession spark, Location dir) {
    String file = dir.resolve("shock_events.csv").toString();
    List<Row> rows = ReferenceCsv.read(spark.sparkContext().hadoopConfiguration(), file, SCHEMA);
    List<Event> events = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      String id = r.getString(0);
      if (!ids.add(id)) {
        throw ReferenceCsv.problem(file, i, "event_id " + id + " appears twice");
      }
      String imposer = r.getString(1);
      if (!imposer.matches("[A-Z]{3}")) {
        throw ReferenceCsv.problem(file, i, "imposer_iso3 '" + imposer + "' is not an ISO3 code");
      }
      List<String> codes = split(r.getString(3));
      for (String code : codes) {
        if (!code.matches("\\d{6}")) {
          throw ReferenceCsv.problem(file, i, "hs6_codes holds '" + code
              + "', not a 6-digit code");
        }
      }
      String target = r.getString(5).trim();
      List<String> targets = target.equalsIgnoreCase("all") ? List.of() : split(target);
      for (String t : targets) {
        if (!t.matches("[A-Z]{3}")) {
          throw ReferenceCsv.problem(file, i, "target '" + t + "' is neither all nor an ISO3 code");
        }
      }
      LocalDate effective;
      try {
        effective = date(r.getString(7));
      } catch (DateTimeException | NumberFormatException e) {
        throw ReferenceCsv.problem(file, i, "effective '" + r.getString(7)
            + "' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
      }
      events.add(new Event(id, imposer, codes, r.getString(4), targets, effective));
    }
    return List.copyOf(events);
  }

  /** The ';'-separated values of {@code value}, trimmed; empty for a blank value. */
  static List<String> split(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** YYYY, YYYY-MM or YYYY-MM-DD; a missing day or month is the first. */
  static LocalDate date(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    if (v.matches("\\d{4}")) {
      return LocalDate.of(Integer.parseInt(v), 1, 1);
    }
    if (v.matches("\\d{4}-\\d{2}")) {
      return LocalDate.parse(v + "-01");
    }
    if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
      return LocalDate.parse(v);
    }
    throw new DateTimeException(v);
  }
}
