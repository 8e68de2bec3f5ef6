package org.critmin.reference;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_date;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.critmin.config.BlocDefinition;
import org.critmin.config.UserInputException;

/**
 * Who belongs to a bloc, when, and for which minerals: a fixed list of countries, or the partners
 * of frameworks of {@code partnerships.csv}, each from the day it signed or joined until the day
 * it ended. A country is a member in a period when its term is in force on the period's last day
 * (31 December of a year, the last day of a month), so a partner joining in June counts for that
 * year and from that month (docs/methods.md, "Deals and blocs").
 */
public final class BlocMembership {

  /**
   * One country's membership: in force from {@code from} (inclusive; null: always) until
   * {@code until} (exclusive; null: still in force), for {@code minerals} (empty: every mineral).
   */
  public record Term(String iso3, LocalDate from, LocalDate until, List<String> minerals) {}

  /** The dates and minerals terms share, so that their countries make one {@code isin}. */
  private record Span(LocalDate from, LocalDate until, List<String> minerals) {}

  /** In partnerships.csv, the European Union as a partner. */
  public static final String EUROPEAN_UNION = "EUR";

  private final String name;
  private final List<Term> terms;

  private BlocMembership(String name, List<Term> terms) {
    this.name = name;
    this.terms = List.copyOf(terms);
  }

  /** A bloc of the same countries in every period, for every mineral. */
  public static BlocMembership fixed(String name, List<String> members) {
    return new BlocMembership(name, members.stream()
        .map(m -> new Term(m, null, null, List.of())).toList());
  }

  /** A bloc of dated terms. */
  public static BlocMembership of(String name, List<Term> terms) {
    return new BlocMembership(name, terms);
  }

  /** A bloc without members: nothing is in it. */
  public static BlocMembership none() {
    return fixed("none", List.of());
  }

  public String name() {
    return name;
  }

  public List<Term> terms() {
    return terms;
  }

  /** Every country that is a member at some time, sorted. */
  public Set<String> everMembers() {
    Set<String> members = new TreeSet<>();
    terms.forEach(t -> members.add(t.iso3()));
    return members;
  }

  /**
   * Whether {@code iso3} is a member on {@code date} for {@code mineral}: one {@code isin} per
   * distinct term span, so a bloc of any size stays a short expression (no join, no duplicates
   * where a country holds several terms). False for a null country.
   */
  public Column contains(Column iso3, Column date, Column mineral) {
    Map<Span, List<String>> bySpan = new LinkedHashMap<>();
    for (Term t : terms) {
      bySpan.computeIfAbsent(new Span(t.from(), t.until(), t.minerals()),
          k -> new ArrayList<>()).add(t.iso3());
    }
    Column any = lit(false);
    for (Map.Entry<Span, List<String>> span : bySpan.entrySet()) {
      LocalDate from = span.getKey().from();
      LocalDate until = span.getKey().until();
      List<String> minerals = span.getKey().minerals();
      Column in = iso3.isin(span.getValue().toArray());
      if (from != null) {
        in = in.and(date.geq(lit(Date.valueOf(from))));
      }
      if (until != null) {
        in = in.and(date.lt(lit(Date.valueOf(until))));
      }
      if (!minerals.isEmpty()) {
        in = in.and(mineral.isin(minerals.toArray()));
      }
      any = any.or(in);
    }
    return coalesce(any, lit(false));
  }

  /** The last day of a period: of the month, or 31 December where {@code month} is null. */
  public static Column periodEnd(Column year, Column month) {
    return last_day(make_date(year, coalesce(month, lit(12)), lit(1)));
  }

  /**
   * Every configured bloc's membership: a fixed bloc as listed; a bloc of partnerships from the
   * named partners of its frameworks ({@link Partnerships#read} rows; rows that name no partner
   * are left out), the European Union expanded to the members of its {@code european_union} bloc,
   * and frozen at {@code as_of} when set. An unknown framework stops the run naming the key.
   */
  public static Map<String, BlocMembership> resolve(Map<String, BlocDefinition> definitions,
      List<Row> partnerships) {
    Set<String> frameworks = new TreeSet<>();
    partnerships.forEach(r -> frameworks.add(r.getString(0)));
    Map<String, BlocMembership> blocs = new LinkedHashMap<>();
    for (BlocDefinition d : definitions.values()) {
      if (!d.fromPartnerships()) {
        blocs.put(d.name(), fixed(d.name(), d.members()));
        continue;
      }
      boolean every = d.frameworks().contains(BlocDefinition.EVERY_FRAMEWORK);
      for (String f : d.frameworks()) {
        if (!every && !frameworks.contains(f)) {
          throw new UserInputException("configuration key '" + d.key() + ".frameworks': '" + f
              + "' is not a framework of " + Partnerships.FILE + " (" + String.join("; ",
              frameworks) + ")");
        }
      }
      List<Term> terms = new ArrayList<>();
      for (Row r : partnerships) {
        if ((!every && !d.frameworks().contains(r.getString(0))) || r.isNullAt(2)) {
          continue;
        }
        LocalDate from = r.getDate(3).toLocalDate();
        LocalDate until = r.isNullAt(5) ? null : r.getDate(5).toLocalDate();
        List<String> minerals = d.mineralsCovered() ? covered(List.of((String[]) r.get(6))) : List.of();
        for (String member : members(r.getString(2), d, definitions)) {
          terms.add(new Term(member, from, until, minerals));
        }
      }
      blocs.put(d.name(), of(d.name(), frozen(terms, d)));
    }
    return blocs;
  }

  private static List<String> covered(List<String> minerals) {
    return minerals.contains(Partnerships.ALL_MINERALS) ? List.of() : List.copyOf(minerals);
  }

  private static List<String> members(String partner, BlocDefinition d,
      Map<String, BlocDefinition> definitions) {
    if (!EUROPEAN_UNION.equals(partner)) {
      return List.of(partner);
    }
    BlocDefinition eu = definitions.get(d.europeanUnion());
    if (eu == null || eu.fromPartnerships()) {
      throw new UserInputException("configuration key '" + d.key() + "': a framework it names "
          + "has the European Union (" + EUROPEAN_UNION + ") as partner, and european_union = '"
          + d.europeanUnion() + "' is not a bloc of concentration.blocs that lists ISO3 codes");
    }
    return eu.members();
  }

  /** Terms frozen at {@code as_of}: the members of that day (or not ended), in every period. */
  private static List<Term> frozen(List<Term> terms, BlocDefinition d) {
    if (d.asOf() == null) {
      return terms;
    }
    LocalDate day = d.asOfDate();
    return terms.stream()
        .filter(t -> day == null ? t.until() == null
            : !t.from().isAfter(day) && (t.until() == null || day.isBefore(t.until())))
        .map(t -> new Term(t.iso3(), null, null, t.minerals()))
        .distinct()
        .toList();
  }
}
