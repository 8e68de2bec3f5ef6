-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Supply shocks: what past export restrictions did
-- MAGIC
-- MAGIC Results of the shocks job (`jobs/critmin shocks`): regression coefficients with standard
-- MAGIC errors and 95% confidence intervals (`critmin_gold.shock_estimates`) and event-study
-- MAGIC coefficients by period relative to each event (`critmin_gold.event_study`). The events
-- MAGIC (China's controls on gallium, germanium, graphite, antimony and rare earths, Indonesia's nickel
-- MAGIC ore bans, the DRC's cobalt suspension...) are listed in `conf/reference/shock_events.csv`.

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The models fitted

-- COMMAND ----------

SELECT model, estimator, formula, se_type, ssc, max(n_obs) AS n_obs, max(n_clusters) AS n_clusters,
       fixed_effects, bool_and(converged) AS converged, count(*) AS terms
FROM critmin_gold.shock_estimates
GROUP BY model, estimator, formula, se_type, ssc, fixed_effects
ORDER BY model

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Coefficients with confidence intervals
-- MAGIC Stars: `***` p < 0.01, `**` p < 0.05, `*` p < 0.1.

-- COMMAND ----------

SELECT model, term, round(estimate, 4) AS estimate, round(std_error, 4) AS std_error,
       round(ci_low, 4) AS ci_low, round(ci_high, 4) AS ci_high, round(p_value, 4) AS p_value,
       CASE WHEN p_value < 0.01 THEN '***' WHEN p_value < 0.05 THEN '**'
            WHEN p_value < 0.1 THEN '*' ELSE '' END AS stars
FROM critmin_gold.shock_estimates
ORDER BY model, term

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Effects in percent
-- MAGIC For log-linear and PPML models a coefficient b on a dummy means a change of exp(b) - 1.

-- COMMAND ----------

SELECT model, term, estimator, round(100 * (exp(estimate) - 1), 1) AS effect_percent,
       round(100 * (exp(ci_low) - 1), 1) AS ci_low_percent,
       round(100 * (exp(ci_high) - 1), 1) AS ci_high_percent
FROM critmin_gold.shock_estimates
WHERE lower(term) NOT LIKE '%intercept%'
ORDER BY abs(estimate) DESC

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Event studies: coefficients by period relative to the event
-- MAGIC Pre-event coefficients near zero support parallel trends; the period before the event is
-- MAGIC usually the reference (left out).

-- COMMAND ----------

SELECT model, event_id, rel_period, round(estimate, 4) AS estimate, round(ci_low, 4) AS ci_low,
       round(ci_high, 4) AS ci_high,
       CASE WHEN ci_low > 0 OR ci_high < 0 THEN 'yes' ELSE 'no' END AS excludes_zero
FROM critmin_gold.event_study
ORDER BY model, event_id, rel_period

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Pre-trends and post-event averages per event

-- COMMAND ----------

SELECT model, event_id,
       round(avg(CASE WHEN rel_period < 0 THEN estimate END), 4) AS mean_pre_event,
       round(avg(CASE WHEN rel_period >= 0 THEN estimate END), 4) AS mean_post_event,
       count(*) AS periods
FROM critmin_gold.event_study
GROUP BY model, event_id
ORDER BY model, event_id
