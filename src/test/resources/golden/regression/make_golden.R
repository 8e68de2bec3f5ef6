# Golden values for org.critmin.stats (Formula, FixedEffects, Ols, Ppml, Variance).
#
# Run from this folder:  Rscript make_golden.R
# Needs only Debian's r-base-core, r-cran-sandwich (and r-cran-lmtest, unused here but installed with it).
# Writes  <dataset>.csv  (the data)  and  expected.csv  (one row per model, term, variance and ssc).
#
# Every model is fitted the slow, obvious way: one dummy column per fixed-effect level (lm for OLS,
# glm(family = poisson) for PPML). With two or more fixed-effect dimensions some dummy columns are
# collinear; lm/glm report them as NA ("aliased"). vcovCL on such a fit gives nonsense, so each model is
# refitted on the model-matrix columns whose coefficient is not NA (rank = number of those columns).
#
# Variance conventions (the documented ones of org.critmin.stats.Variance):
#   full   sandwich::vcovCL(type = "HC1", cadjust = TRUE): each cluster component j times
#          G_j/(G_j - 1), the whole times (N - 1)/(N - K_full), K_full = rank of the full design.
#          hetero: vcovHC(type = "HC1") = N/(N - K_full) HC0.  iid: (RSS/N)(X'X)^-1 N/(N - K_full) for
#          OLS (= vcov(lm)); (X'WX)^-1 N/(N - K_full) for PPML.
#   nested K_nested = K_full - rank(dummies of the FE dimensions nested in a cluster variable)
#          (an FE dimension is nested when each of its levels lies in a single cluster). Obtained by
#          rescaling:  V_nested = V_full (N - K_full)/(N - K_nested).  Equal to full without clusters.
#   none   c = 1: vcovCL(type = "HC0", cadjust = FALSE); vcovHC(type = "HC0"); iid (RSS/N)(X'X)^-1 for
#          OLS, (X'WX)^-1 for PPML (= vcov(glm poisson)).
# Degrees of freedom for p-values and intervals: OLS iid/hetero N - K_full, OLS clustered min_j(G_j) - 1
# (t distribution); PPML normal.
# PPML: observations in FE groups whose outcomes are all zero are dropped first (repeatedly, over every FE
# dimension), as the estimator does; pseudo R2 = squared correlation of y and the fitted mean.
# OLS: r2_within = 1 - RSS / RSS(y on the fixed effects alone).

suppressPackageStartupMessages(library(sandwich))
set.seed(20261127)
out <- character(0)
rows <- list()

fmt <- function(v) formatC(as.numeric(v), digits = 17, format = "g")

write_data <- function(d, name) {
  write.csv(d, paste0(name, ".csv"), row.names = FALSE, quote = FALSE)
}

drop_separated <- function(d, fes) {
  repeat {
    keep <- rep(TRUE, nrow(d))
    for (f in fes) {
      s <- ave(d$y, d[[f]], FUN = function(v) sum(v > 0))
      keep <- keep & s > 0
    }
    if (all(keep)) return(d)
    d <- d[keep, ]
  }
}

is_nested <- function(fe, cl) all(tapply(cl, fe, function(v) length(unique(v))) == 1)

