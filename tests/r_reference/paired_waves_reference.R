# R references of the paired cross-wave comparison (issue O) on the generated pair of waves
# tests/r_reference/paired_waves_{a,b}.csv (written by tests/paired_waves.py; see its docstring).
#
#   Rscript tests/r_reference/paired_waves_reference.R   (writes paired_waves_reference.json)
#
# Respondents are matched on `identifiant` (a key given twice in a wave matches nobody). Share of
# « Oui » to pratique_tle: exact McNemar test = binom.test(b, b + c) on the discordant pairs (and
# mcnemar.test's chi² for the record). Each barrier: wilcox.test(a, b, paired = TRUE) with R's defaults
# (exact below 50 pairs without ties or zeros, else normal with continuity correction).
library(jsonlite)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
a <- read.csv(file.path(here, "paired_waves_a.csv"), colClasses = c(identifiant = "character"), encoding = "UTF-8")
b <- read.csv(file.path(here, "paired_waves_b.csv"), colClasses = c(identifiant = "character"), encoding = "UTF-8")
once <- function(d) d[!(d$identifiant %in% d$identifiant[duplicated(d$identifiant)]), ]
m <- merge(once(a), once(b), by = "identifiant", suffixes = c("_a", "_b"))
m <- m[order(m$identifiant), ]
ya <- m$pratique_tle_a == "Oui"; yb <- m$pratique_tle_b == "Oui"
b_ <- sum(ya & !yb); c_ <- sum(!ya & yb)
tab <- matrix(c(sum(ya & yb), sum(!ya & yb), sum(ya & !yb), sum(!ya & !yb)), 2)
items <- sub("_a$", "", grep("^frein_.*_a$", names(m), value = TRUE))
scores <- lapply(items, function(item) {
  t <- wilcox.test(m[[paste0(item, "_a")]], m[[paste0(item, "_b")]], paired = TRUE)
  list(variable = item, statistic = unname(t$statistic), p_value = t$p.value, method = t$method,
       n_pairs = sum(!is.na(m[[paste0(item, "_a")]]) & !is.na(m[[paste0(item, "_b")]])))
})
p_raw <- sapply(scores, function(s) s$p_value)
out <- list(generator = "tests/r_reference/paired_waves_reference.R", r_version = R.version.string,
            n_pairs = nrow(m), unmatched_a = nrow(a) - nrow(m), unmatched_b = nrow(b) - nrow(m),
            share = list(b = b_, c = c_, exact_p_value = binom.test(b_, b_ + c_)$p.value,
                         mcnemar_chisq_p_value = mcnemar.test(tab)$p.value),
            scores = scores, p_holm = p.adjust(p_raw, "holm"))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), file.path(here, "paired_waves_reference.json"))
