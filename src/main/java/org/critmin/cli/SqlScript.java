package org.critmin.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements, and Databricks-source notebooks into cells of statements.
 * Markdown cells ({@code -- MAGIC %md}) are skipped; comments are kept with their statement.
 */
public final class SqlScript {

  static final String CELL_SEPARATOR = "-- COMMAND ----------";

  private SqlScript() {}

  /** The cells of a notebook (a plain SQL file is one cell), each as its statements. */
  public static List<List<String>> cells(String text) {
    List<List<String>> cells = new ArrayList<>();
    for (String cell : text.split("(?m)^" + java.util.regex.Pattern.quote(CELL_SEPARATOR)
        + "\\s*$")) {
      if (cell.lines().anyMatch(l -> l.trim().startsWith("-- MAGIC"))) {
        continue;
      }
      List<String> statements = statements(cell.replace("-- Databricks notebook source", ""));
      if (!statements.isEmpty()) {
        cells.add(statements);
      }
    }
    return cells;
  }

  /** Statements separated by semicolons outside quotes and comments; empty ones dropped. */
  static List<String> statements(String sql) {
    List<String> result = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    boolean lineComment = false;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (lineComment) {
        if (c == '\n') {
          lineComment = false;
        }
        current.append(c);
        continue;
      }
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
        current.append(c);
        continue;
      }
      if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
        lineComment = true;
      } else if (c == '\'' || c == '"' || c == '`') {
        quote = c;
      } else if (c == ';') {
        add(result, current);
        current.setLength(0);
        continue;
      }
      current.append(c);
    }
    add(result, current);
    return result;
  }

  /**
   * Whether {@code sql} ends a statement: its last character outside quotes and comments is a
   * semicolon (what the shell waits for before it runs what was typed).
   */
  static boolean complete(String sql) {
    char quote = 0;
    boolean lineComment = false;
    char last = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (lineComment) {
        lineComment = c != '\n';
      } else if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
        lineComment = true;
      } else if (c == '\'' || c == '"' || c == '`') {
        quote = c;
        last = c;
      } else if (!Character.isWhitespace(c)) {
        last = c;
      }
    }
    return quote == 0 && last == ';';
  }

  private static void add(List<String> result, StringBuilder statement) {
    String s = statement.toString().strip();
    boolean onlyComments = s.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"));
    if (!onlyComments) {
      result.add(s);
    }
  }
}
