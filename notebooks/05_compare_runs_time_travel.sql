-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Comparing two runs with Delta time travel
-- MAGIC
-- MAGIC Every critmin write is one Delta commit whose `userMetadata` is the run id (see
-- MAGIC `critmin_gold.pipeline_runs`). `DESCRIBE HISTORY` lists a table's versions; `VERSION AS OF n`
-- MAGIC reads the table as a version left it. Version 0 of a critmin table is the first run's rows
-- MAGIC (the commit that created the table). Below, the first run (version 0) is compared with the
-- MAGIC current table: after one run the differences are all zero; after a re-run with new data or
-- MAGIC settings they show what changed. Put any two versions from the history in place of `0` and the
-- MAGIC current.

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The runs

-- COMMAND ----------

SELECT run_id, command, status, started_at, finished_at, rows_in, rows_out, rows_rejected,
       config_digest, message
FROM critmin_gold.pipeline_runs
ORDER BY started_at DESC

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Versions of supply_concentration (the run id is in userMetadata)

-- COMMAND ----------

DESCRIBE HISTORY critmin_gold.supply_concentration

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Rows per version

-- COMMAND ----------

SELECT 'version 0' AS version, count(*) AS supply_rows, count(DISTINCT mineral) AS minerals,
       min(period) AS first_period, max(period) AS last_period
FROM critmin_gold.supply_concentration VERSION AS OF 0
UNION ALL
SELECT 'current', count(*), count(DISTINCT mineral), min(period), max(period)
FROM critmin_gold.supply_concentration

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## What changed between version 0 and now
-- MAGIC A full outer join on the table's key: rows only in one version show as added or removed.

-- COMMAND ----------

SELECT coalesce(n.mineral, o.mineral) AS mineral, coalesce(n.stage, o.stage) AS stage,
       coalesce(n.period, o.period) AS period,
       CASE WHEN o.mineral IS NULL THEN 'added' WHEN n.mineral IS NULL THEN 'removed'
            ELSE 'in both' END AS status,
       round(o.hhi) AS hhi_then, round(n.hhi) AS hhi_now, round(n.hhi - o.hhi, 1) AS hhi_change,
       round(n.china_linked_share - o.china_linked_share, 4) AS china_linked_share_change,
       o.run_id AS run_then, n.run_id AS run_now
FROM critmin_gold.supply_concentration VERSION AS OF 0 o
FULL OUTER JOIN critmin_gold.supply_concentration n
  ON n.mineral = o.mineral AND n.stage = o.stage AND n.period = o.period AND n.basis = o.basis
ORDER BY abs(coalesce(n.hhi - o.hhi, 10001)) DESC, mineral, stage, period
LIMIT 50

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Versions of the importers' sourcing table

-- COMMAND ----------

DESCRIBE HISTORY critmin_gold.partner_concentration
