# Reference values for surveykit.stats, computed by R itself.
#
# Regenerate (R >= 4.0 with the packages 'effectsize' and 'boot'; Debian: r-cran-effectsize):
#   Rscript tests/r_reference/stats_reference.R > tests/r_reference/stats_reference.json
#
# Every case is generated deterministically here (set.seed + rounding), run through
# the literal R call stored in its "call" field, and written out as JSON with the
# inputs at full precision. The pytest files only read the JSON: R is not needed
# to run the tests.

suppressPackageStartupMessages({
  library(effectsize)
  library(boot)
})

here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "helpers.R"))  # JSON writer, literals, cases, contingency tables

for (id in names(c(all_tables, big_tables["big_3x4_n200"]))) {
  m <- c(all_tables, big_tables)[[id]]
  call <- if (id == "big_3x4_n200") sprintf("fisher.test(%s, workspace = 2e8)", mat(m)) else sprintf("fisher.test(%s)", mat(m))
  res <- run(call)
  add("fisher", id, call, list(table = m), list(p_value = res$p.value, estimate = num_or_null(res$estimate)))
}

for (id in names(c(all_tables, big_tables))) {
  m <- c(all_tables, big_tables)[[id]]
  corrects <- if (all(dim(m) == 2)) c(TRUE, FALSE) else TRUE
  for (correct in corrects) {
    call <- sprintf("chisq.test(%s, correct = %s)", mat(m), correct)
    res <- run(call)
    add("chisq", paste0(id, if (correct) "" else "_nocorrect"), call, list(table = m, correct = correct),
        list(statistic = unname(res$statistic), df = unname(res$parameter), p_value = res$p.value,
             method = res$method, expected = unname(res$expected)))
  }
}

# ----------------------------------------------------------------- two samples
set.seed(7)
two_samples <- list(
  exact_5_7 = list(round(rnorm(5), 3), round(rnorm(7, 1), 3)),
  one_vs_one = list(1.5, 2.5),
  one_vs_five = list(3.2, c(1.1, 2.2, 4.4, 5.5, 6.6)),
  two_vs_two = list(c(1.3, 2.7), c(0.4, 3.9)),
  three_vs_three_sep = list(c(10.1, 11.2, 12.3), c(1.4, 2.5, 3.6)),
  small_ties = list(c(1, 2, 2, 3), c(2, 3, 4, 4, 5)),
  likert_12_15 = list(sample(1:10, 12, TRUE), sample(1:10, 15, TRUE)),
  likert_14_25 = list(sample(3:10, 14, TRUE), sample(1:8, 25, TRUE)),
  unbalanced_3_40 = list(round(rnorm(3, 2), 2), round(rnorm(40), 2)),
  exact_49_49 = list(round(rnorm(49), 6), round(rnorm(49, 0.3), 6)),
  normal_50_49 = list(round(rnorm(50), 6), round(rnorm(49, 0.3), 6)),
  exact_20_30 = list(round(rexp(20), 5), round(rexp(30, 0.5), 5)),
  exact_10_10_shift = list(round(rnorm(10, 2), 4), round(rnorm(10), 4)),
  with_na = list(c(1.2, NA, 3.4, 5.1), c(2.2, 0.7, NA, 4.8, 6.3)),
  ties_tiny = list(c(1, 1), c(1, 2)),
  ties_half = list(c(2, 2, 2, 3, 3), c(3, 3, 4, 4, 4, 5)),
  large_2000_1500 = list(round(rnorm(2000, 0.1), 2), round(rnorm(1500), 2)),
  large_1000_1000_exp = list(round(rexp(1000), 3), round(rexp(1000, 1.2), 3)),
  skewed_8_12 = list(round(rexp(8, 0.2), 2), round(rexp(12, 0.5), 2)),
  integers_30_30 = list(sample(0:40, 30, TRUE), sample(5:45, 30, TRUE)),
  identical_groups = list(c(1.5, 2.5, 3.5), c(1.5, 2.5, 3.5)),
  exact_4_6 = list(c(0.11, 0.52, 0.93, 1.34), c(-0.2, 0.3, 0.8, 1.1, 1.6, 2.4)),
  exact_6_4_rev = list(c(-0.2, 0.3, 0.8, 1.1, 1.6, 2.4), c(0.11, 0.52, 0.93, 1.34)),
  ages_like = list(c(34, 41, 45, 52, 38, 29, 61, 47), c(55, 58, 49, 63, 44, 51)),
  scores_10pt_a = list(c(7, 8, 8, 9, 6, 10, 7, 8, 5, 9), c(5, 6, 4, 7, 6, 5, 3, 6, 7)),
  scores_10pt_b = list(c(1, 2, 2, 3, 5, 1, 2), c(2, 3, 3, 4, 6, 8, 2, 5)),
  exact_15_15 = list(round(runif(15), 4), round(runif(15, 0.2, 1.2), 4)),
  exact_2_30 = list(c(5.55, 6.66), round(rnorm(30, 5), 3)),
  normal_60_80 = list(round(rnorm(60), 5), round(rnorm(80, 0.2, 2), 5)),
  ties_large_100 = list(sample(1:5, 100, TRUE), sample(1:5, 120, TRUE))
)
all_tied <- list(c(5, 5, 5), c(5, 5))

