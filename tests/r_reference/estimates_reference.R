# Reference values for the estimates, post-hoc and paired statistics of surveykit.stats (issue O):
# effect-size intervals that invert their tests (effects.py), differences with intervals (estimates.py),
# pairwise comparisons and letters (posthoc.py), paired tests (rtests.py), regressions (regression.py).
#
# Regenerate (R 4.2 with 'effectsize', 'multcompView', 'MASS'; Debian: r-cran-effectsize, r-cran-multcompview):
#   Rscript tests/r_reference/estimates_reference.R > tests/r_reference/estimates_reference.json
#
# The contingency tables, the JSON writer and the R literals come from helpers.R, shared with
# stats_reference.R; the two and k samples are written as in stats_reference.R, so that both files
# describe the same inputs. Where no R package implements a method (Newcombe's interval, Dunn's z,
# the Wilcoxon-inversion interval of the rank-biserial), its published formula is written here in R,
# from R's own building blocks (prop.test, qwilcox, qnorm, rank), independently of the Python code.

suppressPackageStartupMessages({
  library(effectsize)
  library(multcompView)
  library(MASS)
})

here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "helpers.R"))  # JSON writer, literals, cases, contingency tables

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


variants <- list(
  list(id = "small_ties_nocorrect", xy = two_samples$small_ties, args = "correct = FALSE", exact = NULL, correct = FALSE),
  list(id = "exact_5_7_forced_normal", xy = two_samples$exact_5_7, args = "exact = FALSE", exact = FALSE, correct = TRUE),
  list(id = "exact_20_30_normal_nocorrect", xy = two_samples$exact_20_30, args = "exact = FALSE, correct = FALSE", exact = FALSE, correct = FALSE),
  list(id = "normal_60_80_forced_exact", xy = two_samples$normal_60_80, args = "exact = TRUE", exact = TRUE, correct = TRUE),
  list(id = "likert_forced_exact_ties", xy = two_samples$likert_12_15, args = "exact = TRUE", exact = TRUE, correct = TRUE)
)

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

# ================================================================= issue O
all_ct <- c(all_tables, big_tables)
nonempty <- function(m) m[rowSums(m) > 0, colSums(m) > 0, drop = FALSE]

# ----------------------------------------------------------------- Cramér's V: interval on the uncorrected X²
ncp_root <- function(chi, df, target) {
  if (is.na(chi)) return(NA)
  if (pchisq(chi, df) <= target) return(0)
  up <- max(1, chi)
  while (pchisq(chi, df, ncp = up) > target) up <- up * 2
  uniroot(function(ncp) pchisq(chi, df, ncp = ncp) - target, c(0, up), tol = 1e-13)$root
}
ncp_bounds <- function(chi, df, alt, conf = 0.95) {
  a <- 1 - conf
  if (alt == "greater") c(ncp_root(chi, df, 1 - a), Inf) else c(ncp_root(chi, df, 1 - a / 2), ncp_root(chi, df, a / 2))
}
for (id in names(all_ct)) {
  m <- nonempty(all_ct[[id]])
  if (min(dim(m)) < 2) next
  n <- sum(m)
  chi <- unname(suppressWarnings(chisq.test(m, correct = FALSE))$statistic)
  df <- (nrow(m) - 1) * (ncol(m) - 1)
  for (alt in c("greater", "two.sided")) {
    call <- sprintf("cramers_v(%s, adjust = FALSE, alternative = \"%s\")", mat(m), alt)
    unadj <- run(call)
    adj <- run(sub("adjust = FALSE", "adjust = TRUE", call, fixed = TRUE))
    level <- if (alt == "two.sided") 0.95 else 0.90
    targets <- c((1 + level) / 2, (1 - level) / 2)
    eff_ncp <- effectsize:::.get_ncp_chi(chi, df, level)
    eff_err <- max(ifelse(eff_ncp > 0, abs(pchisq(chi, df, ncp = eff_ncp) - targets), 0))
    b <- ncp_bounds(chi, df, alt)
    to_v <- function(ncp) min(sqrt(ncp / n / (min(dim(m)) - 1)), 1)
    add("cramers_v_ncp", paste(id, alt, sep = "_"), call, list(table = m, alternative = alt),
        list(estimate_adjusted = adj[[1]], chisq = chi, df = df,
             p_value = suppressWarnings(chisq.test(m, correct = FALSE))$p.value,
             ci_low = to_v(b[1]), ci_high = if (alt == "greater") 1 else to_v(b[2]),
             effectsize_ci_low = unadj$CI_low, effectsize_ci_high = unadj$CI_high,
             effectsize_adjusted_ci_low = adj$CI_low, effectsize_optim_error = eff_err))
  }
}

