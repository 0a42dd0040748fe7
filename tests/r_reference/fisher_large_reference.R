# Exact r x c Fisher p-values of large tables, computed by R itself.
#
# Regenerate (base R only; takes a few minutes, FEXACT needs up to ~30 s per table):
#   Rscript tests/r_reference/fisher_large_reference.R > tests/r_reference/fisher_large_reference.json
#
# Every table is written literally below. Each case stores the literal R call
# (`fisher.test(x, workspace = 2e8)`: R's default workspace fails with FEXACT
# error 7 on most of them), the table and R's p-value at full precision. Cases
# with "bench": true are the side-by-side benchmark of scripts/bench.py, which
# times R on the same calls. The pytest files only read the JSON.

jstr <- function(s) paste0("\"", gsub("\"", "\\\\\"", s), "\"")
jnum <- function(x) sprintf("%.17g", x)
jrow <- function(v) paste0("[", paste(v, collapse = ","), "]")
jtable <- function(m) paste0("[", paste(vapply(seq_len(nrow(m)), function(i) jrow(m[i, ]), ""), collapse = ","), "]")
lit <- function(m) sprintf("matrix(c(%s), nrow = %d)", paste(as.vector(m), collapse = ", "), nrow(m))

bench <- list(
  # the thesis' Table 2: lieu d'exercice x CPTS (3 x 3) and structure x CPTS (5 x 3), n = 39
  thesis_lieu_3x3_n39 = rbind(c(5, 3, 0), c(6, 2, 6), c(3, 6, 8)),
  thesis_structure_5x3_n39 = rbind(c(1, 2, 5), c(2, 3, 3), c(3, 4, 3), c(3, 2, 1), c(5, 0, 2)),
  random_2x3_n200 = rbind(c(34, 40, 65), c(27, 28, 6)),
  random_2x5_n150 = rbind(c(7, 22, 11, 28, 38), c(6, 21, 5, 3, 9)),
  random_3x3_n200 = rbind(c(8, 20, 42), c(46, 19, 12), c(37, 3, 13)),
  random_3x4_n120 = rbind(c(7, 23, 6, 8), c(4, 3, 21, 14), c(12, 3, 8, 11)),
  random_3x5_n80 = rbind(c(2, 8, 2, 11, 6), c(9, 6, 2, 1, 3), c(1, 5, 3, 8, 13)),
  random_3x5_n150 = rbind(c(10, 18, 12, 15, 6), c(6, 13, 8, 2, 1), c(41, 3, 2, 3, 10)),
  random_4x4_n60 = rbind(c(4, 7, 7, 4), c(6, 5, 2, 1), c(9, 3, 2, 0), c(1, 2, 1, 6)),
  random_4x4_n100 = rbind(c(6, 10, 4, 2), c(2, 4, 1, 5), c(10, 2, 2, 14), c(11, 5, 16, 6)),
  random_4x5_n70 = rbind(c(10, 7, 3, 3, 0), c(6, 2, 0, 5, 1), c(2, 1, 0, 5, 11), c(0, 7, 6, 0, 1)),
  random_4x5_n100 = rbind(c(8, 4, 12, 1, 10), c(4, 7, 4, 4, 4), c(9, 2, 4, 7, 3), c(4, 0, 11, 0, 2)),
  random_5x5_n60 = rbind(c(0, 0, 1, 6, 1), c(10, 2, 1, 1, 1), c(5, 1, 6, 5, 2), c(1, 0, 2, 5, 5), c(1, 1, 0, 1, 2)),
  random_5x5_n80 = rbind(c(1, 6, 4, 1, 3), c(4, 5, 6, 0, 5), c(8, 3, 2, 0, 3), c(1, 7, 2, 3, 3), c(0, 6, 1, 5, 1)),
  random_3x6_n120 = rbind(c(4, 4, 3, 5, 9, 16), c(8, 2, 6, 16, 3, 0), c(5, 19, 4, 2, 9, 5))
)
more <- list(
  random_3x5_n80_b = rbind(c(0, 0, 7, 4, 4), c(10, 5, 0, 7, 1), c(14, 7, 10, 11, 0)),
  random_3x5_n80_c = rbind(c(0, 13, 8, 5, 0), c(6, 8, 3, 5, 1), c(7, 11, 5, 4, 4)),
  random_3x5_n120 = rbind(c(6, 20, 4, 4, 20), c(5, 6, 8, 0, 15), c(1, 3, 11, 1, 16)),
  random_4x5_n70_b = rbind(c(1, 0, 4, 1, 3), c(2, 2, 3, 1, 0), c(6, 4, 3, 1, 1), c(3, 10, 22, 0, 3)),
  random_4x5_n70_c = rbind(c(3, 4, 2, 5, 3), c(6, 6, 3, 0, 1), c(5, 1, 0, 6, 8), c(5, 1, 1, 9, 1)),
  random_5x5_n60_b = rbind(c(5, 1, 3, 0, 2), c(4, 2, 0, 1, 0), c(0, 0, 2, 4, 1), c(7, 3, 5, 6, 1), c(0, 3, 4, 2, 4)),
  random_5x5_n60_c = rbind(c(9, 2, 1, 1, 2), c(3, 2, 5, 4, 2), c(1, 0, 1, 1, 1), c(1, 0, 6, 0, 2), c(4, 5, 2, 0, 5)),
  random_3x6_n120_b = rbind(c(14, 2, 4, 8, 13, 8), c(0, 3, 7, 7, 7, 9), c(13, 5, 9, 3, 5, 3)),
  random_3x6_n120_c = rbind(c(9, 12, 13, 4, 2, 3), c(4, 7, 3, 5, 6, 4), c(0, 13, 15, 16, 4, 0)),
  random_3x6_n150 = rbind(c(6, 5, 12, 24, 15, 7), c(7, 5, 2, 6, 5, 5), c(13, 2, 10, 7, 14, 5)),
  random_4x4_n100_b = rbind(c(1, 2, 10, 3), c(11, 1, 5, 8), c(4, 1, 7, 7), c(19, 5, 10, 6)),
  random_4x4_n100_c = rbind(c(13, 3, 10, 0), c(5, 2, 1, 3), c(2, 13, 20, 0), c(14, 2, 8, 4)),
  random_4x6_n80 = rbind(c(6, 6, 2, 10, 3, 4), c(4, 4, 0, 1, 1, 4), c(2, 0, 2, 4, 5, 0), c(0, 7, 7, 5, 2, 1)),
  random_2x6_n200 = rbind(c(20, 31, 15, 40, 9, 22), c(14, 11, 9, 18, 3, 8)),
  # equal margins (arcs merged over permutations of equal remaining totals)
  equal_margins_4x4_n80 = rbind(c(8, 4, 4, 4), c(4, 8, 4, 4), c(4, 4, 8, 4), c(4, 4, 4, 8)),
  equal_margins_5x5_n50 = rbind(c(4, 2, 2, 1, 1), c(1, 4, 2, 2, 1), c(1, 1, 4, 2, 2), c(2, 1, 1, 4, 2), c(2, 2, 1, 1, 4)),
  equal_margins_3x6_n90 = rbind(c(9, 4, 4, 5, 4, 4), c(3, 6, 6, 5, 5, 5), c(3, 5, 5, 5, 6, 6)),
  # the most probable table (p = 1) and a very improbable one
  uniform_3x4_n120 = matrix(10, nrow = 3, ncol = 4),
  diagonal_4x4_n100 = rbind(c(22, 1, 1, 1), c(1, 22, 1, 1), c(1, 1, 22, 1), c(1, 1, 1, 22))
)

cases <- character(0)
for (group in c("bench", "more")) {
  tables <- get(group)
  for (id in names(tables)) {
    m <- tables[[id]]
    call <- sprintf("fisher.test(%s, workspace = 2e8)", lit(m))
    p <- eval(parse(text = call))$p.value
    cases <- c(cases, sprintf("{\"id\":%s,\"bench\":%s,\"call\":%s,\"table\":%s,\"p_value\":%s}",
                              jstr(id), if (group == "bench") "true" else "false", jstr(call), jtable(m), jnum(p)))
  }
}
cat(sprintf("{\"r_version\":%s,\"cases\":[\n%s\n]}\n", jstr(R.version.string), paste(cases, collapse = ",\n")))