wilcox_values <- function(res) list(statistic = unname(res$statistic), p_value = res$p.value, method = res$method,
                                    estimate = num_or_null(res$estimate), conf_int = num_or_null(as.vector(res$conf.int)))
for (id in names(two_samples)) {
  xy <- two_samples[[id]]
  call <- sprintf("wilcox.test(%s, %s, conf.int = TRUE)", lit(xy[[1]]), lit(xy[[2]]))
  add("wilcox", id, call, list(x = jarr(xy[[1]]), y = jarr(xy[[2]]), exact = NULL, correct = TRUE, conf_int = TRUE),
      wilcox_values(run(call)))
}
variants <- list(
  list(id = "small_ties_nocorrect", xy = two_samples$small_ties, args = "correct = FALSE", exact = NULL, correct = FALSE),
  list(id = "exact_5_7_forced_normal", xy = two_samples$exact_5_7, args = "exact = FALSE", exact = FALSE, correct = TRUE),
  list(id = "exact_20_30_normal_nocorrect", xy = two_samples$exact_20_30, args = "exact = FALSE, correct = FALSE", exact = FALSE, correct = FALSE),
  list(id = "normal_60_80_forced_exact", xy = two_samples$normal_60_80, args = "exact = TRUE", exact = TRUE, correct = TRUE),
  list(id = "likert_forced_exact_ties", xy = two_samples$likert_12_15, args = "exact = TRUE", exact = TRUE, correct = TRUE)
)
for (v in variants) {
  call <- sprintf("wilcox.test(%s, %s, %s, conf.int = TRUE)", lit(v$xy[[1]]), lit(v$xy[[2]]), v$args)
  add("wilcox", v$id, call, list(x = jarr(v$xy[[1]]), y = jarr(v$xy[[2]]), exact = v$exact, correct = v$correct, conf_int = TRUE),
      wilcox_values(run(call)))
}
call <- sprintf("wilcox.test(%s, %s)", lit(all_tied[[1]]), lit(all_tied[[2]]))
add("wilcox", "all_tied", call, list(x = jarr(all_tied[[1]]), y = jarr(all_tied[[2]]), exact = NULL, correct = TRUE, conf_int = FALSE),
    wilcox_values(run(call)))

for (id in names(two_samples)) {
  xy <- lapply(two_samples[[id]], function(v) v[!is.na(v)])
  for (ve in c(FALSE, TRUE)) {
    if (length(xy[[1]]) < 2 && !ve) next
    if (length(xy[[2]]) < 2 && !ve) next
    if (length(xy[[1]]) + length(xy[[2]]) < 3) next
    call <- sprintf("t.test(%s, %s, var.equal = %s)", lit(two_samples[[id]][[1]]), lit(two_samples[[id]][[2]]), ve)
    res <- try(run(call), silent = TRUE)
    if (inherits(res, "try-error")) next
    add("t_test", paste0(id, if (ve) "_student" else "_welch"), call,
        list(x = jarr(two_samples[[id]][[1]]), y = jarr(two_samples[[id]][[2]]), var_equal = ve),
        list(statistic = unname(res$statistic), df = unname(res$parameter), p_value = res$p.value,
             method = res$method, conf_int = as.vector(res$conf.int)))
  }
}

