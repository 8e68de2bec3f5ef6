-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Supply concentration overview
-- MAGIC
-- MAGIC How concentrated world supply of each critical mineral is, per stage (ore, intermediate,
-- MAGIC refined, semi, product, and `all` for the mineral as a whole), who the largest suppliers are and
-- MAGIC how much is China-linked (China, Hong Kong, Macao). Source: `critmin_gold.supply_concentration`
-- MAGIC (world supply by exporter, reconciled mirror flows) and `critmin_silver.bilateral_flows`.
-- MAGIC HHI is on the 0..10000 scale; shares are fractions of trade value in US dollars.
-- MAGIC
-- MAGIC Run locally with `jobs/critmin sql -f notebooks/01_supply_concentration.sql`.

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Latest period per mineral and stage
-- MAGIC The most recent period of each series, with its concentration level (low, moderate, high by
-- MAGIC the configured HHI thresholds).

-- COMMAND ----------

SELECT mineral, stage, period, n_suppliers,
       round(hhi) AS hhi, concentration_level, top1_iso3,
       round(top1_share, 3) AS top1_share, round(top3_share, 3) AS top3_share,
       round(china_linked_share, 3) AS china_linked_share,
       round(total_value_usd / 1e6, 1) AS value_usd_million
FROM (
  SELECT *, row_number() OVER (PARTITION BY mineral, stage, month IS NULL ORDER BY period DESC) AS recency
  FROM critmin_gold.supply_concentration
  WHERE basis = 'reconciled'
)
WHERE recency = 1
ORDER BY hhi DESC

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Largest changes in concentration
-- MAGIC `hhi_change` is the HHI minus that of the previous period of the same frequency.

-- COMMAND ----------

SELECT mineral, stage, period, round(hhi) AS hhi, round(hhi_change) AS hhi_change, top1_iso3
FROM critmin_gold.supply_concentration
WHERE basis = 'reconciled' AND hhi_change IS NOT NULL
ORDER BY abs(hhi_change) DESC
LIMIT 20

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Top five suppliers of each mineral in its latest year
-- MAGIC All stages together, countries only (areas "not elsewhere specified" are left out).

-- COMMAND ----------

WITH latest AS (
  SELECT *, max(year) OVER (PARTITION BY mineral) AS latest_year
  FROM critmin_silver.bilateral_flows
  WHERE exporter_kind = 'country' AND value_usd > 0
),
by_exporter AS (
  SELECT mineral, year, exporter_iso3, sum(value_usd) AS value_usd
  FROM latest WHERE year = latest_year
  GROUP BY mineral, year, exporter_iso3
),
ranked AS (
  SELECT mineral, year, exporter_iso3, value_usd,
         value_usd / sum(value_usd) OVER (PARTITION BY mineral) AS share,
         row_number() OVER (PARTITION BY mineral ORDER BY value_usd DESC, exporter_iso3) AS rank
  FROM by_exporter
)
SELECT mineral, year, rank, exporter_iso3, round(share, 3) AS share,
       round(value_usd / 1e6, 1) AS value_usd_million
FROM ranked
WHERE rank <= 5
ORDER BY mineral, rank

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Trade against production
-- MAGIC Concentration of mine and refinery production (USGS, BGS) beside that of trade, for the
-- MAGIC latest production year of each mineral and stage.

-- COMMAND ----------

SELECT mineral, stage, year, source, unit, n_producers, round(hhi) AS hhi, top1_iso3,
       round(china_share, 3) AS china_share, round(hhi_wgi, 2) AS hhi_wgi
FROM (
  SELECT *, row_number() OVER (PARTITION BY mineral, stage, source ORDER BY year DESC) AS recency
  FROM critmin_gold.production_concentration
)
WHERE recency = 1
ORDER BY hhi DESC
LIMIT 40

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Governance-weighted concentration
-- MAGIC HHI-WGI weights each supplier's squared share by its political-stability score rescaled to
-- MAGIC 0 (best) .. 10 (worst): high values mean supply concentrated in fragile places.

-- COMMAND ----------

SELECT mineral, stage, year, round(avg(hhi_wgi), 2) AS mean_hhi_wgi,
       round(avg(wgi_missing_share), 3) AS mean_wgi_missing_share, count(*) AS periods
FROM critmin_gold.supply_concentration
WHERE basis = 'reconciled' AND hhi_wgi IS NOT NULL
GROUP BY mineral, stage, year
ORDER BY mean_hhi_wgi DESC