# ----------------------------------------------------------------- rank-biserial: inversion of wilcox.test
rb <- function(x, y) unname(rank_biserial(x, y)$r_rank_biserial)
rb_shift <- function(x, y, d) { D <- outer(x, y, "-"); (sum(D > d) - sum(D < d)) / length(D) }
wilcox_branch_exact <- function(x, y, exact) {
  r <- rank(c(x, y))
  if (is.null(exact)) exact <- length(x) < 50 && length(y) < 50
  exact && length(unique(r)) == length(r)
}
critical_r <- function(x, y, tail, exact = NULL, correct = TRUE) {
  nx <- length(x); ny <- length(y); N <- nx * ny
  if (wilcox_branch_exact(x, y, exact)) return((N - 2 * qwilcox(tail, nx, ny) + 1) / N)
  nt <- table(rank(c(x, y)))
  sigma <- sqrt((nx * ny / 12) * ((nx + ny + 1) - sum(nt^3 - nt) / ((nx + ny) * (nx + ny - 1))))
  if (sigma == 0) return(NA)
  (2 * qnorm(1 - tail) * sigma + if (correct) 1 else 0) / N
}
rb_variants <- c(lapply(names(two_samples), function(id) list(id = id, xy = two_samples[[id]], exact = NULL, correct = TRUE, args = "")),
                 variants, list(list(id = "all_tied", xy = all_tied, exact = NULL, correct = TRUE, args = "")))
for (v in rb_variants) {
  x <- v$xy[[1]][!is.na(v$xy[[1]])]; y <- v$xy[[2]][!is.na(v$xy[[2]])]
  args <- if (nzchar(v$args)) paste0(", ", v$args) else ""
  call <- sprintf("wilcox.test(%s, %s%s, conf.int = TRUE)", lit(x), lit(y), args)
  w <- try(run(call), silent = TRUE)
  if (inherits(w, "try-error")) w <- run(sprintf("wilcox.test(%s, %s%s)", lit(x), lit(y), args))
  r <- rb(x, y)
  for (conf in c(0.95, 0.90)) {
    c2 <- critical_r(x, y, (1 - conf) / 2, v$exact, v$correct)
    values <- list(estimate = r, p_value = w$p.value, critical_r = c2,
                   ci_low = if (is.na(c2)) NA else max(r - c2, -1), ci_high = if (is.na(c2)) NA else min(r + c2, 1))
    # identity with the Hodges-Lehmann interval (exact branch, distinct pairwise differences):
    # r minus the rank-biserial of (x - bound, y), counted on
    # the pairwise differences wilcox.test sorts (x_i - (x_i - y_j) is not always y_j in floating point)
    if (conf == 0.95 && wilcox_branch_exact(x, y, v$exact) && qwilcox(0.025, length(x), length(y)) > 0 &&
        anyDuplicated(as.vector(outer(x, y, "-"))) == 0) {
      values$ci_low_from_hl <- r - rb_shift(x, y, w$conf.int[1])
      values$ci_high_from_hl <- r - rb_shift(x, y, w$conf.int[2])
    }
    add("rank_biserial_wilcox", sprintf("%s_conf%s", v$id, conf),
        sprintf("list(r = rank_biserial(x, y), test = %s)", call),
        list(x = jarr(v$xy[[1]]), y = jarr(v$xy[[2]]), exact = v$exact, correct = v$correct, conf_level = conf),
        values)
  }
}

