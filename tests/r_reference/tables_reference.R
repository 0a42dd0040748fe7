# R values of the estimates and post-hoc comparisons the bundled chapters print (issue O, table side):
# inputs are the bundled reconstructions' counts and answers, written out literally so that the tests
# (tests/test_contrasts_tables.py) never need R. Run: Rscript tests/r_reference/tables_reference.R
# (writes tables_reference.json beside this script).
suppressPackageStartupMessages({library(jsonlite); library(multcompView)})
cases <- list()
add <- function(id, call, inputs, values) cases[[length(cases) + 1]] <<- list(id = id, call = call, inputs = inputs, values = values)

# Newcombe (1998) method 10 from the Wilson bounds of prop.test(correct = FALSE)
newcombe <- function(x1, n1, x2, n2) {
  a <- prop.test(x1, n1, correct = FALSE)$conf.int; b <- prop.test(x2, n2, correct = FALSE)$conf.int
  p1 <- x1 / n1; p2 <- x2 / n2; d <- p1 - p2
  c(estimate = d, ci_low = d - sqrt((p1 - a[1])^2 + (b[2] - p2)^2), ci_high = d + sqrt((a[2] - p1)^2 + (p2 - b[1])^2))
}
# Barometer, table usage_profession: « Utilise des outils numériques : Oui », physicians 379/411, others 290/349
v <- newcombe(379, 411, 290, 349)
add("barometre_utilise_oui", "newcombe(379, 411, 290, 349)", list(x1 = 379, n1 = 411, x2 = 290, n2 = 349), as.list(v))
# the odds ratio of the same 2 x 2 table (level against the other, physicians against the others)
f <- fisher.test(matrix(c(379, 32, 290, 59), nrow = 2))
add("barometre_utilise_oui_or", "fisher.test(matrix(c(379, 32, 290, 59), nrow = 2))",
    list(table = list(c(379, 290), c(32, 59))), list(estimate = unname(f$estimate), ci_low = f$conf.int[1], ci_high = f$conf.int[2]))

# Thesis, Table 7: Hodges-Lehmann shift users - non-users (wilcox.test(conf.int = TRUE))
hl <- list(
  frein_tracabilite = list(x = c(1, 4, 3, 5, 2, 8, 1, 6, 3, 1, 5, 1, 2, 3, 1, 5, 7, 5, 2, 1, 7, 1, 1, 4, 4, 7, 1, 3, 4, 7, 2, 3),
                           y = c(3, 6, 3, 10, 10, 9, 5)),
  frein_confiance_informations = list(x = c(1, 2, 4, 10, 1, 4, 4, 4, 2, 1, 4, 4, 1, 4, 1, 1, 1, 6, 1, 2, 4, 2, 2, 8, 6, 6, 2, 3, 3, 3, 2, 2),
                                      y = c(6, 10, 6, 5, 10, 1, 5)),
  frein_perte_temps = list(x = c(3, 3, 6, 8, 6, 8, 6, 6, 4, 2, 1, 3, 1, 8, 3, 5, 8, 10, 8, 6, 6, 1, 1, 8, 9, 9, 6, 4, 2, 9, 1, 9),
                           y = c(8, 8, 2, 9, 7, 8, 10)))
for (item in names(hl)) {
  w <- suppressWarnings(wilcox.test(hl[[item]]$x, hl[[item]]$y, conf.int = TRUE))
  add(paste0("these_tableau_7_", item), sprintf("wilcox.test(x, y, conf.int = TRUE) [%s]", item), hl[[item]],
      list(estimate = unname(w$estimate), ci_low = w$conf.int[1], ci_high = w$conf.int[2], p_value = w$p.value))
}

# Thesis, Table 3: age by CPTS (columns: Amandinois, Grand Denain, Grand Valenciennes), pairwise Fisher + Holm
age <- matrix(c(6, 8, 0, 0, 5, 6, 3, 9, 2), nrow = 3, dimnames = list(NULL, c("A", "D", "V")))
pairs <- combn(3, 2)
p <- apply(pairs, 2, function(ij) { s <- age[, ij]; s <- s[rowSums(s) > 0, , drop = FALSE]; fisher.test(s)$p.value })
q <- p.adjust(p, "holm")
names(q) <- apply(pairs, 2, function(ij) paste(colnames(age)[ij], collapse = "-"))
add("these_tableau_3_age_pairs", "pairwise fisher.test on the columns of the age x CPTS table, p.adjust(holm); multcompLetters",
    list(table = lapply(1:3, function(i) age[i, ])),
    list(p_value = unname(p), p_adjusted = unname(q), letters = as.list(multcompLetters(q < 0.05 | FALSE, threshold = 0.5)$Letters),
         global_p = fisher.test(age)$p.value))

out <- list(generator = "tests/r_reference/tables_reference.R", r_version = R.version.string,
            multcompView_version = as.character(packageVersion("multcompView")), cases = cases)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/r_reference/tables_reference.json")
