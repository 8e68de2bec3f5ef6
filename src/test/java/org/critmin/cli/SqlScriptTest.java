package org.critmin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

  @Test
  void statementsSplitOutsideQuotesAndComments() {
    assertEquals(List.of("SELECT 'a;b' AS x", "-- one; two\nSELECT 2"),
        SqlScript.statements("SELECT 'a;b' AS x;\n-- one; two\nSELECT 2;\n-- trailing comment\n"));
  }

  @Test
  void notebookCellsSkipMarkdown() {
    String notebook = String.join("\n",
        "-- Databricks notebook source",
        "-- MAGIC %md",
        "-- MAGIC # Title",
        "",
        "-- COMMAND ----------",
        "",
        "SELECT 1;",
        "SELECT 2",
        "",
        "-- COMMAND ----------",
        "SHOW TABLES");
    assertEquals(List.of(List.of("SELECT 1", "SELECT 2"), List.of("SHOW TABLES")),
        SqlScript.cells(notebook));
  }
}