# ----------------------------------------------------------------- k samples
set.seed(11)
k_samples <- list(
  three_normal = list(round(rnorm(8), 2), round(rnorm(10, 0.5), 2), round(rnorm(9, 1), 2)),
  four_unbalanced = list(round(rnorm(3), 2), round(rnorm(15), 2), round(rnorm(6, 1), 2), round(rnorm(2, -1), 2)),
  likert_three = list(sample(1:10, 14, TRUE), sample(1:10, 11, TRUE), sample(1:10, 14, TRUE)),
  likert_five = list(sample(1:10, 8, TRUE), sample(2:10, 9, TRUE), sample(1:7, 10, TRUE), sample(4:10, 6, TRUE), sample(1:10, 5, TRUE)),
  two_groups = list(c(1.1, 2.3, 3.5, 4.2), c(2.8, 3.9, 5.1, 6.0, 7.2)),
  singletons = list(c(4.2), c(3.1, 5.5), c(6.7, 7.1, 8.0)),
  tiny_pairs = list(c(1, 2), c(3, 4), c(5, 7)),
  heavy_ties = list(c(1, 1, 2, 2, 2), c(2, 2, 3, 3), c(3, 3, 3, 4)),
  with_na = list(c(1.5, NA, 2.5, 3.5), c(4.5, 5.5, NA), c(2.0, 6.0, 7.0, NA)),
  all_na_group = list(c(1.5, 2.5, 3.5), c(NA, NA), c(4.0, 5.0, 6.5)),
  large_three = list(round(rnorm(300), 3), round(rnorm(250, 0.1), 3), round(rnorm(400, -0.05), 3)),
  large_ties = list(sample(1:5, 200, TRUE), sample(1:5, 180, TRUE), sample(2:5, 150, TRUE)),
  skewed = list(round(rexp(12), 3), round(rexp(9, 0.5), 3), round(rexp(15, 2), 3)),
  identical = list(c(1, 2, 3), c(1, 2, 3), c(1, 2, 3)),
  separated = list(c(1, 2, 3), c(10, 11, 12), c(20, 21, 22)),
  six_groups = lapply(1:6, function(i) round(rnorm(5 + i, i / 3), 2)),
  ages = list(c(34, 41, 45, 52, 38, 29, 61, 47), c(55, 58, 49, 63, 44, 51), c(36, 42, 39, 50, 33)),
  scores_a = list(c(7, 8, 8, 9, 6, 10, 7), c(5, 6, 4, 7, 6, 5), c(3, 6, 7, 2, 4, 5, 4)),
  scores_b = list(c(1, 2, 2, 3, 5), c(2, 3, 3, 4), c(6, 8, 2, 5, 5, 7)),
  unif_three = list(round(runif(20), 4), round(runif(25), 4), round(runif(18, 0.1, 1.1), 4)),
  exp_four = list(round(rexp(10), 3), round(rexp(10), 3), round(rexp(10), 3), round(rexp(10, 0.3), 3)),
  near_equal = list(c(10.01, 10.02, 10.03), c(10.02, 10.03, 10.04), c(10.01, 10.05, 10.02)),
  two_big = list(round(rnorm(1000), 2), round(rnorm(1000, 0.05), 2)),
  mixed_sizes = list(round(rnorm(2), 2), round(rnorm(30), 2), round(rnorm(7, 0.8), 2)),
  zero_var_group = list(c(5, 5, 5), c(1, 2, 3, 4), c(6, 7, 9)),
  negatives = list(c(-3.2, -1.1, -2.5, -4.0), c(-0.5, 0.2, -1.0), c(1.1, 2.2, 0.9, 1.7)),
  ranks_only = list(c(1, 4, 7), c(2, 5, 8), c(3, 6, 9)),
  int_counts = list(sample(0:3, 20, TRUE), sample(0:4, 22, TRUE), sample(1:4, 19, TRUE)),
  five_groups_small = list(c(1, 2), c(2, 3, 3), c(4, 4), c(5, 6), c(6, 7, 8)),
  decimals = list(c(0.1, 0.25, 0.33), c(0.5, 0.45, 0.41, 0.6), c(0.12, 0.9, 0.77)),
  all_tied = list(c(1, 1), c(1, 1, 1))
)
for (id in names(k_samples)) {
  gs <- k_samples[[id]]
  y <- unlist(gs)
  g <- rep(seq_along(gs), lengths(gs))
  # (x, g) interface = formula interface: NA dropped, groups left empty dropped
  call <- sprintf("kruskal.test(%s, factor(%s))", lit(y), lit(g))
  res <- run(call)
  add("kruskal", id, call, list(groups = lapply(gs, jarr)),
      list(statistic = unname(res$statistic), df = unname(res$parameter), p_value = res$p.value, method = res$method))
  call <- sprintf("summary(aov(y ~ g, data = data.frame(y = %s, g = factor(%s))))", lit(y), lit(g))
  tab <- run(call)[[1]]
  add("anova", id, call, list(groups = lapply(gs, jarr)),
      list(statistic = tab[1, "F value"], df = tab[1, "Df"], df_denominator = tab[2, "Df"], p_value = tab[1, "Pr(>F)"]))
  ok <- lapply(gs, function(v) v[!is.na(v)])
  ok <- ok[lengths(ok) > 0]
  if (all(lengths(ok) >= 2)) {
    call <- sprintf("oneway.test(y ~ g, data = data.frame(y = %s, g = factor(%s)), var.equal = TRUE)", lit(y), lit(g))
    res <- run(call)
    add("oneway", id, call, list(groups = lapply(gs, jarr)),
        list(statistic = unname(res$statistic), df = unname(res$parameter[1]), p_value = res$p.value, method = res$method))
  }
}

