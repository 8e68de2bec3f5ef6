-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Deals and blocs
-- MAGIC
-- MAGIC The critical-minerals agreements the United States is party to, and the groupings it leads
-- MAGIC (`critmin_gold.partnerships`, from `conf/reference/partnerships.csv`: one row per framework
-- MAGIC and partner with the date signed or joined, the date it ended, the instruments named, a
-- MAGIC source and a confidence), joined to the trade of `critmin_silver.bilateral_flows`. A row
-- MAGIC without a partner stands for members no public source names (FORGE's, so far).
-- MAGIC
-- MAGIC Run locally with `jobs/critmin sql -f notebooks/06_deals_and_blocs.sql`.

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The agreements
-- MAGIC Partners named, first signing, instruments, and how sure the sources are.

-- COMMAND ----------

SELECT framework, kind, count(partner_iso3) AS partners_named,
       count_if(partner_iso3 IS NULL) AS unnamed_rows, min(signed_date) AS first_signed,
       max(ended_date) AS ended, array_join(array_sort(array_distinct(flatten(collect_list(instruments)))), ', ') AS instruments,
       array_join(array_sort(collect_set(confidence)), ', ') AS confidence
FROM critmin_gold.partnerships
GROUP BY framework, kind
ORDER BY first_signed, framework

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## US imports from deal partners, then and now
-- MAGIC For each mineral and year: the share of US imports from countries that were partners of
-- MAGIC an agreement in force at the end of that year (`share_from_partners_then`), and from the
-- MAGIC partners of agreements in force today (`share_from_partners_now`): the gap is what the
-- MAGIC newer deals cover that the older ones did not. Restricted-basket codes are left out.
-- MAGIC The MSP's memberships ended when FORGE replaced it (2026-02-04); FORGE's members are not
-- MAGIC public, so a former MSP member counts as a partner today only through an agreement of its
-- MAGIC own (the share "now" can be below "then", as for tungsten in the sample).

-- COMMAND ----------

WITH partners AS (
  SELECT DISTINCT partner_iso3, signed_date, ended_date
  FROM critmin_gold.partnerships
  WHERE partner_iso3 IS NOT NULL AND partner_iso3 <> 'USA'
),
us AS (
  SELECT mineral, year, exporter_iso3, sum(value_usd) AS value_usd
  FROM critmin_silver.bilateral_flows
  WHERE importer_iso3 = 'USA' AND stage <> 'basket' AND value_usd > 0
  GROUP BY mineral, year, exporter_iso3
),
partners_then AS (
  SELECT DISTINCT p.partner_iso3, y.year
  FROM partners p
  JOIN (SELECT DISTINCT year FROM us) y
    ON p.signed_date <= make_date(y.year, 12, 31)
   AND (p.ended_date IS NULL OR p.ended_date > make_date(y.year, 12, 31))
),
partners_now AS (
  SELECT DISTINCT partner_iso3 FROM partners
  WHERE signed_date <= current_date() AND (ended_date IS NULL OR ended_date > current_date())
)
SELECT us.mineral, us.year, round(sum(us.value_usd) / 1e6, 2) AS us_imports_usd_million,
       round(sum(CASE WHEN t.partner_iso3 IS NOT NULL THEN us.value_usd ELSE 0 END)
             / sum(us.value_usd), 3) AS share_from_partners_then,
       round(sum(CASE WHEN n.partner_iso3 IS NOT NULL THEN us.value_usd ELSE 0 END)
             / sum(us.value_usd), 3) AS share_from_partners_now
FROM us
LEFT JOIN partners_then t ON us.exporter_iso3 = t.partner_iso3 AND us.year = t.year
LEFT JOIN partners_now n ON us.exporter_iso3 = n.partner_iso3
GROUP BY us.mineral, us.year
ORDER BY us.mineral, us.year

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Supply inside the partner bloc as it stands
-- MAGIC World exports of each mineral in its latest year, counted only from the partners of
-- MAGIC agreements in force today: how much of world supply they hold and how concentrated it
-- MAGIC would be among them (HHI, 0..10000). FORGE's members beyond the United States and Korea
-- MAGIC are not public; the partners of the other agreements in force stand in for them.

-- COMMAND ----------

WITH bloc AS (
  SELECT DISTINCT partner_iso3 FROM critmin_gold.partnerships
  WHERE partner_iso3 IS NOT NULL
    AND signed_date <= current_date() AND (ended_date IS NULL OR ended_date > current_date())
),
latest AS (
  SELECT mineral, max(year) AS year FROM critmin_silver.bilateral_flows
  WHERE stage <> 'basket' GROUP BY mineral
),
exports AS (
  SELECT f.mineral, f.year, f.exporter_iso3, sum(f.value_usd) AS value_usd,
         max(CASE WHEN b.partner_iso3 IS NOT NULL THEN 1 ELSE 0 END) = 1 AS in_bloc
  FROM critmin_silver.bilateral_flows f
  JOIN latest l ON f.mineral = l.mineral AND f.year = l.year
  LEFT JOIN bloc b ON f.exporter_iso3 = b.partner_iso3
  WHERE f.stage <> 'basket' AND f.value_usd > 0 AND f.exporter_kind = 'country'
  GROUP BY f.mineral, f.year, f.exporter_iso3
),
inside AS (
  SELECT mineral, year, exporter_iso3, value_usd,
         value_usd / sum(value_usd) OVER (PARTITION BY mineral, year) AS share
  FROM exports WHERE in_bloc
)
SELECT e.mineral, e.year,
       round(sum(CASE WHEN e.in_bloc THEN e.value_usd ELSE 0 END) / sum(e.value_usd), 3)
         AS bloc_share_of_world_exports,
       round(max(i.hhi)) AS hhi_inside_bloc, max(i.top_supplier) AS top_supplier_inside_bloc
FROM exports e
LEFT JOIN (
  SELECT mineral, year, 10000 * sum(share * share) AS hhi, max_by(exporter_iso3, share) AS top_supplier
  FROM inside GROUP BY mineral, year
) i ON e.mineral = i.mineral AND e.year = i.year
GROUP BY e.mineral, e.year
ORDER BY bloc_share_of_world_exports DESC

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Politically fragile partners
-- MAGIC Partners that are suppliers of concern: named in `concentration.concern.countries`, or
-- MAGIC whose latest WGI Political Stability estimate is below `concentration.concern.wgi_threshold`
-- MAGIC (-1.0 by default).

-- COMMAND ----------

SELECT partner_iso3, round(min(partner_wgi_pv), 2) AS wgi_political_stability,
       max(partner_wgi_year) AS wgi_year,
       array_join(array_sort(collect_set(framework)), '; ') AS frameworks
FROM critmin_gold.partnerships
WHERE partner_of_concern
GROUP BY partner_iso3
ORDER BY wgi_political_stability
