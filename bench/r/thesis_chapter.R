# The thesis' Résultats chapter as a competent R author would write it by hand, for the side-by-side bench
# (scripts/bench.py, section « Whole chapter beside R »): not used by the pipeline or the tests.
#
#   Rscript bench/r/thesis_chapter.R RESPONSES.csv CODED_COUNTS.csv OUT_DIR
#
# Starts from the cleaned responses and the open answers' coded counts (what an author has after cleaning the
# export and coding the open answers by hand in a spreadsheet), then does what the pipeline does after them:
# the eight tables of the analysis plan (counts and %, mean ± SD, ranks), the same 27 tests (Fisher exact by CPTS,
# Wilcoxon by use, Kruskal-Wallis by CPTS) with Holm and BH corrections and the same effect sizes with their 95 %
# intervals (effectsize), seven figures (ggplot2, PNG 300 dpi + SVG), and the chapter in Word (officer, flextable)
# and in HTML (flextable). Debian packages: r-cran-effectsize r-cran-ggplot2 r-cran-svglite r-cran-officer
# r-cran-flextable.
suppressPackageStartupMessages({
  library(effectsize)
  library(ggplot2)
  library(officer)
  library(flextable)
})

args <- commandArgs(trailingOnly = TRUE)
responses <- read.csv(args[1], encoding = "UTF-8", na.strings = "", check.names = FALSE)
coded <- read.csv(args[2], encoding = "UTF-8", na.strings = "", check.names = FALSE)
out <- args[3]
dir.create(out, showWarnings = FALSE, recursive = TRUE)

freins <- grep("^frein_", names(responses), value = TRUE)
recours <- grep("^recours_", names(responses), value = TRUE)

pct <- function(n, d) sprintf("%s (%s %%)", n, format(round(100 * n / d, 1), decimal.mark = ","))
mean_sd <- function(x) sprintf("%s ± %s", format(round(mean(x, na.rm = TRUE), 1), decimal.mark = ","),
                               format(round(sd(x, na.rm = TRUE), 1), decimal.mark = ","))

categorical <- function(variables, by = NULL) {
  rows <- lapply(variables, function(v) {
    x <- responses[[v]]
    levels <- sort(unique(x[!is.na(x)]))
    if (is.null(by)) {
      data.frame(variable = v, level = levels, n = vapply(levels, function(l) pct(sum(x == l, na.rm = TRUE),
                                                                                   sum(!is.na(x))), ""))
    } else {
      g <- responses[[by]]
      cols <- lapply(sort(unique(g[!is.na(g)])), function(grp) {
        vapply(levels, function(l) pct(sum(x == l & g == grp, na.rm = TRUE), sum(!is.na(x) & g == grp, na.rm = TRUE)), "")
      })
      names(cols) <- sort(unique(g[!is.na(g)]))
      cbind(data.frame(variable = v, level = levels), as.data.frame(cols, check.names = FALSE))
    }
  })
  do.call(rbind, rows)
}

scores <- function(items, by = NULL) {
  if (is.null(by)) return(data.frame(item = items, moyenne = vapply(items, function(v) mean_sd(responses[[v]]), "")))
  g <- responses[[by]]
  groups <- sort(unique(g[!is.na(g)]))
  cols <- lapply(groups, function(grp) vapply(items, function(v) mean_sd(responses[[v]][g %in% grp]), ""))
  names(cols) <- groups
  cbind(data.frame(item = items), as.data.frame(cols, check.names = FALSE))
}

ranks <- function(items, by) {
  g <- responses[[by]]
  do.call(rbind, lapply(items, function(v) {
    data.frame(item = v, premier = tapply(responses[[v]] == 1, g, sum, na.rm = TRUE),
               dernier = tapply(responses[[v]] == length(items), g, sum, na.rm = TRUE), groupe = sort(unique(g)))
  }))
}

tables <- list(
  tableau_1 = categorical(c("genre", "age", "mode_exercice", "lieu", "cpts", "role_cpts", "universitaire",
                            "structure", "actes")),
  tableau_2 = categorical(c("genre", "age", "mode_exercice", "lieu", "role_cpts", "universitaire", "structure",
                            "actes"), by = "cpts"),
  tableau_3 = categorical("age", by = "cpts"),
  tableau_4 = categorical(c("connait_tle", "forme_tle", "pratique_tle")),
  tableau_5a = ranks(recours, "pratique_tle"),
  tableau_5b = categorical(c("frequence", "specialite"), by = "pratique_tle"),
  tableau_6 = scores(freins),
  tableau_7 = scores(freins, by = "pratique_tle"),
  tableau_8 = scores(freins, by = "cpts")
)

