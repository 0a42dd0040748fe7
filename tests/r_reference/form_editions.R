# Reference values of the three waves of « outils_sante » whose form changed (tests/test_form_editions.py),
# computed by R from the raw exports alone.
#
#   Rscript tests/r_reference/form_editions.R > tests/r_reference/form_editions.json
#
# R reads outils_2024.csv and outils_2025.csv as Google Forms wrote them (setting aside the duplicate
# submission and the out-of-range number of years, as the pipeline does) and outils_2026.xlsx as Google
# Sheets wrote it (read with readxl; its headers were reworded). What each form asked is written here from
# the forms themselves, not from the pipeline: « Centre de santé » is an answer of the 2026 form only, the
# training question is asked in 2026 only, the obstacles question is not asked in 2026.
#
# Shares: x and n among the respondents who answered, Wilson 95 % interval (prop.test(x, n, correct = FALSE)),
# and, design « baseline », each wave against the first wave where the share exists on the 2 × 2 table
# (answer, other answers) × (two waves): chisq.test() (Yates) when every expected count is at least 5, else
# fisher.test(); Holm over the comparisons of one share (p.adjust(p, "holm")).
# Scores: each wave against the first with wilcox.test(a, b), Holm over the scores of one comparison.
# Numbers are printed with 17 significant digits.

suppressMessages({library(readxl); library(jsonlite)})
options(warn = -1)

read_csv_wave <- function(path) {
  d <- read.csv(path, check.names = FALSE, stringsAsFactors = FALSE, encoding = "UTF-8", na.strings = character(0))
  answers <- d[, -(1:2)]                                  # without timestamp and e-mail
  keep <- !duplicated(answers) & as.numeric(d[["Depuis combien d'années exercez-vous ?"]]) <= 60
  d <- d[keep, ]
  data.frame(utilise = d[["Utilisez-vous des outils numériques dans votre pratique ?"]],
             exercice = d[["Mode d'exercice"]], formation = NA_character_,
             ergonomie = as.numeric(d[["Votre satisfaction [Ergonomie]"]]),
             fiabilite = as.numeric(d[["Votre satisfaction [Fiabilité]"]]),
             rapidite = as.numeric(d[["Votre satisfaction [Rapidité]"]]),
             securite = as.numeric(d[["Votre satisfaction [Sécurité des données]"]]),
             impact = as.numeric(d[["Impact des outils numériques sur la qualité des soins"]]),
             stringsAsFactors = FALSE)
}

read_xlsx_wave <- function(path) {
  d <- as.data.frame(read_excel(path, sheet = "Réponses au formulaire 1"), check.names = FALSE)
  data.frame(utilise = d[["Utilisez-vous des outils numériques dans votre pratique ?"]],
             exercice = d[["Quel est votre mode d'exercice ?"]],
             formation = d[["Avez-vous suivi une formation au numérique ?"]],
             ergonomie = as.numeric(d[["Votre satisfaction [Ergonomie]"]]),
             fiabilite = as.numeric(d[["Votre satisfaction [Fiabilité]"]]),
             rapidite = as.numeric(d[["Votre satisfaction [Rapidité]"]]),
             securite = as.numeric(d[["Votre satisfaction [Sécurité des données]"]]),
             impact = as.numeric(d[["Impact des outils numériques sur la qualité des soins"]]),
             stringsAsFactors = FALSE)
}

waves <- c("outils_2024", "outils_2025", "outils_2026")
data <- list(outils_2024 = read_csv_wave("tests/fixtures/exports/outils_2024.csv"),
             outils_2025 = read_csv_wave("tests/fixtures/exports/outils_2025.csv"),
             outils_2026 = read_xlsx_wave("tests/fixtures/exports/outils_2026.xlsx"))

# (variable, level, waves whose form asks the question and offers the answer)
shares <- list(list(variable = "utilise", level = "Oui", waves = waves),
               list(variable = "exercice", level = "Libéral", waves = waves),
               list(variable = "exercice", level = "Centre de santé", waves = "outils_2026"),
               list(variable = "formation", level = "Oui", waves = "outils_2026"))

share_rows <- list(); test_rows <- list()
for (s in shares) {
  counts <- list()
  for (w in s$waves) {
    v <- data[[w]][[s$variable]]
    v <- v[!is.na(v) & v != ""]
    x <- sum(v == s$level); n <- length(v)
    ci <- prop.test(x, n, correct = FALSE)$conf.int
    counts[[w]] <- c(x, n)
    share_rows[[length(share_rows) + 1]] <- list(variable = s$variable, level = s$level, wave = w, x = x, n = n,
                                                 pct = sprintf("%.17g", 100 * x / n),
                                                 ci_low = sprintf("%.17g", 100 * ci[1]),
                                                 ci_high = sprintf("%.17g", 100 * ci[2]))
  }
  if (length(s$waves) < 2) next
  first <- s$waves[1]; p <- c(); rows <- list()
  for (w in s$waves[-1]) {
    tab <- rbind(c(counts[[first]][1], counts[[first]][2] - counts[[first]][1]),
                 c(counts[[w]][1], counts[[w]][2] - counts[[w]][1]))
    expected <- outer(rowSums(tab), colSums(tab)) / sum(tab)
    test <- if (all(expected >= 5)) "chisq" else "fisher"
    pv <- if (test == "chisq") chisq.test(tab)$p.value else fisher.test(tab)$p.value
    p <- c(p, pv)
    rows[[length(rows) + 1]] <- list(variable = s$variable, level = s$level, wave_a = first, wave_b = w, test = test,
                                     p_value = sprintf("%.17g", pv))
  }
  holm <- p.adjust(p, "holm")
  for (i in seq_along(rows)) {
    rows[[i]]$p_holm <- sprintf("%.17g", holm[i])
    test_rows[[length(test_rows) + 1]] <- rows[[i]]
  }
}

scores <- c("ergonomie", "fiabilite", "rapidite", "securite", "impact")
score_rows <- list()
for (w in waves[-1]) {
  p <- c(); rows <- list()
  for (v in scores) {
    a <- data[[waves[1]]][[v]]; b <- data[[w]][[v]]
    a <- a[!is.na(a)]; b <- b[!is.na(b)]
    t <- wilcox.test(a, b)
    p <- c(p, t$p.value)
    rows[[length(rows) + 1]] <- list(wave_a = waves[1], wave_b = w, score = v, statistic = unname(t$statistic),
                                     p_value = sprintf("%.17g", t$p.value), mean_a = sprintf("%.17g", mean(a)),
                                     sd_a = sprintf("%.17g", sd(a)), mean_b = sprintf("%.17g", mean(b)),
                                     sd_b = sprintf("%.17g", sd(b)))
  }
  holm <- p.adjust(p, "holm")
  for (i in seq_along(rows)) {
    rows[[i]]$p_holm <- sprintf("%.17g", holm[i])
    score_rows[[length(score_rows) + 1]] <- rows[[i]]
  }
}

cat(toJSON(list(r_version = R.version.string, shares = share_rows, share_tests = test_rows, scores = score_rows),
           auto_unbox = TRUE, pretty = TRUE, digits = NA), "\n")