# ----------------------------------------------------------------- Shapiro-Wilk
set.seed(3)
shapiro_samples <- list()
for (n in 3:50) {
  shapiro_samples[[sprintf("norm_n%02d", n)]] <- round(rnorm(n, 10, 2), if (n %% 3 == 0) 1 else 4)
}
for (n in c(3, 4, 5, 7, 11, 12, 20, 35)) shapiro_samples[[sprintf("exp_n%02d", n)]] <- round(rexp(n), 3)
shapiro_samples$likert_n14 <- sample(1:10, 14, TRUE)
shapiro_samples$likert_n39 <- sample(1:10, 39, TRUE)
shapiro_samples$two_values_n10 <- c(rep(1, 5), rep(2, 5))
shapiro_samples$one_outlier_n8 <- c(1, 1, 1, 1, 1, 1, 1, 50)
shapiro_samples$tiny_range <- 1 + c(1, 3, 2, 7, 5, 4) * 1e-12
shapiro_samples$n3_equal_gaps <- c(1, 2, 3)
shapiro_samples$n3_extreme <- c(1, 1, 100)
shapiro_samples$with_na <- c(2.3, NA, 3.1, 4.7, NA, 1.9, 5.5)
shapiro_samples$norm_n100 <- round(rnorm(100), 3)
shapiro_samples$unif_n500 <- round(runif(500), 4)
shapiro_samples$norm_n1000 <- round(rnorm(1000), 4)
shapiro_samples$exp_n2500 <- round(rexp(2500), 4)
shapiro_samples$norm_n5000 <- round(rnorm(5000), 4)
for (id in names(shapiro_samples)) {
  x <- shapiro_samples[[id]]
  call <- sprintf("shapiro.test(%s)", lit(x))
  res <- run(call)
  add("shapiro", id, call, list(x = jarr(x)), list(statistic = unname(res$statistic), p_value = res$p.value, method = res$method))
}

# ----------------------------------------------------------------- p.adjust
set.seed(5)
p_vectors <- list(
  single = 0.03, pair = c(0.01, 0.04), with_na = c(0.01, NA, 0.04, 0.03),
  ties = c(0.02, 0.02, 0.02, 0.5), zeros_ones = c(0, 1, 0.5, 0, 1), all_na = c(NA, NA),
  monotone = c(0.001, 0.01, 0.02, 0.03, 0.04, 0.05), reversed = c(0.05, 0.04, 0.03, 0.02, 0.01, 0.001),
  table2_like = c(0.2684, 0.0065, 0.064, 0.0515, 0.3383, 0.1769, 0.3383, 0.5037)
)
for (i in 1:12) p_vectors[[sprintf("random_%02d", i)]] <- round(runif(3 + i) ^ 2, 5)
p_vectors$many_na <- c(NA, 0.2, NA, 0.01, 0.3, NA)
for (id in names(p_vectors)) {
  for (method in c("holm", "BH", "bonferroni")) {
    p <- p_vectors[[id]]
    call <- sprintf("p.adjust(%s, method = \"%s\")", lit(p), method)
    add("p_adjust", paste(id, method, sep = "_"), call, list(p = jarr(p), method = method), list(adjusted = jarr(run(call))))
  }
}