# ----------------------------------------------------------------- epsilon²: inversion of kruskal.test
for (id in names(k_samples)) {
  gs <- lapply(k_samples[[id]], function(v) v[!is.na(v)])
  gs <- gs[lengths(gs) > 0]
  y <- unlist(gs); g <- factor(rep(seq_along(gs), lengths(gs)))
  kw <- suppressWarnings(kruskal.test(y, g))
  h <- unname(kw$statistic); df <- unname(kw$parameter); n <- length(y)
  est <- rank_epsilon_squared(y, g, ci = NULL)[[1]]
  for (alt in c("greater", "two.sided")) {
    b <- ncp_bounds(h, df, alt)
    eff_ncp <- if (is.na(h)) c(NA, NA) else effectsize:::.get_ncp_chi(h, df, if (alt == "greater") 0.90 else 0.95)
    add("epsilon_ncp", paste(id, alt, sep = "_"),
        sprintf("list(eps = rank_epsilon_squared(%s, factor(%s), ci = NULL), kw = kruskal.test(y, g), ncp = uniroot(pchisq(H, df, ncp) - target))", lit(y), lit(as.integer(g))),
        list(groups = lapply(k_samples[[id]], jarr), alternative = alt),
        list(estimate = est, statistic = h, p_value = kw$p.value,
             ci_low = min(b[1] / (n - 1), 1), ci_high = if (alt == "greater") 1 else min(b[2] / (n - 1), 1),
             effectsize_ncp_low = eff_ncp[1] / (n - 1)))
  }
}

