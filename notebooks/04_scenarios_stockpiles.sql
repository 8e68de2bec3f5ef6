-- Databricks notebook source
-- MAGIC %md
-- MAGIC # What-if scenarios and stockpiles
-- MAGIC
-- MAGIC Results of the scenarios job (`jobs/critmin scenarios`, configured in `conf/scenarios.conf`):
-- MAGIC who is exposed when a supplier stops exporting and how much other suppliers could replace
-- MAGIC (`critmin_gold.disruption_exposure`), how many days of imports a stockpile covers
-- MAGIC (`critmin_gold.stockpile_cover`), sourcing inside a partner bloc
-- MAGIC (`critmin_gold.bloc_sourcing`) and benchmark prices per stage against floor prices
-- MAGIC (`critmin_gold.benchmark_prices`).

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The most exposed importers per scenario

-- COMMAND ----------

SELECT scenario, importer_iso3, year,
       round(sum(import_value_usd) / 1e6, 1) AS imports_usd_million,
       round(sum(at_risk_value_usd) / 1e6, 1) AS at_risk_usd_million,
       round(sum(at_risk_value_usd) / sum(import_value_usd), 3) AS at_risk_share,
       round(sum(replaceable_value_usd) / 1e6, 1) AS replaceable_usd_million,
       round(sum(uncovered_value_usd) / 1e6, 1) AS uncovered_usd_million
FROM critmin_gold.disruption_exposure
GROUP BY scenario, importer_iso3, year
ORDER BY at_risk_usd_million DESC
LIMIT 30

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Sourcing HHI before and after the disruption, per mineral and stage

-- COMMAND ----------

SELECT scenario, importer_iso3, mineral, stage, year, round(at_risk_share, 3) AS at_risk_share,
       round(hhi_before) AS hhi_before, round(hhi_after) AS hhi_after,
       round(uncovered_value_usd / 1e6, 2) AS uncovered_usd_million
FROM critmin_gold.disruption_exposure
ORDER BY uncovered_value_usd DESC
LIMIT 30

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Days of imports covered by stockpiles

-- COMMAND ----------

SELECT scenario, importer_iso3, mineral, stage, year, round(stockpile_kg / 1000, 1) AS stockpile_tonnes,
       round(annual_import_kg / 1000, 1) AS annual_import_tonnes, round(days_of_cover, 1) AS days_of_cover
FROM critmin_gold.stockpile_cover
ORDER BY scenario, days_of_cover

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Sourcing inside the partner bloc

-- COMMAND ----------

SELECT * FROM critmin_gold.bloc_sourcing LIMIT 50

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Benchmark prices per stage against the floor (latest period)

-- COMMAND ----------

SELECT mineral, stage, period, n_flows, round(p25_usd_per_kg, 2) AS p25_usd_per_kg,
       round(median_usd_per_kg, 2) AS median_usd_per_kg, round(p75_usd_per_kg, 2) AS p75_usd_per_kg,
       round(bloc_median_usd_per_kg, 2) AS bloc_median_usd_per_kg, floor_usd_per_kg,
       round(floor_gap, 2) AS floor_gap
FROM (
  SELECT *, row_number() OVER (PARTITION BY mineral, stage ORDER BY period DESC) AS recency
  FROM critmin_gold.benchmark_prices
)
WHERE recency = 1
ORDER BY mineral, stage