# ----------------------------------------------------------------- effect sizes
ncp_root <- function(chi, df, target) {
  if (pchisq(chi, df) <= target) return(0)
  up <- max(1, chi)
  while (pchisq(chi, df, ncp = up) > target) up <- up * 2
  uniroot(function(ncp) pchisq(chi, df, ncp = ncp) - target, c(0, up), tol = 1e-13)$root
}
adj_v <- function(chi, n, nr, nc) {  # effectsize's bias correction (Bergsma 2013)
  phi <- sqrt(max(0, chi / n - (nr - 1) * (nc - 1) / (n - 1)))
  phi / sqrt(min(nr - (nr - 1)^2 / (n - 1), nc - (nc - 1)^2 / (n - 1)) - 1)
}
for (id in names(c(all_tables, big_tables))) {
  m <- c(all_tables, big_tables)[[id]]
  m <- m[rowSums(m) > 0, colSums(m) > 0, drop = FALSE]
  if (min(dim(m)) < 2) next
  for (alt in c("greater", "two.sided")) {
    call <- sprintf("cramers_v(%s, adjust = TRUE, alternative = \"%s\")", mat(m), alt)
    res <- run(call)
    chi <- unname(suppressWarnings(chisq.test(m, correct = FALSE))$statistic)
    df <- (nrow(m) - 1) * (ncol(m) - 1)
    level <- if (alt == "two.sided") 0.95 else 0.90
    targets <- c((1 + level) / 2, (1 - level) / 2)  # lower bound, upper bound
    # effectsize solves pchisq(chi, df, ncp) = target with optim(); check how close it got
    eff_ncp <- effectsize:::.get_ncp_chi(chi, df, level)
    eff_err <- max(ifelse(eff_ncp > 0, abs(pchisq(chi, df, ncp = eff_ncp) - targets), 0))
    # the same bounds with the equation solved exactly (uniroot, tol 1e-13)
    exact <- vapply(targets, function(tg) ncp_root(chi, df, tg), 0)
    add("cramers_v", paste(id, alt, sep = "_"), call, list(table = m, alternative = alt),
        list(estimate = res[[1]], ci_low = res$CI_low, ci_high = res$CI_high, chisq = chi,
             effectsize_optim_error = eff_err,
             ci_low_exact_root = adj_v(exact[1], sum(m), nrow(m), ncol(m)),
             ci_high_exact_root = if (alt == "greater") 1 else min(adj_v(exact[2], sum(m), nrow(m), ncol(m)), 1)))
  }
}
for (id in names(two_samples)) {
  xy <- two_samples[[id]]
  call <- sprintf("rank_biserial(%s, %s)", lit(xy[[1]][!is.na(xy[[1]])]), lit(xy[[2]][!is.na(xy[[2]])]))
  res <- run(call)
  add("rank_biserial", id, call, list(x = jarr(xy[[1]]), y = jarr(xy[[2]])),
      list(estimate = res$r_rank_biserial, ci_low = res$CI_low, ci_high = res$CI_high))
}
for (id in names(k_samples)) {
  gs <- lapply(k_samples[[id]], function(v) v[!is.na(v)])
  gs <- gs[lengths(gs) > 0]
  y <- unlist(gs)
  g <- rep(seq_along(gs), lengths(gs))
  call <- sprintf("rank_epsilon_squared(%s, factor(%s), ci = NULL)", lit(y), lit(g))
  res <- run(call)
  add("epsilon_squared", id, call, list(groups = lapply(k_samples[[id]], jarr)), list(estimate = res[[1]]))
}
wilson_cases <- list(c(0, 10), c(10, 10), c(1, 10), c(5, 10), c(9, 10), c(0, 1), c(1, 1), c(3, 39), c(14, 39),
                     c(22, 39), c(24, 39), c(9, 39), c(11, 39), c(1, 2), c(2, 3), c(50, 100), c(1, 1000),
                     c(999, 1000), c(17, 23), c(6, 14), c(0, 14), c(14, 14), c(7, 11), c(33, 120), c(120, 121),
                     c(4, 5), c(2, 50), c(25, 26), c(13, 40), c(8, 9))