# d: data; X: slope columns (matrix with term names); fes: FE column names; y: outcome vector
fit_model <- function(dataset, model, formula, estimator, d, y, X, fes, vcovs) {
  D <- if (length(fes) > 0) {
    model.matrix(as.formula(paste("~ 0 +", paste0("factor(", fes, ")", collapse = " + "))), d)
  } else matrix(1, nrow(d), 1, dimnames = list(NULL, "(Intercept)"))
  k <- ncol(X)
  M <- cbind(X, D)
  # Aliased columns from the unweighted design (dqrdc2 moves collinear columns to the end and keeps
  # the order of the others); glm's own check runs at tolerance epsilon/1000 and would miss them.
  q <- qr(M, tol = 1e-9)
  keep <- sort(q$pivot[seq_len(q$rank)])
  stopifnot(all(1:k %in% keep))
  M2 <- M[, keep, drop = FALSE]
  fit <- if (estimator == "ols") lm(y ~ 0 + M2) else
    suppressWarnings(glm(y ~ 0 + M2, family = poisson,
                         control = glm.control(epsilon = 1e-13, maxit = 100)))
  stopifnot(!any(is.na(coef(fit))))
  if (estimator == "ppml") stopifnot(fit$converged)
  n <- length(y); Kfull <- ncol(M2)
  beta <- coef(fit)[1:k]
  r2w <- NA; pr2 <- NA
  if (estimator == "ols") {
    fe_only <- lm(y ~ 0 + D)
    r2w <- 1 - sum(residuals(fit)^2) / sum(residuals(fe_only)^2)
  } else {
    pr2 <- cor(y, fitted(fit))^2
  }
  for (v in vcovs) {
    cl <- v$clusters
    nested <- if (length(cl) > 0) fes[sapply(fes, function(f)
      any(sapply(cl, function(c) is_nested(d[[f]], d[[c]]))))] else character(0)
    Knested <- Kfull
    if (length(nested) > 0) {
      Dn <- model.matrix(as.formula(paste("~ 0 +", paste0("factor(", nested, ")",
                                                          collapse = " + "))), d)
      Knested <- Kfull - qr(Dn)$rank
    }
    G <- if (length(cl) > 0) sapply(cl, function(c) length(unique(d[[c]]))) else NA
    if (v$type == "cluster") {
      cf <- as.formula(paste("~", paste(cl, collapse = " + ")))
      Vfull <- vcovCL(fit, cluster = d[, cl, drop = FALSE], type = "HC1", cadjust = TRUE)
      Vnone <- vcovCL(fit, cluster = d[, cl, drop = FALSE], type = "HC0", cadjust = FALSE)
    } else if (v$type == "hetero") {
      Vfull <- vcovHC(fit, type = "HC1"); Vnone <- vcovHC(fit, type = "HC0")
    } else {
      if (estimator == "ols") {
        Vfull <- vcov(fit); Vnone <- Vfull * (n - Kfull) / n
      } else {
        Vnone <- vcov(fit); Vfull <- Vnone * n / (n - Kfull)
      }
    }
    Vnested <- Vfull * (n - Kfull) / (n - Knested)
    df <- if (estimator == "ppml") Inf else if (v$type == "cluster") min(G) - 1 else n - Kfull
    for (ssc in c("full", "nested", "none")) {
      V <- switch(ssc, full = Vfull, nested = Vnested, none = Vnone)
      se <- sqrt(diag(V))[1:k]
      stat <- beta / se
      p <- if (is.finite(df)) 2 * pt(-abs(stat), df) else 2 * pnorm(-abs(stat))
      q <- if (is.finite(df)) qt(0.975, df) else qnorm(0.975)
      K <- switch(ssc, full = Kfull, nested = Knested, none = NA)
      for (j in 1:k) {
        rows[[length(rows) + 1]] <<- data.frame(
          dataset = dataset, model = model, formula = formula, estimator = estimator,
          se_type = v$type, clusters = paste(cl, collapse = "+"), ssc = ssc,
          term = colnames(X)[j], estimate = fmt(beta[j]), std_error = fmt(se[j]),
          statistic = fmt(stat[j]), p_value = fmt(p[j]),
          ci_low = fmt(beta[j] - q * se[j]), ci_high = fmt(beta[j] + q * se[j]),
          n_obs = n, n_clusters = if (length(cl) > 0) paste(G, collapse = "+") else "",
          k_full = Kfull, k_used = if (is.na(K)) "" else K, df = fmt(df),
          r2_within = fmt(r2w), pseudo_r2 = fmt(pr2), stringsAsFactors = FALSE)
      }
    }
  }
}

