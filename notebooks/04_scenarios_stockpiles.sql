-- Databricks notebook source
-- MAGIC %md
-- MAGIC # What-if scenarios and stockpiles
-- MAGIC
-- MAGIC Results of the scenarios job (`jobs/critmin scenarios`, configured in `conf/scenarios.conf`):
-- MAGIC who is exposed when a supplier stops exporting and how much other suppliers could replace
-- MAGIC (`critmin_gold.disruption_exposure`), how many days of imports a stockpile covers
-- MAGIC (`critmin_gold.stockpile_cover`), sourcing inside a partner bloc
-- MAGIC (`critmin_gold.bloc_sourcing`), benchmark prices per stage against floor prices
-- MAGIC (`critmin_gold.benchmark_prices`), what stockpiles take in tonnes and money
-- MAGIC (`critmin_gold.stockpile_economics`) and how prices move against the floors
-- MAGIC (`critmin_gold.price_dynamics`).

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

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## What N days of imports take in tonnes and money, and what a budget buys
-- MAGIC
-- MAGIC Each importer's latest year; prices are the latest benchmark median of the mineral and stage
-- MAGIC and the floor in force then (`cost_missing_reason` says why one is missing). Rows with another
-- MAGIC `scenario` cover the part a disruption leaves uncovered.

-- COMMAND ----------

SELECT importer_iso3, mineral, stage, year, target, target_days, round(budget_usd / 1e6) AS budget_usd_million,
       round(annual_kg_to_cover / 1000, 1) AS tonnes_a_year, round(tonnes, 1) AS tonnes,
       round(days_of_imports, 1) AS days_of_imports, price_period, round(median_usd_per_kg, 2) AS median_usd_per_kg,
       floor_usd_per_kg, round(cost_at_median_usd / 1e6, 2) AS cost_at_median_usd_million,
       round(cost_at_floor_usd / 1e6, 2) AS cost_at_floor_usd_million,
       round(budget_days_at_floor, 1) AS budget_days_at_floor
FROM (
  SELECT *, max(year) OVER (PARTITION BY importer_iso3, mineral, stage) AS latest_year
  FROM critmin_gold.stockpile_economics
  WHERE scenario = 'none'
)
WHERE year = latest_year AND cost_at_median_usd IS NOT NULL
ORDER BY importer_iso3, mineral, stage, target DESC, target_days, budget_usd

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Trade below the floor, China-origin spreads and volatility
-- MAGIC
-- MAGIC Every period of the series that have a floor: the shares of traded weight and value under it,
-- MAGIC China-linked against rest-of-world and bloc medians, the rolling coefficient of variation and
-- MAGIC the deepest fall from a peak so far.

-- COMMAND ----------

SELECT mineral, stage, period, n_flows, round(median_usd_per_kg, 2) AS median_usd_per_kg, floor_usd_per_kg,
       round(below_floor_kg_share, 3) AS below_floor_kg_share,
       round(below_floor_value_share, 3) AS below_floor_value_share,
       round(china_to_rest_of_world_ratio, 2) AS china_to_rest_of_world_ratio,
       round(china_to_bloc_ratio, 2) AS china_to_bloc_ratio, round(unit_value_cv, 3) AS unit_value_cv,
       cv_periods, round(max_drawdown, 3) AS max_drawdown
FROM critmin_gold.price_dynamics
WHERE floor_usd_per_kg IS NOT NULL
ORDER BY mineral, stage, year, month