for (xn in wilson_cases) {
  call <- sprintf("prop.test(%d, %d, correct = FALSE)$conf.int", xn[1], xn[2])
  res <- run(call)
  add("wilson", sprintf("x%d_n%d", xn[1], xn[2]), call, list(x = xn[1], n = xn[2]),
      list(ci_low = res[1], ci_high = res[2]))
}
set.seed(13)
for (i in 1:12) {
  t <- round(rnorm(c(9, 19, 39, 99, 199, 200, 999, 1000, 50, 20, 10, 5)[i]), 4)
  for (conf in c(0.95, 0.90)) {
    alpha <- c((1 - conf) / 2, (1 + conf) / 2)
    call <- sprintf("boot:::norm.inter(%s, %s)[, 2]", lit(t), lit(alpha))
    add("norm_inter", sprintf("case%02d_conf%s", i, conf), call, list(t = jarr(t), alpha = jarr(alpha)),
        list(quantiles = jarr(run(call))))
  }
}

# ----------------------------------------------------------------- test choice
# For the choice rules: R's Shapiro-Wilk p-values per group (NULL where R refuses)
# and the p-values of both candidate tests.
safe_shapiro <- function(v) {
  v <- v[!is.na(v)]
  if (length(v) < 3 || length(v) > 5000 || diff(range(v)) == 0) return(NULL)
  shapiro.test(v)$p.value
}
for (id in names(two_samples)) {
  xy <- lapply(two_samples[[id]], function(v) v[!is.na(v)])
  call <- sprintf("list(shapiro_x = shapiro.test(%s), shapiro_y = shapiro.test(%s), welch = t.test(x, y), wilcox = wilcox.test(x, y))",
                  lit(xy[[1]]), lit(xy[[2]]))
  welch <- try(suppressWarnings(t.test(xy[[1]], xy[[2]])$p.value), silent = TRUE)
  add("choice_two", id, call, list(x = jarr(two_samples[[id]][[1]]), y = jarr(two_samples[[id]][[2]])),
      list(shapiro_x = safe_shapiro(xy[[1]]), shapiro_y = safe_shapiro(xy[[2]]),
           welch_p = if (inherits(welch, "try-error")) NULL else welch,
           wilcox_p = suppressWarnings(wilcox.test(xy[[1]], xy[[2]])$p.value)))
}
for (id in names(k_samples)) {
  gs <- lapply(k_samples[[id]], function(v) v[!is.na(v)])
  gs <- gs[lengths(gs) > 0]
  y <- unlist(gs)
  g <- factor(rep(seq_along(gs), lengths(gs)))
  call <- "list(shapiro = lapply(groups, shapiro.test), anova = summary(aov(y ~ g)), kruskal = kruskal.test(groups))"
  add("choice_k", id, call, list(groups = lapply(k_samples[[id]], jarr)),
      list(shapiro = lapply(gs, function(v) { s <- safe_shapiro(v); if (is.null(s)) NA else s }),
           anova_p = summary(aov(y ~ g))[[1]][1, "Pr(>F)"],
           kruskal_p = suppressWarnings(kruskal.test(gs)$p.value)))
}
for (id in names(c(all_tables, big_tables))) {
  m <- c(all_tables, big_tables)[[id]]
  m <- m[rowSums(m) > 0, colSums(m) > 0, drop = FALSE]
  if (min(dim(m)) < 2) next
  e <- suppressWarnings(chisq.test(m)$expected)
  fisher_call <- if (id == "big_3x4_n200") "fisher.test(m, workspace = 2e8)" else "fisher.test(m)"
  add("choice_table", id, sprintf("list(expected = chisq.test(m)$expected, chisq = chisq.test(m), fisher = %s)", fisher_call),
      list(table = m),
      list(min_expected = min(e), n_below_5 = sum(e < 5), n_cells = length(e),
           chisq_p = suppressWarnings(chisq.test(m)$p.value),
           fisher_p = run(sub("fisher.test(m", sprintf("fisher.test(%s", mat(m)), fisher_call, fixed = TRUE))$p.value))
}

cat(json(list(generator = "tests/r_reference/stats_reference.R", r_version = R.version.string,
              effectsize_version = as.character(packageVersion("effectsize")),
              boot_version = as.character(packageVersion("boot")), cases = cases)), "\n")
