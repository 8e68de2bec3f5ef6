package org.critmin.scenarios;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/** Grouping and join keys of the scenario calculations, as names or columns. */
final class Keys {

  private Keys() {}

  static String[] names(String... names) {
    return names;
  }

  static String[] names(List<String> names) {
    return names.toArray(String[]::new);
  }

  /** The columns of {@code names} followed by {@code more}. */
  static Column[] columns(List<String> names, String... more) {
    List<String> all = new ArrayList<>(names);
    all.addAll(List.of(more));
    return all.stream().map(functions::col).toArray(Column[]::new);
  }
}
