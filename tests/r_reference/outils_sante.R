# Reference values of the test study « outils_sante », computed by R from the raw exports alone.
#
#   Rscript tests/r_reference/outils_sante.R > tests/r_reference/outils_sante.csv
#
# R reads tests/fixtures/exports/outils_<year>.csv as written by Google Forms, sets aside the rows the
# pipeline sets aside (the duplicate submission, the out-of-range number of years), regroups the
# professions into « Médecins » / « Autres professionnels », and for each option of the multi-response
# questions builds the 2 × 2 table ticked / not ticked by group among the respondents asked (the tools
# question is asked to users only). It writes chisq.test() and fisher.test() p-values of every option
# (the pipeline chooses one of them by its expected counts), and the Wilcoxon and Kruskal-Wallis tests
# of the satisfaction grid. Numbers are printed with 17 significant digits.

options(warn = -1)
read_export <- function(path) {
  d <- read.csv(path, check.names = FALSE, stringsAsFactors = FALSE, encoding = "UTF-8", na.strings = character(0))
  answers <- d[, -(1:2)]                                  # without timestamp and e-mail
  keep <- !duplicated(answers) & as.numeric(d[["Depuis combien d'années exercez-vous ?"]]) <= 60
  d[keep, ]
}

tools <- c("Logiciel métier", "Téléconsultation", "Aide à la décision (scores, calculateurs)", "Messagerie sécurisée",
           "Applications pour les patients, suivi à distance")
obstacles <- c("Manque de temps pour se former", "Problèmes techniques ou de compatibilité", "Coût")
grid <- c("Ergonomie", "Fiabilité", "Rapidité", "Sécurité des données")

ticked <- function(cells, option) grepl(option, cells, fixed = TRUE)
other_text <- function(cells, options) {                   # what is left once the listed options are removed
  rest <- cells
  for (o in options) rest <- gsub(o, "", rest, fixed = TRUE)
  nchar(gsub("[ ,]", "", rest)) > 0
}

row_out <- function(wave, table, variable, level, yes, group) {
  g <- factor(group, levels = c("Médecins", "Autres professionnels"))
  tab <- table(factor(yes, levels = c(TRUE, FALSE)), g)
  p_chisq <- suppressWarnings(chisq.test(tab)$p.value)
  p_fisher <- fisher.test(tab)$p.value
  cat(sprintf("%s,%s,%s,\"%s\",%d,%d,%d,%d,%.17g,%.17g\n", wave, table, variable, level,
              tab[1, 1], tab[2, 1], tab[1, 2], tab[2, 2], p_chisq, p_fisher))
}

cat("wave,table,variable,level,yes_g1,no_g1,yes_g2,no_g2,p_chisq,p_fisher\n")
for (year in c("2024", "2025")) {
  wave <- paste0("outils_", year)
  d <- read_export(sprintf("tests/fixtures/exports/outils_%s.csv", year))
  group <- ifelse(startsWith(d[["Quelle est votre profession ?"]], "Médecin"), "Médecins", "Autres professionnels")
  users <- d[["Utilisez-vous des outils numériques dans votre pratique ?"]] == "Oui"
  cells <- d[["Quels outils utilisez-vous ?"]]
  for (o in tools) row_out(wave, "outils_par_profession", "outils", o, ticked(cells[users], o), group[users])
  row_out(wave, "outils_par_profession", "outils", "Autre outil", other_text(cells[users], tools), group[users])
  # the derived variable « teleconsultation » (any_of) is a single-choice variable: its own 2 x 2 test
  row_out(wave, "outils_par_profession", "teleconsultation", "", ticked(cells[users], "Téléconsultation"), group[users])
  cells <- d[["Quels obstacles rencontrez-vous ?"]]
  for (o in obstacles) row_out(wave, "obstacles_par_profession", "obstacles", o, ticked(cells, o), group)
  for (item in grid) {
    x <- as.numeric(d[[sprintf("Votre satisfaction [%s]", item)]])
    w <- wilcox.test(x[group == "Médecins"], x[group == "Autres professionnels"])$p.value
    years <- as.numeric(d[["Depuis combien d'années exercez-vous ?"]])
    classes <- cut(years, c(-Inf, 9, 25, Inf))
    k <- kruskal.test(x, classes)$p.value
    cat(sprintf("%s,satisfaction_par_profession,%s,\"\",0,0,0,0,%.17g,NA\n", wave, item, w))
    cat(sprintf("%s,satisfaction_par_anciennete,%s,\"\",0,0,0,0,%.17g,NA\n", wave, item, k))
  }
}