# ----------------------------------------------------------------- difference of proportions (Newcombe 1998, method 10)
newcombe <- function(x1, n1, x2, n2, conf = 0.95) {
  w1 <- suppressWarnings(prop.test(x1, n1, conf.level = conf, correct = FALSE)$conf.int)
  w2 <- suppressWarnings(prop.test(x2, n2, conf.level = conf, correct = FALSE)$conf.int)
  p1 <- x1 / n1; p2 <- x2 / n2; d <- p1 - p2
  c(d, d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
}
prop_cases <- list(c(56, 70, 48, 80), c(9, 10, 3, 10), c(6, 7, 2, 7), c(5, 56, 0, 29), c(0, 10, 0, 20),
                   c(10, 10, 20, 20), c(0, 10, 10, 10), c(1, 1, 0, 1), c(0, 1, 1, 1), c(1, 2, 1, 2),
                   c(3, 39, 14, 39), c(22, 39, 9, 39), c(120, 200, 95, 200), c(700, 760, 600, 700),
                   c(1, 1000, 0, 1000), c(999, 1000, 1000, 1000), c(7, 11, 4, 12), c(2, 50, 8, 50),
                   c(17, 23, 6, 14), c(33, 120, 50, 121), c(14, 14, 0, 14), c(4, 5, 1, 9), c(13, 40, 12, 39),
                   c(44, 80, 44, 80), c(1, 3, 2, 3), c(15, 16, 3, 25), c(250, 500, 260, 500),
                   c(0, 5, 4, 5), c(11, 39, 24, 39), c(30, 31, 1, 30))
for (xn in prop_cases) for (conf in c(0.95, 0.90)) {
  call <- sprintf("newcombe(%d, %d, %d, %d, conf = %s)", xn[1], xn[2], xn[3], xn[4], conf)
  r <- run(call)
  add("newcombe", sprintf("x%d_n%d_x%d_n%d_conf%s", xn[1], xn[2], xn[3], xn[4], conf), call,
      list(x1 = xn[1], n1 = xn[2], x2 = xn[3], n2 = xn[4], conf_level = conf),
      list(estimate = r[1], ci_low = r[2], ci_high = r[3]))
}

# ----------------------------------------------------------------- odds ratio of fisher.test
set.seed(17)
or_tables <- c(all_ct[vapply(all_ct, function(m) all(dim(m) == 2), TRUE)],
               lapply(setNames(1:14, sprintf("random_or_%02d", 1:14)), function(i)
                 matrix(rpois(4, c(1, 3, 8, 30, 2, 5, 12, 1, 4, 20, 6, 9, 3, 60)[i] + 0.5 * (1:4)), 2)))
for (id in names(or_tables)) {
  m <- or_tables[[id]]
  if (any(rowSums(m) == 0) || any(colSums(m) == 0)) next
  for (conf in c(0.95, 0.90)) {
    call <- sprintf("fisher.test(%s, conf.level = %s)", mat(m), conf)
    r <- run(call)
    add("odds_ratio", sprintf("%s_conf%s", id, conf), call, list(table = m, conf_level = conf),
        list(estimate = unname(r$estimate), ci_low = r$conf.int[1], ci_high = r$conf.int[2], p_value = r$p.value))
  }
}

# ----------------------------------------------------------------- difference of means (t.test)
for (id in names(two_samples)) {
  xy <- lapply(two_samples[[id]], function(v) v[!is.na(v)])
  for (ve in c(FALSE, TRUE)) {
    call <- sprintf("t.test(%s, %s, var.equal = %s)", lit(xy[[1]]), lit(xy[[2]]), ve)
    r <- try(run(call), silent = TRUE)
    if (inherits(r, "try-error")) next
    add("mean_difference", paste0(id, if (ve) "_student" else "_welch"), call,
        list(x = jarr(xy[[1]]), y = jarr(xy[[2]]), var_equal = ve),
        list(estimate = unname(r$estimate[1] - r$estimate[2]), ci_low = r$conf.int[1], ci_high = r$conf.int[2]))
  }
}

# ----------------------------------------------------------------- post hoc: pairwise tables, Wilcoxon, Dunn, letters
pair_ids <- function(k) { p <- combn(k, 2); lapply(seq_len(ncol(p)), function(j) p[, j]) }
letters_of <- function(p_adj, k) {
  nm <- vapply(pair_ids(k), function(ij) paste(LETTERS[ij[1]], LETTERS[ij[2]], sep = "-"), "")
  v <- setNames(!is.na(p_adj) & p_adj < 0.05, nm)
  as.list(multcompLetters(v)$Letters)
}
for (id in names(all_ct)) {
  m <- all_ct[[id]]
  if (ncol(m) < 3) next
  for (test in c("fisher", "chisq")) {
    raw <- vapply(pair_ids(ncol(m)), function(ij) {
      s <- m[, ij]; s <- s[rowSums(s) > 0, , drop = FALSE]
      if (nrow(s) < 2 || any(colSums(s) == 0)) return(1)
      if (test == "fisher") fisher.test(s)$p.value else suppressWarnings(chisq.test(s)$p.value)
    }, 0)
    adj <- p.adjust(raw, "holm")
    add("pairwise_table", paste(id, test, sep = "_"),
        sprintf("p.adjust(sapply(pairs, function(ij) %s.test(m[rowSums(m[, ij]) > 0, ij])$p.value), \"holm\")", test),
        list(table = m, test = test), list(p_value = jarr(raw), p_adjusted = jarr(adj), letters = letters_of(adj, ncol(m))))
  }
}
dunn_z <- function(gs) {
  y <- unlist(gs); n <- length(y); r <- rank(y); g <- rep(seq_along(gs), lengths(gs))
  mr <- tapply(r, g, mean); ni <- lengths(gs); t <- table(y)
  v <- n * (n + 1) / 12 - sum(t^3 - t) / (12 * (n - 1))
  vapply(pair_ids(length(gs)), function(ij) unname((mr[ij[1]] - mr[ij[2]]) / sqrt(v * (1 / ni[ij[1]] + 1 / ni[ij[2]]))), 0)
}
for (id in names(k_samples)) {
  gs_all <- k_samples[[id]]
  gs <- lapply(gs_all, function(v) v[!is.na(v)])
  y <- unlist(gs); g <- factor(rep(seq_along(gs), lengths(gs)), levels = seq_along(gs))
  if (all(lengths(gs) > 0)) {
    call <- sprintf("pairwise.wilcox.test(%s, %s, p.adjust.method = \"holm\")", lit(y), lit(as.integer(g)))
    pw <- suppressWarnings(pairwise.wilcox.test(y, g, p.adjust.method = "holm"))$p.value
    raw <- vapply(pair_ids(length(gs)), function(ij) suppressWarnings(wilcox.test(gs[[ij[1]]], gs[[ij[2]]])$p.value), 0)
    adj <- vapply(pair_ids(length(gs)), function(ij) pw[ij[2] - 1, ij[1]], 0)
    add("pairwise_wilcox", id, call, list(groups = lapply(gs_all, jarr)),
        list(p_value = jarr(raw), p_adjusted = jarr(adj), letters = letters_of(adj, length(gs))))
  }
  kept <- gs[lengths(gs) > 0]
  z <- dunn_z(kept)
  p <- 2 * pnorm(-abs(z))
  adj <- p.adjust(p, "holm")
  add("dunn", id, "z = (mean rank i - mean rank j) / sqrt((N(N+1)/12 - sum(t^3-t)/(12(N-1))) (1/ni + 1/nj)); p.adjust(2 * pnorm(-abs(z)), \"holm\")",
      list(groups = lapply(gs_all, jarr)), list(z = jarr(z), p_value = jarr(p), p_adjusted = jarr(adj),
                                                letters = if (any(is.na(adj))) NULL else letters_of(adj, length(kept))))
}
# letters of hand-made patterns (groups A, B, ... ; pairs that differ)
cld_patterns <- list(
  none = c("A-B" = FALSE, "A-C" = FALSE, "B-C" = FALSE),
  all = c("A-B" = TRUE, "A-C" = TRUE, "B-C" = TRUE),
  chain = c("A-B" = FALSE, "A-C" = TRUE, "A-D" = TRUE, "B-C" = FALSE, "B-D" = TRUE, "C-D" = FALSE),
  one_out = c("A-B" = FALSE, "A-C" = FALSE, "A-D" = TRUE, "B-C" = FALSE, "B-D" = TRUE, "C-D" = TRUE),
  five = c("A-B" = TRUE, "A-C" = FALSE, "A-D" = TRUE, "A-E" = FALSE, "B-C" = FALSE, "B-D" = FALSE, "B-E" = TRUE,
           "C-D" = TRUE, "C-E" = FALSE, "D-E" = TRUE),
  square = c("A-B" = TRUE, "A-C" = FALSE, "A-D" = FALSE, "B-C" = FALSE, "B-D" = FALSE, "C-D" = TRUE)
)
for (id in names(cld_patterns)) {
  add("letters", id, sprintf("multcompLetters(%s)", paste(deparse(cld_patterns[[id]]), collapse = "")),
      list(pairs = as.list(cld_patterns[[id]])), list(letters = as.list(multcompLetters(cld_patterns[[id]])$Letters)))
}

# ----------------------------------------------------------------- paired tests
set.seed(23)
paired_samples <- list(
  exact_8 = list(c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06), c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14)),
  exact_1 = list(3.5, 1.2),
  exact_3_all_positive = list(c(5.1, 6.2, 7.3), c(1, 2, 3)),
  with_zero = list(c(1, 2, 3, 4, 5.5), c(1, 1, 1.5, 6, 2)),
  likert_ties = list(sample(1:5, 20, TRUE), sample(1:5, 20, TRUE)),
  likert_30 = list(sample(1:10, 30, TRUE), sample(2:10, 30, TRUE)),
  exact_49 = list(round(rnorm(49), 6), round(rnorm(49, 0.3), 6)),
  normal_50 = list(round(rnorm(50), 6), round(rnorm(50, 0.3), 6)),
  normal_200 = list(round(rnorm(200), 5), round(rnorm(200, 0.1), 5)),
  ties_no_zero = list(c(2, 4, 6, 8, 10), c(1, 3, 5, 7, 12)),
  with_na = list(c(1.2, NA, 3.4, 5.1, 2.2, 8.1), c(2.2, 0.7, NA, 4.8, 6.3, 1.1)),
  all_zero = list(c(1, 2, 3), c(1, 2, 3)),
  one_nonzero = list(c(1, 2, 3), c(1, 2, 4)),
  exact_12 = list(round(runif(12), 4), round(runif(12, 0.1, 1.1), 4)),
  scores_10 = list(c(7, 8, 8, 9, 6, 10, 7, 8, 5, 9), c(5, 6, 4, 7, 6, 5, 3, 6, 7, 9)),
  large_ties = list(sample(0:10, 150, TRUE), sample(0:10, 150, TRUE))
)
paired_variants <- list(list(args = "", exact = NULL, correct = TRUE), list(args = ", exact = FALSE", exact = FALSE, correct = TRUE),
                        list(args = ", correct = FALSE", exact = NULL, correct = FALSE),
                        list(args = ", exact = TRUE", exact = TRUE, correct = TRUE))
