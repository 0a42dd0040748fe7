# R references of the regression tables of the bundled studies (issue O): the models that
# surveykit.analysis.models fits for `kind: regression`, fitted here by R on the same answers
# (models_<wave>.csv: the columns the models read from results/<wave>/clean/responses.csv).
#
#   Rscript tests/r_reference/models_reference.R   (writes models_reference.json beside it)
#
# Logistic: glm(binomial) on complete cases, exp(coef), exp(confint.default) (Wald), exp(confint)
# (profile likelihood, MASS), drop1(test = "LRT"). Linear: lm, confint, drop1(test = "F").
# Univariable models: one covariate, its own complete cases. Separation: R's coefficients, to show
# that they run away (|b| > 15) where surveykit refuses to print an OR.
suppressPackageStartupMessages(library(MASS))
library(jsonlite)

here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
read_wave <- function(wave) read.csv(file.path(here, paste0("models_", wave, ".csv")), colClasses = "character",
                                     na.strings = "", check.names = FALSE, encoding = "UTF-8")

# outcome: 1 for the event levels, 0 for the others, NA for no answer
make_data <- function(d, outcome, events, covariates, kind) {
  y <- if (kind == "logistic") ifelse(is.na(d[[outcome]]), NA, as.numeric(d[[outcome]] %in% events))
       else as.numeric(d[[outcome]])
  out <- data.frame(y = y)
  for (cv in covariates) {
    out[[cv$variable]] <- if (is.null(cv$levels)) as.numeric(d[[cv$variable]])
                          else factor(d[[cv$variable]], levels = cv$levels)
  }
  out[complete.cases(out), , drop = FALSE]
}

fit_one <- function(d, kind) {
  f <- as.formula(paste("y ~", paste(sprintf("`%s`", setdiff(names(d), "y")), collapse = " + ")))
  if (kind == "logistic") {
    fit <- suppressWarnings(glm(f, family = binomial, data = d))
    b <- coef(fit)
    if (max(abs(b)) > 15) return(list(n = nrow(d), separated = TRUE, max_abs_coef = max(abs(b))))
    s <- summary(fit)$coefficients
    prof <- suppressMessages(confint(fit))
    wald <- confint.default(fit)
    d1 <- drop1(fit, test = "LRT")[-1, ]
    list(n = nrow(d), separated = FALSE, terms = names(b), estimate = unname(b), se = unname(s[, 2]),
         ratio = unname(exp(b)), wald_low = unname(exp(wald[, 1])), wald_high = unname(exp(wald[, 2])),
         profile_low = unname(exp(prof[, 1])), profile_high = unname(exp(prof[, 2])),
         deviance = deviance(fit), lr_terms = gsub("`", "", rownames(d1)), lr_stat = unname(d1$LRT),
         lr_df = unname(d1$Df), lr_p = unname(d1[["Pr(>Chi)"]]), events = sum(d$y))
  } else {
    fit <- lm(f, data = d)
    s <- summary(fit)$coefficients
    ci <- confint(fit)
    d1 <- drop1(fit, test = "F")[-1, ]
    list(n = nrow(d), separated = FALSE, terms = names(coef(fit)), estimate = unname(coef(fit)),
         se = unname(s[, 2]), ci_low = unname(ci[, 1]), ci_high = unname(ci[, 2]),
         f_terms = gsub("`", "", rownames(d1)), f_stat = unname(d1[["F value"]]), f_p = unname(d1[["Pr(>F)"]]))
  }
}

lv <- function(variable, levels) list(variable = variable, levels = levels)
num <- function(variable) list(variable = variable, levels = NULL)
AGE_T <- c("Moins de 35 ans", "Entre 35 et 50 ans inclus", "Plus de 50 ans")
CPTS <- c("CPTS de l'Amandinois", "CPTS du Grand Denain", "CPTS du Grand Valenciennes")
GENRE <- c("Femme", "Homme", "Non genré")
PROF <- c("Médecins", "Infirmiers / IPA", "Pharmaciens", "Aides-soignants", "Autres professionnels")
AGE_B <- c("Moins de 30 ans", "Entre 30 et 50 ans", "Plus de 50 ans")

specs <- list(
  list(id = "thesis_pratique", wave = "thesis_2025", kind = "logistic", outcome = "pratique_tle", events = "Oui",
       covariates = list(lv("age", AGE_T), lv("cpts", CPTS), lv("genre", GENRE))),
  list(id = "thesis_pratique_aisance", wave = "thesis_2025", kind = "logistic", outcome = "pratique_tle",
       events = "Oui", covariates = list(num("aisance_numerique"), lv("genre", GENRE))),
  list(id = "thesis_indispensable", wave = "thesis_2025", kind = "linear", outcome = "indispensable_10ans",
       events = NULL, covariates = list(lv("pratique_tle", c("Non", "Oui")), lv("age", AGE_T),
                                        num("aisance_numerique"))),
  list(id = "demo_pratique", wave = "demo_2027", kind = "logistic", outcome = "pratique_tle", events = "Oui",
       covariates = list(lv("age", AGE_T), lv("cpts", CPTS), lv("genre", GENRE))),
  # a group of one (« Non genré », n = 1): estimable in a linear model (its own mean), a wide interval
  list(id = "demo_indispensable_groupe_de_un", wave = "demo_2027", kind = "linear", outcome = "indispensable_10ans",
       events = NULL, covariates = list(lv("genre", GENRE), lv("age", AGE_T), num("aisance_numerique"))),
  list(id = "demo_pratique_aisance", wave = "demo_2027", kind = "logistic", outcome = "pratique_tle",
       events = "Oui", covariates = list(num("aisance_numerique"), lv("cpts", CPTS))),
  list(id = "barometre_quotidien", wave = "barometre_2025", kind = "logistic", outcome = "frequence",
       events = c("Une fois par jour", "Plusieurs fois par jour"),
       covariates = list(lv("profession_categorie", PROF), lv("age", AGE_B))),
  list(id = "barometre_plusieurs_par_jour", wave = "barometre_2025", kind = "logistic", outcome = "frequence",
       events = "Plusieurs fois par jour", covariates = list(lv("age", rev(AGE_B)), lv("profession_categorie", PROF)))
)

cases <- list()
for (sp in specs) {
  raw <- read_wave(sp$wave)
  models <- list(multivariable = fit_one(make_data(raw, sp$outcome, sp$events, sp$covariates, sp$kind), sp$kind))
  for (cv in sp$covariates) {
    models[[paste0("univariable:", cv$variable)]] <-
      fit_one(make_data(raw, sp$outcome, sp$events, list(cv), sp$kind), sp$kind)
  }
  cases[[length(cases) + 1]] <- list(id = sp$id, wave = sp$wave, kind = sp$kind, outcome = sp$outcome,
                                     events = sp$events, covariates = sp$covariates, models = models)
}
out <- list(generator = "tests/r_reference/models_reference.R", r_version = R.version.string,
            MASS_version = as.character(packageVersion("MASS")), cases = cases)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, null = "null", na = "null", pretty = TRUE),
           file.path(here, "models_reference.json"), useBytes = TRUE)