# The 27 tests, each with its effect size and 95 % interval, then Holm and BH within each table.
fisher_row <- function(table, v, by) {
  x <- table(responses[[v]], responses[[by]])
  ci <- cramers_v(x, adjust = TRUE, ci = 0.95)
  data.frame(table = table, variable = v, test = "fisher", statistic = NA,
             p = fisher.test(x, workspace = 2e8)$p.value, effect = ci$Cramers_v_adjusted, low = ci$CI_low,
             high = ci$CI_high)
}
wilcox_row <- function(table, v, by) {
  d <- responses[!is.na(responses[[v]]) & !is.na(responses[[by]]), ]
  groups <- split(d[[v]], d[[by]])
  test <- suppressWarnings(wilcox.test(groups[[1]], groups[[2]], exact = FALSE, correct = TRUE))
  ci <- rank_biserial(groups[[1]], groups[[2]], ci = 0.95)
  data.frame(table = table, variable = v, test = "wilcoxon", statistic = unname(test$statistic), p = test$p.value,
             effect = ci$r_rank_biserial, low = ci$CI_low, high = ci$CI_high)
}
kruskal_row <- function(table, v, by) {
  d <- responses[!is.na(responses[[v]]) & !is.na(responses[[by]]), ]
  test <- kruskal.test(d[[v]], factor(d[[by]]))
  ci <- rank_epsilon_squared(d[[v]], factor(d[[by]]), ci = 0.95)
  data.frame(table = table, variable = v, test = "kruskal", statistic = unname(test$statistic), p = test$p.value,
             effect = ci$rank_epsilon_squared, low = ci$CI_low, high = ci$CI_high)
}
set.seed(20250409)
tests <- rbind(
  do.call(rbind, lapply(c("genre", "age", "mode_exercice", "lieu", "role_cpts", "universitaire", "structure",
                          "actes"), fisher_row, table = "tableau_2", by = "cpts")),
  fisher_row("tableau_3", "age", "cpts"),
  do.call(rbind, lapply(freins, wilcox_row, table = "tableau_7", by = "pratique_tle")),
  do.call(rbind, lapply(freins, kruskal_row, table = "tableau_8", by = "cpts"))
)
tests$p_holm <- ave(tests$p, tests$table, FUN = function(p) p.adjust(p, "holm"))
tests$p_bh <- ave(tests$p, tests$table, FUN = function(p) p.adjust(p, "BH"))
stopifnot(nrow(tests) == 27)
write.csv(tests, file.path(out, "tests.csv"), row.names = FALSE)
for (name in names(tables)) write.csv(tables[[name]], file.path(out, paste0(name, ".csv")), row.names = FALSE)

# Figures: PNG (300 dpi) and SVG of each.
save_figure <- function(plot, name) {
  ggsave(file.path(out, paste0(name, ".png")), plot, width = 6.3, height = 3.8, dpi = 300)
  ggsave(file.path(out, paste0(name, ".svg")), plot, width = 6.3, height = 3.8)
}
figures <- list(
  figure_8 = ggplot(responses, aes(aisance_numerique)) + geom_histogram(binwidth = 1) + theme_minimal() +
    labs(x = "Aisance avec les outils numériques (1 à 10)", y = "Nombre de médecins")
)
for (q in c("plateforme", "role_tle", "autres_freins", "favoriserait", "leviers")) {
  d <- coded[coded$question == q, ]
  figures[[q]] <- ggplot(d, aes(reorder(label, n), n)) + geom_col() + coord_flip() + theme_minimal() +
    labs(x = NULL, y = "Nombre de réponses")
}
long <- data.frame(item = rep(freins, each = nrow(responses)), score = unlist(responses[freins]),
                   groupe = rep(responses$pratique_tle, length(freins)))
figures$figure_freins <- ggplot(long, aes(score, item, colour = groupe)) +
  stat_summary(fun.data = mean_cl_normal, position = position_dodge(0.5), na.rm = TRUE) + theme_minimal()
for (name in names(figures)) save_figure(figures[[name]], name)

# The chapter in Word and in HTML: each table as a flextable with its title, each figure with its caption.
doc <- read_docx()
html <- character()
for (name in names(tables)) {
  ft <- autofit(flextable(tables[[name]]))
  doc <- body_add_par(doc, paste("Table :", name), style = "heading 2")
  doc <- body_add_flextable(doc, ft)
  html <- c(html, paste0("<h2>", name, "</h2>"), as.character(htmltools_value(ft)))
}
for (name in names(figures)) {
  doc <- body_add_img(doc, file.path(out, paste0(name, ".png")), width = 6.3, height = 3.8)
  doc <- body_add_par(doc, paste("Figure :", name), style = "Normal")
}
print(doc, target = file.path(out, "resultats.docx"))
writeLines(c("<!DOCTYPE html><html lang=\"fr\"><body>", html, "</body></html>"), file.path(out, "resultats.html"))