for (id in names(paired_samples)) for (pv in paired_variants) {
  xy <- paired_samples[[id]]
  call <- sprintf("wilcox.test(%s, %s, paired = TRUE%s, conf.int = TRUE)", lit(xy[[1]]), lit(xy[[2]]), pv$args)
  r <- run(call)
  add("wilcox_paired", paste0(id, gsub("[^a-zA-Z]+", "_", pv$args)), call,
      list(x = jarr(xy[[1]]), y = jarr(xy[[2]]), exact = pv$exact, correct = pv$correct),
      list(statistic = unname(r$statistic), p_value = r$p.value, method = r$method, estimate = unname(r$estimate),
           conf_int = jarr(as.vector(r$conf.int)), conf_level = attr(r$conf.int, "conf.level")))
}
mcnemar_tables <- list(
  classic = rbind(c(794, 86), c(150, 570)), small = rbind(c(10, 5), c(1, 7)), no_discordant = rbind(c(5, 0), c(0, 4)),
  equal_discordant = rbind(c(3, 4), c(4, 9)), one_discordant = rbind(c(12, 1), c(0, 8)), zero_cells = rbind(c(0, 6), c(0, 0)),
  thesis_like = rbind(c(14, 6), c(2, 17)), large = rbind(c(300, 45), c(28, 387)), bowker_3x3 = rbind(c(10, 3, 2), c(5, 12, 1), c(6, 2, 9)),
  balanced = rbind(c(20, 10), c(10, 20)), extreme = rbind(c(0, 25), c(2, 0))
)
for (id in names(mcnemar_tables)) {
  m <- mcnemar_tables[[id]]
  for (correct in c(TRUE, FALSE)) {
    call <- sprintf("mcnemar.test(%s, correct = %s)", mat(m), correct)
    r <- run(call)
    values <- list(statistic = unname(r$statistic), df = unname(r$parameter), p_value = r$p.value, method = r$method)
    if (all(dim(m) == 2) && m[1, 2] + m[2, 1] > 0) values$exact_p_value <- binom.test(m[1, 2], m[1, 2] + m[2, 1])$p.value
    add("mcnemar", paste0(id, if (correct) "" else "_nocorrect"), call, list(table = m, correct = correct), values)
  }
}
binom_cases <- list(c(3, 10, 0.3), c(0, 10, 0.5), c(10, 10, 0.5), c(7, 20, 0.2), c(1, 1, 0.5), c(45, 100, 0.6),
                    c(2, 30, 0.01), c(29, 30, 0.99), c(5, 9, 0.5), c(0, 5, 0.1), c(12, 40, 1 / 3))
