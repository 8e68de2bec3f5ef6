-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Deals and blocs
-- MAGIC
-- MAGIC The critical-minerals agreements the United States is party to, and the groupings it leads
-- MAGIC (`critmin_gold.partnerships`, from `conf/reference/partnerships.csv`: one row per framework
-- MAGIC and partner with the date signed or joined, the date it ended, the instruments named, a
-- MAGIC source and a confidence), and the blocs built from it (`critmin_gold.bloc_sourcing`).
-- MAGIC A row without a partner stands for members no public source names (FORGE's, so far).
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
-- MAGIC `critmin_gold.bloc_sourcing` for the blocs of partnerships (`conf/base.conf`,
-- MAGIC `concentration.blocs`): `us_deal_partners` counts a partner from its signing, until its
-- MAGIC agreement ended, and only for the minerals that agreement names (membership on 31 December
-- MAGIC of each year); `us_deal_partners_now` counts the partners of every agreement not ended, in
-- MAGIC every year. Down the years, `then` steps up in the year a partner signs (before and
-- MAGIC after each signing); the gap to `now` is what the newer deals cover that the older ones
-- MAGIC did not. The EU, a partner of several agreements, stands for its 27 members. The MSP's
-- MAGIC memberships ended when FORGE replaced it (2026-02-04); FORGE's members are not public,
-- MAGIC so a former MSP member counts "now" only through an agreement of its own.

-- COMMAND ----------

SELECT t.mineral, t.year, round(t.import_value_usd / 1e6, 2) AS us_imports_usd_million,
       round(t.bloc_share_of_imports, 3) AS share_from_partners_then,
       round(n.bloc_share_of_imports, 3) AS share_from_partners_now
FROM critmin_gold.bloc_sourcing t
JOIN critmin_gold.bloc_sourcing n
  ON n.importer_iso3 = t.importer_iso3 AND n.mineral = t.mineral AND n.stage = t.stage
 AND n.year = t.year AND n.bloc = 'us_deal_partners_now'
WHERE t.importer_iso3 = 'USA' AND t.stage = 'all' AND t.bloc = 'us_deal_partners'
ORDER BY t.mineral, t.year

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Supply inside the partner bloc as it stands
-- MAGIC For each mineral in its latest year: the share of world exports held by the partners of
-- MAGIC agreements in force today, and how concentrated US supply would be if the United States
-- MAGIC bought only from them (`hhi_inside_bloc`, 0..10000: imports from outside move to the
-- MAGIC members in proportion to their spare exports; what they cannot cover stays uncovered).
-- MAGIC The `forge` bloc is FORGE as public sources name it (the United States and Korea so far);
-- MAGIC the partners of every agreement in force stand in for its unpublished membership.

-- COMMAND ----------

SELECT b.mineral, b.year, round(b.bloc_share_of_world_supply, 3) AS bloc_share_of_world_supply,
       round(b.hhi_current) AS hhi_now, round(b.hhi_inside_bloc) AS hhi_inside_bloc,
       round(b.uncovered_inside_bloc_value_usd / b.import_value_usd, 3) AS uncovered_share,
       round(f.bloc_share_of_world_supply, 3) AS forge_named_share_of_world_supply
FROM critmin_gold.bloc_sourcing b
JOIN (SELECT mineral, max(year) AS year FROM critmin_gold.bloc_sourcing GROUP BY mineral) l
  ON b.mineral = l.mineral AND b.year = l.year
LEFT JOIN critmin_gold.bloc_sourcing f
  ON f.importer_iso3 = b.importer_iso3 AND f.mineral = b.mineral AND f.stage = b.stage
 AND f.year = b.year AND f.bloc = 'forge'
WHERE b.importer_iso3 = 'USA' AND b.stage = 'all' AND b.bloc = 'us_deal_partners_now'
ORDER BY bloc_share_of_world_supply DESC

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
