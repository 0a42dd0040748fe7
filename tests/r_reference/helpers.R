# Helpers shared by the R reference scripts of surveykit.stats (sourced by stats_reference.R and
# estimates_reference.R): the JSON writer, exact R literals of the inputs, the case list, and the
# contingency tables both scripts describe (same seed, same tables).
#
# Sourced, never run alone: source(file.path(here, "helpers.R")) where `here` is the calling script's folder.

# ----------------------------------------------------------------- JSON writer
jarr <- function(v) structure(as.list(v), class = "jarr")
jstr <- function(s) paste0("\"", gsub("\t", "\\\\t", gsub("\n", "\\\\n", gsub("\"", "\\\\\"", gsub("\\\\", "\\\\\\\\", s)))), "\"")
jnum <- function(x) {
  if (is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) "\"Inf\"" else "\"-Inf\"")
  sprintf("%.17g", x)
}
json <- function(v) {
  if (is.null(v)) return("null")
  if (inherits(v, "jarr")) return(paste0("[", paste(vapply(unclass(v), json, ""), collapse = ","), "]"))
  if (is.matrix(v)) return(json(jarr(lapply(seq_len(nrow(v)), function(i) jarr(v[i, ])))))
  if (is.list(v)) {
    if (!is.null(names(v))) {
      keys <- vapply(names(v), jstr, "")
      return(paste0("{", paste(paste0(keys, ":", vapply(v, json, "")), collapse = ","), "}"))
    }
    return(paste0("[", paste(vapply(v, json, ""), collapse = ","), "]"))
  }
  if (is.character(v)) return(if (length(v) != 1) json(jarr(v)) else if (is.na(v)) "null" else jstr(v))
  if (is.logical(v) && length(v) == 1 && !is.na(v)) return(if (v) "true" else "false")
  if (length(v) != 1) return(json(jarr(v)))
  jnum(as.numeric(v))
}

# R literal of a numeric vector that parses back to the same doubles
lit <- function(v) {
  v <- as.numeric(v)
  s <- formatC(v, digits = 15, format = "g")
  bad <- !is.na(v) & suppressWarnings(as.numeric(s)) != v
  s[bad] <- formatC(v[bad], digits = 17, format = "g")
  s[is.na(v)] <- "NA"
  paste0("c(", paste(trimws(s), collapse = ", "), ")")
}
mat <- function(m) sprintf("matrix(%s, nrow = %d)", lit(as.vector(m)), nrow(m))
run <- function(call) suppressWarnings(eval(parse(text = call)))
num_or_null <- function(x) if (is.null(x)) NULL else unname(x)

cases <- list()
add <- function(group, id, call, inputs, values) {
  cases[[length(cases) + 1]] <<- list(group = group, id = id, call = call, inputs = inputs, values = values)
}

# ----------------------------------------------------------------- contingency tables
thesis_table2 <- list(
  # Thesis Table 2 (lines ~466-489): rows = levels, columns = CPTS Amandinois, Grand Denain, Grand Valenciennes
  t2_genre = rbind(c(9, 4, 9), c(5, 7, 5), c(0, 0, 0)),
  t2_age = rbind(c(6, 0, 3), c(8, 5, 9), c(0, 6, 2)),
  t2_mode_exercice = rbind(c(10, 10, 14), c(3, 0, 0), c(1, 1, 0)),
  t2_lieu = rbind(c(5, 3, 0), c(6, 2, 6), c(3, 6, 8)),
  t2_role_cpts = rbind(c(3, 1, 5), c(11, 10, 9)),
  t2_universitaire = rbind(c(6, 1, 4), c(8, 10, 10)),
  t2_structure = rbind(c(1, 2, 5), c(2, 3, 3), c(3, 4, 3), c(3, 2, 1), c(5, 0, 2)),
  t2_actes = rbind(c(2, 0, 0), c(1, 0, 2), c(4, 2, 4), c(7, 9, 8))
)
fixed_tables <- list(
  tea_2x2 = rbind(c(3, 1), c(1, 3)),
  classic_2x2 = rbind(c(1, 9), c(11, 3)),
  anti_diag_2x2 = rbind(c(0, 5), c(5, 0)),
  diag_2x2 = rbind(c(10, 0), c(0, 10)),
  zero_row_2x2 = rbind(c(0, 0), c(3, 4)),
  single_cell_2x2 = rbind(c(3, 0), c(0, 0)),
  balanced_2x2 = rbind(c(5, 5), c(5, 5)),
  ones_2x2 = rbind(c(1, 0), c(0, 1)),
  mixed_2x2 = rbind(c(12, 3), c(4, 9)),
  zero_cell_2x2 = rbind(c(0, 7), c(2, 9)),
  skew_2x2 = rbind(c(21, 2), c(13, 5)),
  large_2x2 = rbind(c(120, 80), c(95, 105)),
  small_diff_2x2 = rbind(c(7, 8), c(6, 9)),
  zero_row_col_3x3 = rbind(c(3, 0, 2), c(0, 0, 0), c(1, 0, 4)),
  sparse_3x4 = rbind(c(0, 0, 3, 1), c(2, 0, 0, 0), c(0, 4, 0, 1)),
  likert_2x5 = rbind(c(1, 3, 5, 4, 1), c(4, 5, 2, 1, 0))
)
set.seed(20260101)
shapes <- list(c(2, 3), c(3, 2), c(3, 3), c(3, 5), c(5, 3), c(4, 4), c(2, 5), c(4, 3))
sizes <- c(15, 25, 39, 60)
random_tables <- list()
for (i in 1:16) {
  d <- shapes[[(i - 1) %% length(shapes) + 1]]
  n <- sizes[(i - 1) %% length(sizes) + 1]
  p <- rgamma(d[1] * d[2], shape = 2)
  random_tables[[sprintf("random_%02d_%dx%d_n%d", i, d[1], d[2], n)]] <- matrix(rmultinom(1, n, p / sum(p)), nrow = d[1])
}
big_tables <- list(
  big_3x3_n300 = rbind(c(40, 30, 25), c(35, 45, 20), c(20, 30, 55)),
  big_2x4_n200 = rbind(c(30, 25, 20, 25), c(20, 35, 25, 20)),
  big_3x4_n200 = rbind(c(20, 10, 15, 5), c(30, 20, 10, 20), c(10, 25, 20, 15))
)
all_tables <- c(thesis_table2, fixed_tables, random_tables)
