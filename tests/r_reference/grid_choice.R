# Reference values for the grid_choice question type, computed by R from the raw test export
# tests/fixtures/exports/grilles_2025.csv (written by tests/fixtures/studies/make_grilles_usage.py).
#
# Regenerate (R >= 4.0 with jsonlite):
#   Rscript tests/r_reference/grid_choice.R > tests/r_reference/grid_choice.json
#
# The rows the pipeline sets aside are set aside here by the form's rules, written independently of it:
# a cell that is not one of the grid's options (case aside) is invalid, an « Opinion » answered outside
# « Ville » breaks the skip logic, a « Ville » row with an « Opinion » cell left blank misses a mandatory answer.
# Then, for each item: counts per level, the share at the positive end among the substantive answers, and
# wilcox.test / kruskal.test on the level order (1 = most negative; « Je ne connais pas cet outil » left out),
# fisher.test / chisq.test on items × groups (every level answered), Holm within each grid and comparison.
suppressPackageStartupMessages(library(jsonlite))

raw <- read.csv("tests/fixtures/exports/grilles_2025.csv", check.names = FALSE, encoding = "UTF-8",
                colClasses = "character", na.strings = character(0))
frequency <- c("Jamais", "Rarement", "Plusieurs fois par mois", "Plusieurs fois par semaine", "Quotidiennement")
unknown <- "Je ne connais pas cet outil"
agreement <- c("Pas du tout d'accord", "Plutôt pas d'accord", "Plutôt d'accord", "Tout à fait d'accord")
usage_items <- c(usage_messagerie = "Messagerie sécurisée", usage_teleexpertise = "Télé-expertise",
                 usage_agenda = "Agenda en ligne", usage_dmp = "Dossier médical partagé")
opinion_items <- c(opinion_temps = "Les outils me font gagner du temps",
                   opinion_facilite = "Les outils sont faciles à utiliser",
                   opinion_coordination = "Les outils améliorent la coordination")

canonical <- function(values, levels) {
  hit <- match(tolower(values), tolower(levels))
  ifelse(values == "", "", ifelse(is.na(hit), NA, levels[hit]))
}
data <- data.frame(profession = raw[["Quelle est votre profession ?"]], secteur = raw[["Secteur d'exercice"]])
for (id in names(usage_items)) data[[id]] <- canonical(raw[[paste0("Fréquence d'utilisation [", usage_items[[id]], "]")]],
                                                      c(frequency, unknown))
for (id in names(opinion_items)) data[[id]] <- canonical(raw[[paste0("Opinion [", opinion_items[[id]], "]")]], agreement)
invalid <- apply(is.na(data[, c(names(usage_items), names(opinion_items))]), 1, any)
opinions <- data[, names(opinion_items)] != ""
skip <- data$secteur != "Ville" & apply(opinions, 1, any)
blank <- data$secteur == "Ville" & apply(!opinions, 1, any)
data <- data[!(invalid | skip | blank), ]

describe <- function(items, levels, positive, substantive) {
  out <- list()
  for (id in items) {
    answers <- data[[id]][data[[id]] != ""]
    counts <- as.list(setNames(as.integer(table(factor(answers, levels = levels))), levels))
    kept <- sum(answers %in% substantive)
    out[[id]] <- list(counts = counts, answered = length(answers), substantive = kept,
                      positive = sum(answers %in% positive), positive_pct = 100 * sum(answers %in% positive) / kept)
  }
  out
}

rank_tests <- function(table_id, items, order, by, test) {
  rows <- list()
  for (id in items) {
    code <- match(data[[id]], order)  # NA: missing or non-substantive
    keep <- !is.na(code)
    groups <- factor(data[[by]][keep], levels = unique(data[[by]]))
    result <- if (test == "wilcoxon") wilcox.test(code[keep] ~ groups, correct = TRUE, exact = NULL)
              else kruskal.test(code[keep], groups)
    call <- if (test == "wilcoxon") "wilcox.test(code ~ group) (ties: normal approximation with continuity correction)"
            else "kruskal.test(code, group)"
    rows[[length(rows) + 1]] <- list(table = table_id, variable = id, test = test, call = call,
                                     statistic = unname(result$statistic), p_value = result$p.value, n = sum(keep))
  }
  holm(rows)
}

contingency_tests <- function(table_id, items, levels, by, test, rows_kept = rep(TRUE, nrow(data))) {
  rows <- list()
  for (id in items) {
    keep <- rows_kept & data[[id]] != ""
    counts <- table(factor(data[[id]][keep], levels = levels), data[[by]][keep])
    counts <- counts[rowSums(counts) > 0, colSums(counts) > 0, drop = FALSE]
    result <- if (test == "fisher") fisher.test(counts, workspace = 2e8) else suppressWarnings(chisq.test(counts))
    call <- if (test == "fisher") "fisher.test(table, workspace = 2e8)" else "chisq.test(table)"
    rows[[length(rows) + 1]] <- list(table = table_id, variable = id, test = test, call = call,
                                     statistic = if (test == "fisher") NA else unname(result$statistic),
                                     p_value = result$p.value, n = sum(counts))
  }
  holm(rows)
}

holm <- function(rows) {
  adjusted <- p.adjust(vapply(rows, function(r) r$p_value, 0), "holm")
  for (i in seq_along(rows)) rows[[i]]$p_holm <- adjusted[[i]]
  rows
}

ville <- data$secteur == "Ville"
tests <- c(
  rank_tests("usage_secteur", names(usage_items), frequency, "secteur", "wilcoxon"),
  rank_tests("usage_profession", names(usage_items), frequency, "profession", "kruskal"),
  contingency_tests("usage_profession_auto", names(usage_items), c(frequency, unknown), "profession", "fisher"),
  contingency_tests("usage_secteur_chisq", names(usage_items), c(frequency, unknown), "secteur", "chisq"),
  contingency_tests("opinion_profession", names(opinion_items), agreement, "profession", "fisher", ville)
)
output <- list(
  r_version = R.version.string, analysed = nrow(data),
  usage = describe(names(usage_items), c(frequency, unknown), frequency[4:5], frequency),
  opinion = describe(names(opinion_items), agreement, agreement[3:4], agreement),
  tests = tests
)
cat(toJSON(output, auto_unbox = TRUE, digits = I(17), pretty = TRUE, na = "null"), "\n")