for (b in binom_cases) {
  call <- sprintf("binom.test(%d, %d, p = %s)", b[1], b[2], format(b[3], digits = 17))
  add("binom", sprintf("x%d_n%d_p%s", b[1], b[2], signif(b[3], 3)), call, list(x = b[1], n = b[2], p = b[3]),
      list(p_value = run(call)$p.value))
}

# ----------------------------------------------------------------- regressions (glm binomial + MASS profile, lm)
set.seed(29)
make_frame <- function(n, beta, levels3 = c("CPTS A", "CPTS B", "CPTS C"), na = 0) {
  age <- round(rnorm(n, 50, 10))
  cpts <- sample(levels3, n, TRUE)
  sexe <- sample(c("Femme", "Homme"), n, TRUE)
  eta <- beta[1] + beta[2] * (age - 50) / 10 + beta[3] * (cpts == levels3[2]) + beta[4] * (cpts == levels3[3]) +
    beta[5] * (sexe == "Homme")
  y <- rbinom(n, 1, plogis(eta))
  score <- round(5 + 0.8 * (age - 50) / 10 + 1.2 * (cpts == levels3[3]) + rnorm(n, 0, 2), 1)
  if (na > 0) { age[sample(n, na)] <- NA; cpts[sample(n, na)] <- NA; y[sample(n, na)] <- NA }
  data.frame(y = y, age = age, cpts = cpts, sexe = sexe, score = score, stringsAsFactors = FALSE)
}
reg_frames <- list(
  thesis_n39 = make_frame(39, c(0, 0.5, -0.5, 0.8, 0.3)),
  small_n25 = make_frame(25, c(-0.5, 0.3, 0.5, 0, -0.4)),
  medium_n120 = make_frame(120, c(-0.3, 0.4, 0.6, -0.5, 0.2)),
  large_n760 = make_frame(760, c(0.8, -0.3, 0.4, 0.9, -0.2)),
  with_na_n80 = make_frame(80, c(0.2, 0.6, -0.4, 0.4, 0), na = 6),
  rare_events_n200 = make_frame(200, c(-2.5, 0.5, 0.3, 0.6, 0.2)),
  strong_n60 = make_frame(60, c(0, 1.5, 1.5, -1.5, 1))
)
# a level with events only among some: quasi-complete separation
sep <- make_frame(40, c(0, 0.3, 0, 0, 0)); sep$y[sep$cpts == "CPTS C"] <- 1
# complete separation on a number
comp <- make_frame(30, c(0, 0, 0, 0, 0)); comp$y <- as.integer(comp$age > 50)
cov_sets <- list(c("age", "cpts", "sexe"), c("cpts"), c("age"))
glm_values <- function(fit, level = 0.95) {
  co <- summary(fit)$coefficients
  prof <- suppressMessages(confint(fit, level = level))
  if (is.null(dim(prof))) prof <- matrix(prof, nrow = 1, dimnames = list(names(coef(fit)), NULL))
  wald <- confint.default(fit, level = level)
  d1 <- drop1(fit, test = "LRT")
  list(terms = as.list(rownames(co)), estimate = jarr(co[, 1]), se = jarr(co[, 2]), z = jarr(co[, 3]), p = jarr(co[, 4]),
       wald_low = jarr(exp(wald[, 1])), wald_high = jarr(exp(wald[, 2])),
       profile_low = jarr(exp(prof[, 1])), profile_high = jarr(exp(prof[, 2])),
       lr_terms = as.list(rownames(d1)[-1]), lr_stat = jarr(d1$LRT[-1]), lr_df = jarr(d1$Df[-1]), lr_p = jarr(d1[["Pr(>Chi)"]][-1]),
       n = nobs(fit), deviance = deviance(fit), converged = fit$converged)
}
frame_inputs <- function(d, covs) {
  list(y = jarr(d$y), covariates = setNames(lapply(covs, function(v) jarr(d[[v]])), covs),
       levels = list(cpts = c("CPTS A", "CPTS B", "CPTS C"), sexe = c("Femme", "Homme")))
}
for (id in names(reg_frames)) for (k in seq_along(cov_sets)) {
  d <- reg_frames[[id]]; covs <- cov_sets[[k]]
  d$cpts <- factor(d$cpts, levels = c("CPTS A", "CPTS B", "CPTS C")); d$sexe <- factor(d$sexe, levels = c("Femme", "Homme"))
  call <- sprintf("glm(y ~ %s, family = binomial, data = d); confint(fit); confint.default(fit); drop1(fit, test = \"LRT\")",
                  paste(covs, collapse = " + "))
  fit <- glm(reformulate(covs, "y"), family = binomial, data = d)
  add("logistic", sprintf("%s_%s", id, paste(covs, collapse = "_")), call, frame_inputs(reg_frames[[id]], covs), glm_values(fit))
  lfit <- lm(reformulate(covs, "score"), data = d)
  co <- summary(lfit)$coefficients; ci <- confint(lfit); d1 <- drop1(lfit, test = "F")
  add("linear", sprintf("%s_%s", id, paste(covs, collapse = "_")), sub("glm(y", "lm(score", call, fixed = TRUE),
      list(y = jarr(reg_frames[[id]]$score), covariates = frame_inputs(reg_frames[[id]], covs)$covariates,
           levels = frame_inputs(reg_frames[[id]], covs)$levels),
      list(terms = as.list(rownames(co)), estimate = jarr(co[, 1]), se = jarr(co[, 2]), t = jarr(co[, 3]), p = jarr(co[, 4]),
           ci_low = jarr(ci[, 1]), ci_high = jarr(ci[, 2]), f_stat = jarr(d1[["F value"]][-1]), f_p = jarr(d1[["Pr(>F)"]][-1]),
           n = nobs(lfit), sigma = summary(lfit)$sigma))
}
for (sp in list(list(id = "quasi_separation", d = sep, covs = c("age", "cpts")), list(id = "complete_separation", d = comp, covs = c("age", "sexe")))) {
  d <- sp$d
  d$cpts <- factor(d$cpts, levels = c("CPTS A", "CPTS B", "CPTS C")); d$sexe <- factor(d$sexe, levels = c("Femme", "Homme"))
  warn <- NULL
  fit <- withCallingHandlers(glm(reformulate(sp$covs, "y"), family = binomial, data = d),
                             warning = function(w) { warn <<- conditionMessage(w); invokeRestart("muffleWarning") })
  add("logistic_separation", sp$id, sprintf("glm(y ~ %s, family = binomial)", paste(sp$covs, collapse = " + ")),
      frame_inputs(sp$d, sp$covs), list(warning = if (is.null(warn)) "" else warn, max_abs_coef = max(abs(coef(fit)))))
}

# ----------------------------------------------------------------- output
cat(json(list(generator = "tests/r_reference/estimates_reference.R", r_version = R.version.string,
              effectsize_version = as.character(packageVersion("effectsize")),
              multcompView_version = as.character(packageVersion("multcompView")),
              MASS_version = as.character(packageVersion("MASS")), cases = cases)), "\n")
