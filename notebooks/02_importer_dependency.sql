-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Dependency of the US, EU members, Japan and Korea on China-linked supply
-- MAGIC
-- MAGIC Each importer's sourcing from its own import reports (`critmin_gold.partner_concentration`,
-- MAGIC flow `M`): the China-linked share (China, Hong Kong, Macao), sourcing HHI, the share from the
-- MAGIC configured partner bloc. The EU is also taken as a whole from `critmin_silver.trade_flows`,
-- MAGIC counting only imports from outside the EU.
-- MAGIC
-- MAGIC A year of monthly data is summarised by value-weighted means of its months.

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## China-linked share of imports, by importer, mineral and year

-- COMMAND ----------

SELECT reporter_iso3 AS importer, mineral, year,
       round(sum(china_linked_share * total_value_usd) / sum(total_value_usd), 3) AS china_linked_share,
       round(sum(bloc_share * total_value_usd) / sum(total_value_usd), 3) AS bloc_share,
       round(sum(hhi * total_value_usd) / sum(total_value_usd)) AS sourcing_hhi,
       round(sum(total_value_usd) / 1e6, 1) AS imports_usd_million
FROM critmin_gold.partner_concentration
WHERE flow = 'M' AND stage = 'all'
  AND reporter_iso3 IN ('USA', 'JPN', 'KOR',
    'AUT', 'BEL', 'BGR', 'HRV', 'CYP', 'CZE', 'DNK', 'EST', 'FIN', 'FRA', 'DEU', 'GRC', 'HUN',
    'IRL', 'ITA', 'LVA', 'LTU', 'LUX', 'MLT', 'NLD', 'POL', 'PRT', 'ROU', 'SVK', 'SVN', 'ESP',
    'SWE')
GROUP BY reporter_iso3, mineral, year
ORDER BY china_linked_share DESC, imports_usd_million DESC

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The most dependent importer and mineral pairs
-- MAGIC Pairs with at least 1 million USD of imports in a period, by their highest China-linked share.

-- COMMAND ----------

SELECT reporter_iso3 AS importer, mineral, stage, period, round(china_linked_share, 3) AS china_linked_share,
       top_partner_iso3, round(top_partner_share, 3) AS top_partner_share,
       round(total_value_usd / 1e6, 2) AS imports_usd_million
FROM critmin_gold.partner_concentration
WHERE flow = 'M' AND total_value_usd >= 1e6
  AND reporter_iso3 IN ('USA', 'JPN', 'KOR', 'DEU', 'FRA', 'ITA', 'NLD', 'ESP', 'BEL', 'POL',
    'SWE', 'FIN', 'AUT', 'CZE')
ORDER BY china_linked_share DESC, total_value_usd DESC
LIMIT 25

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The EU as one importer (extra-EU imports only)

-- COMMAND ----------

WITH eu AS (
  SELECT explode(array('AUT', 'BEL', 'BGR', 'HRV', 'CYP', 'CZE', 'DNK', 'EST', 'FIN', 'FRA', 'DEU',
    'GRC', 'HUN', 'IRL', 'ITA', 'LVA', 'LTU', 'LUX', 'MLT', 'NLD', 'POL', 'PRT', 'ROU', 'SVK', 'SVN',
    'ESP', 'SWE')) AS iso3
)
SELECT mineral, year,
       round(sum(CASE WHEN partner_iso3 IN ('CHN', 'HKG', 'MAC') THEN value_usd END)
             / sum(value_usd), 3) AS china_linked_share,
       count(DISTINCT partner_iso3) AS suppliers,
       round(sum(value_usd) / 1e6, 1) AS extra_eu_imports_usd_million
FROM critmin_silver.trade_flows
WHERE flow = 'M' AND partner_kind = 'country'
  AND reporter_iso3 IN (SELECT iso3 FROM eu)
  AND partner_iso3 NOT IN (SELECT iso3 FROM eu)
GROUP BY mineral, year
ORDER BY mineral, year

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Who supplies the United States, Japan and Korea (latest year, all stages)

-- COMMAND ----------

WITH by_supplier AS (
  SELECT reporter_iso3 AS importer, mineral, year, partner_iso3 AS supplier, sum(value_usd) AS value_usd
  FROM critmin_silver.trade_flows
  WHERE flow = 'M' AND partner_kind = 'country' AND reporter_iso3 IN ('USA', 'JPN', 'KOR')
  GROUP BY reporter_iso3, mineral, year, partner_iso3
),
ranked AS (
  SELECT *, max(year) OVER (PARTITION BY importer, mineral) AS latest_year,
         row_number() OVER (PARTITION BY importer, mineral, year ORDER BY value_usd DESC, supplier) AS rank
  FROM by_supplier
)
SELECT importer, mineral, year, rank, supplier, round(value_usd / 1e6, 2) AS value_usd_million
FROM ranked
WHERE year = latest_year AND rank <= 3
ORDER BY importer, mineral, rank