## (a) Gravity panel with zeros: PPML, exporter^year + importer^year, clustered by pair. ------------
ctry <- sprintf("C%02d", 1:8)
g <- expand.grid(exporter = ctry, importer = ctry, year = 2015:2020, stringsAsFactors = FALSE)
g <- g[g$exporter != g$importer, ]
g$pair <- paste(g$exporter, g$importer, sep = "_")
sz <- setNames(rnorm(8, 0, 1), ctry)
dist <- setNames(runif(length(unique(g$pair)), 0.5, 3), unique(g$pair))
g$dist <- round(dist[g$pair], 6)
g$policy <- as.integer(g$year >= 2018 & (g$exporter %in% ctry[1:3]) & (g$importer %in% ctry[4:6]))
g$tariff <- round(runif(nrow(g), 0, 0.2), 6)
eta <- 2 + sz[g$exporter] + 0.5 * sz[g$importer] - 0.8 * log(g$dist) - 0.4 * g$policy -
  2 * g$tariff + 0.05 * (g$year - 2015)
g$y <- round(ifelse(runif(nrow(g)) < 0.2, 0, exp(eta) * rgamma(nrow(g), shape = 2, rate = 2)), 6)
g$y[g$exporter == "C08" & g$year == 2016] <- 0   # a separated exporter-year: all zeros
g$exp_year <- paste(g$exporter, g$year, sep = "^")
g$imp_year <- paste(g$importer, g$year, sep = "^")
write_data(g[, c("exporter", "importer", "year", "pair", "dist", "policy", "tariff", "y")], "gravity")
ga <- drop_separated(g, c("exp_year", "imp_year"))
cat("gravity: rows", nrow(g), "after separation", nrow(ga), "\n")
Xa <- cbind(policy = ga$policy, tariff = ga$tariff)
fit_model("gravity", "gravity_ppml", "y ~ policy + tariff | exporter^year + importer^year", "ppml",
          ga, ga$y, Xa, c("exp_year", "imp_year"),
          list(list(type = "cluster", clusters = "pair"), list(type = "hetero", clusters = NULL),
               list(type = "iid", clusters = NULL)))
# two-way clustering (d, PPML)
fit_model("gravity", "gravity_ppml_2way", "y ~ policy + tariff | exporter^year + importer^year",
          "ppml", ga, ga$y, Xa, c("exp_year", "imp_year"),
          list(list(type = "cluster", clusters = c("exporter", "importer"))))

## (b) Event-study OLS panel, two FE dimensions (unit + year), clustered by unit. ------------------
units <- sprintf("U%03d", 1:60)
p <- expand.grid(unit = units, year = 2010:2019, stringsAsFactors = FALSE)
p <- p[runif(nrow(p)) > 0.1, ]                         # unbalanced
event <- setNames(ifelse(seq_along(units) <= 30, sample(2013:2017, 60, TRUE), NA), units)
rel <- p$year - event[p$unit]
p$rel_period <- ifelse(is.na(rel), -1L, pmax(-4L, pmin(4L, rel)))
p$x <- round(rnorm(nrow(p)), 6)
ue <- setNames(rnorm(60), units)
p$y <- round(1 + ue[p$unit] + 0.1 * (p$year - 2010) + 0.3 * p$x +
               ifelse(p$rel_period >= 0, 0.5 + 0.1 * p$rel_period, 0) + rnorm(nrow(p), 0, 0.5), 6)
p$region <- paste0("R", (as.integer(substr(p$unit, 2, 4)) %% 6) + 1)
write_data(p[, c("unit", "year", "region", "rel_period", "x", "y")], "event_panel")
lev <- sort(setdiff(unique(p$rel_period), -1))
Xb <- cbind(sapply(lev, function(l) as.numeric(p$rel_period == l)), x = p$x)
colnames(Xb) <- c(paste0("rel_period::", lev), "x")
fit_model("event_panel", "event_ols", "y ~ i(rel_period, ref = -1) + x | unit + year", "ols",
          p, p$y, Xb, c("unit", "year"),
          list(list(type = "cluster", clusters = "unit"), list(type = "hetero", clusters = NULL),
               list(type = "iid", clusters = NULL)))

## (c) OLS panel with three crossed FE dimensions (firm + product + year), clustered by firm. -------
f <- expand.grid(firm = sprintf("F%02d", 1:40), product = sprintf("P%d", 1:8), year = 2016:2021,
                 stringsAsFactors = FALSE)
f <- f[runif(nrow(f)) < 0.6, ]
f$x1 <- round(rnorm(nrow(f)), 6)
f$x2 <- round(runif(nrow(f), 0.5, 5), 6)
fe_f <- setNames(rnorm(40), sprintf("F%02d", 1:40)); fe_p <- setNames(rnorm(8), sprintf("P%d", 1:8))
f$y <- round(exp(0.5 + 0.2 * fe_f[f$firm] + 0.3 * fe_p[f$product] + 0.02 * (f$year - 2016) +
                 0.3 * f$x1 + 0.4 * log(f$x2) - 0.1 * f$x1 * log(f$x2) +
                 rnorm(nrow(f), 0, 0.3)), 6)
write_data(f[, c("firm", "product", "year", "x1", "x2", "y")], "three_fe")
Xc <- cbind(x1 = f$x1, "log(x2)" = log(f$x2), "x1:x2" = f$x1 * f$x2)
fit_model("three_fe", "three_fe_ols", "log(y) ~ x1 + log(x2) + x1:x2 | firm + product + year", "ols",
          f, log(f$y), Xc, c("firm", "product", "year"),
          list(list(type = "cluster", clusters = "firm"), list(type = "hetero", clusters = NULL)))

## (d) Two-way clustering, OLS and PPML: exporter x importer x year flows, FE exporter + importer +
##     year, clustered by exporter and importer. -------------------------------------------------------
c2 <- sprintf("K%02d", 1:12)
t2 <- expand.grid(exporter = c2, importer = c2, year = 2019:2023, stringsAsFactors = FALSE)
t2 <- t2[t2$exporter != t2$importer, ]
t2$pair <- paste(t2$exporter, t2$importer, sep = "_")
ex <- setNames(rnorm(12), c2); im <- setNames(rnorm(12), c2)
d2 <- setNames(runif(132, 0.5, 3), unique(t2$pair))
t2$ldist <- round(log(d2[t2$pair]), 6)
t2$fta <- as.integer(runif(nrow(t2)) < 0.3)
t2$y <- round(exp(1 + ex[t2$exporter] + im[t2$importer] - 0.9 * t2$ldist + 0.3 * t2$fta +
                    rnorm(nrow(t2), 0, 0.6)), 6)
write_data(t2[, c("exporter", "importer", "year", "pair", "ldist", "fta", "y")], "twoway")
Xd <- cbind(ldist = t2$ldist, fta = t2$fta)
fit_model("twoway", "twoway_ols", "log(y) ~ ldist + fta | exporter + importer + year", "ols",
          t2, log(t2$y), Xd, c("exporter", "importer", "year"),
          list(list(type = "cluster", clusters = c("exporter", "importer")),
               list(type = "cluster", clusters = "pair")))
fit_model("twoway", "twoway_ppml", "y ~ ldist + fta | exporter + importer + year", "ppml",
          t2, t2$y, Xd, c("exporter", "importer", "year"),
          list(list(type = "cluster", clusters = c("exporter", "importer"))))

## (e) No fixed effects (intercept), OLS and PPML, for the MLlib cross-check and the intercept path. -
Xe <- cbind("(Intercept)" = 1, ldist = t2$ldist, fta = t2$fta)
fit_model("twoway", "twoway_ppml_nofe", "y ~ ldist + fta", "ppml", t2, t2$y, Xe, character(0),
          list(list(type = "hetero", clusters = NULL)))

expected <- do.call(rbind, rows)
write.csv(expected, "expected.csv", row.names = FALSE, quote = TRUE)
cat("expected rows:", nrow(expected), "\n")
