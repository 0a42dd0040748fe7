"""The analysis plan as data, checked against the codebook: an entry that cannot be computed is refused."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from surveykit.core.errors import InputError
from surveykit.core.fmt import PercentStyle
from surveykit.core.yamlio import load_validated, package_schema
from surveykit.questionnaire.codebook import CHOICE_GRID, Codebook, Question

from .models import Covariate, RegressionSpec

CATEGORICAL_TESTS = ("fisher", "chisq")
TWO_GROUP_TESTS = ("wilcoxon", "t_welch", "t_student")
K_GROUP_TESTS = ("kruskal", "anova")


@dataclass(frozen=True)
class TableSpec:
    id: str
    title: str
    kind: str
    variables: tuple[str, ...]
    grid: str | None = None
    by: str | None = None
    test: str = "auto"
    adjust: str = "none"
    order: str = "questionnaire"
    ranks: tuple[int, ...] = ()
    hide_empty_levels: bool = False
    row_header: str | None = None
    rank_header: str | None = None
    rank_text: str | None = None
    section: str | None = None
    append_to: str | None = None
    notes: tuple[str, ...] = ()
    effect_size: bool = False
    median: bool = True
    interpretation: dict | None = None
    regression: RegressionSpec | None = None
    overall: bool = False
    estimate: str = "none"
    posthoc: str = "none"
    combine: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (variable, label, levels added up)

    def combined(self, variable: str) -> list[tuple[str, tuple[str, ...]]]:
        """(label, levels) of the rows adding up levels of `variable` (plan key `combine`)."""
        return [(label, levels) for name, label, levels in self.combine if name == variable]

    @property
    def compares(self) -> bool:
        """Whether the table tests its groups against each other."""
        return bool(self.by) and self.test != "none" and self.kind in ("categorical", "scores", "grid_choice")


@dataclass(frozen=True)
class CrossWave:
    shares: tuple[tuple[str, str], ...] = ()
    scores: tuple[str, ...] = ()
    design: str = "baseline"


@dataclass(frozen=True)
class Numbering:
    first_table: int = 1
    first_figure: int = 1
    table_word: str = "Tableau"
    figure_word: str = "Figure"


@dataclass(frozen=True)
class Plan:
    tables: tuple[TableSpec, ...]
    group_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    variable_labels: dict[str, str] = field(default_factory=dict)
    cross_wave: CrossWave = CrossWave()
    numbering: Numbering = Numbering()
    percent: PercentStyle = PercentStyle(trim=False)
    overall_label: str = "Ensemble"
    p_label: str = "Valeur de p"

    def group_label(self, by: str | None, level: str) -> str:
        return self.group_labels.get(by or "", {}).get(level, level)

    def table(self, table_id: str) -> TableSpec:
        return next(t for t in self.tables if t.id == table_id)


def _kind_of(question: Question, variable: str) -> str:
    """What a variable is for the plan: categorical, multi, numeric, rank, or text (an item of a choice grid is
    categorical: one answer among the grid's levels)."""
    if variable == question.other_variable or question.type in ("text", "date"):
        return "text"
    if question.type == "grid_rank":
        return "rank"
    if question.is_numeric:
        return "numeric"
    return "multi" if question.is_multi else "categorical"


ACCEPTS = {"categorical": ("categorical", "multi"), "scores": ("numeric",), "summary": ("numeric",),
           "ranks": ("rank",), "grid_choice": ("categorical",)}
ORDERS = {"mean_desc": "scores", "positive_desc": "grid_choice"}  # the table kind each row order applies to


def rank_tests(kind: str, groups: int) -> tuple[str, ...]:
    """Tests a table may force besides chi² and Fisher: the rank test fitting the number of groups (scores:
    also the parametric one); a choice grid compares its items' level order (Wilcoxon or Kruskal-Wallis)."""
    if kind == "scores":
        return TWO_GROUP_TESTS if groups == 2 else K_GROUP_TESTS
    if kind == "grid_choice":
        return ("wilcoxon",) if groups == 2 else ("kruskal",)
    return ()


def _check_variables(raw: dict, book: Codebook, where: str) -> None:
    questions = book.variable_question()
    for variable in raw.get("variables", []):
        if variable not in questions:
            raise InputError(f"{where}: variable {variable!r} is not in the codebook {book.source}")
        kind = _kind_of(questions[variable], variable)
        if kind not in ACCEPTS[raw["kind"]]:
            raise InputError(f"{where}: a {raw['kind']} table cannot show {variable!r} ({kind} variable of type "
                             f"{questions[variable].type}); expected {' or '.join(ACCEPTS[raw['kind']])} variables")


def _check_grid(raw: dict, book: Codebook, where: str) -> None:
    grids = {q.id: q for q in book.questions if q.items}
    grid = grids.get(raw.get("grid"))
    if grid is None:
        raise InputError(f"{where}: grid {raw['grid']!r} is not a grid question of the codebook")
    expected = {"scores": "grid_scale", "ranks": "grid_rank", "grid_choice": CHOICE_GRID}.get(raw["kind"])
    if grid.type != expected:
        raise InputError(f"{where}: a {raw['kind']} table needs a {expected or 'non-grid'} question; "
                         f"{grid.id!r} is {grid.type}")
    bad = [r for r in raw.get("ranks", []) if not grid.min <= r <= grid.max]
    if bad:
        raise InputError(f"{where}: ranks {bad} are outside {grid.id!r}'s range {grid.min}–{grid.max}")


def _check_by(raw: dict, book: Codebook, where: str) -> None:
    by = raw.get("by")
    if not by:
        if raw.get("test", "auto") not in ("auto", "none"):
            raise InputError(f"{where}: test {raw['test']!r} needs `by` (the grouping it compares)")
        return
    questions = book.variable_question()
    if by not in questions:
        raise InputError(f"{where}: `by: {by}` is not a variable of the codebook {book.source}")
    question = questions[by]
    if _kind_of(question, by) != "categorical":
        raise InputError(f"{where}: `by: {by}` must be a single-choice variable (possibly derived); it is "
                         f"{'a multi-response question' if question.is_multi else question.type}")
    if len(question.levels) < 2:
        raise InputError(f"{where}: `by: {by}` has fewer than two levels")
    grid_items = [item.id for item in book.question(raw["grid"]).items] if raw.get("grid") else []
    if by in raw.get("variables", []) or by in grid_items:
        raise InputError(f"{where}: `by: {by}` is also one of the table's variables")
    test = raw.get("test", "auto")
    groups = len(question.levels)
    allowed = {"categorical": CATEGORICAL_TESTS, "grid_choice": CATEGORICAL_TESTS + rank_tests("grid_choice", groups),
               "scores": rank_tests("scores", groups)}.get(raw["kind"], ())
    if test not in ("auto", "none", *allowed):
        raise InputError(f"{where}: test {test!r} does not fit a {raw['kind']} table by {by!r} "
                         f"({len(question.levels)} groups); expected auto, none"
                         f"{', ' + ', '.join(allowed) if allowed else ''}")


def _regression(raw: dict, book: Codebook, where: str) -> RegressionSpec:
    """A regression table's model, checked against the codebook: the outcome fits the model (a single-choice
    variable and its event levels, or a numeric one), each covariate is a single-choice or numeric variable
    with a reference among its levels, and none is the outcome or given twice."""
    questions = book.variable_question()
    model = raw.get("model", "logistic")
    outcome = raw["outcome"]["variable"]
    if outcome not in questions:
        raise InputError(f"{where}: outcome {outcome!r} is not a variable of the codebook {book.source}")
    kind = _kind_of(questions[outcome], outcome)
    events = raw["outcome"].get("event", [])
    events = (events,) if isinstance(events, str) else tuple(events)
    if model == "logistic":
        if kind != "categorical":
            raise InputError(f"{where}: a logistic model explains a single-choice variable (possibly derived); "
                             f"outcome {outcome!r} is a {kind} variable")
        levels = questions[outcome].levels
        if not events or set(events) - set(levels):
            raise InputError(f"{where}: outcome.event {list(events)} must name levels of {outcome!r}; expected "
                             f"some of {list(levels)}")
        if not set(levels) - set(events) - set(questions[outcome].non_substantive):
            raise InputError(f"{where}: outcome.event {list(events)} leaves no other level of {outcome!r} as "
                             "the non-event")
    elif kind != "numeric" or events:
        raise InputError(f"{where}: a linear model explains a numeric variable (and has no `event`); outcome "
                         f"{outcome!r} is a {kind} variable")
    covariates = []
    for entry in raw["covariates"]:
        entry = {"variable": entry} if isinstance(entry, str) else entry
        covariates.append(_covariate(entry, questions, book, f"{where}: covariate {entry['variable']!r}"))
    names = [c.variable for c in covariates]
    if outcome in names or len(set(names)) < len(names):
        raise InputError(f"{where}: covariates {names} repeat a variable or include the outcome {outcome!r}")
    return RegressionSpec(model, outcome, events, tuple(covariates), raw.get("interval", "profile"),
                          raw.get("univariable", True))


def _covariate(entry: dict, questions: dict, book: Codebook, where: str) -> Covariate:
    variable = entry["variable"]
    if variable not in questions:
        raise InputError(f"{where}: not a variable of the codebook {book.source}")
    kind = _kind_of(questions[variable], variable)
    if kind == "numeric":
        if "reference" in entry:
            raise InputError(f"{where}: a numeric covariate has no reference level")
        return Covariate(variable, None, True)
    if kind != "categorical":
        raise InputError(f"{where}: expected a single-choice (possibly derived) or numeric variable; it is a "
                         f"{kind} variable")
    levels = questions[variable].levels
    reference = entry.get("reference", levels[0] if levels else None)
    if reference not in levels:
        raise InputError(f"{where}: reference {reference!r} is not one of its levels {list(levels)}")
    return Covariate(variable, reference, False)


def _check_regression_keys(raw: dict, where: str) -> None:
    """Model keys belong to regression tables, and a regression table has nothing of the others."""
    model_keys = sorted({"model", "outcome", "covariates", "interval", "univariable"} & set(raw))
    if raw["kind"] != "regression":
        if model_keys:
            raise InputError(f"{where}: {model_keys} describe a regression model; this table is {raw['kind']}")
        return
    if "outcome" not in raw or "covariates" not in raw:
        raise InputError(f"{where}: a regression table declares its `outcome` and its `covariates`")
    other = sorted({"variables", "grid", "by", "ranks", "interpretation", "append_to"} & set(raw))
    if other:
        raise InputError(f"{where}: a regression table has no {other} (it shows `outcome` ~ `covariates`)")


ESTIMATES = {"categorical": ("auto", "proportion_difference", "odds_ratio"),
             "scores": ("auto", "mean_difference", "hodges_lehmann")}
OVERALL_KINDS = ("categorical", "ranks", "scores")
POSTHOC_KINDS = ("categorical", "scores")


def _check_comparison_options(raw: dict, book: Codebook, where: str) -> None:
    """`overall`, `estimate` and `posthoc` need a grouping that fits them (a clear message, not a silent no-op)."""
    by, kind = raw.get("by"), raw["kind"]
    groups = len(book.variable_question()[by].levels) if by else 0
    if raw.get("overall") and (not by or kind not in OVERALL_KINDS):
        raise InputError(f"{where}: `overall: true` adds the whole sample beside the groups of a "
                         f"{', '.join(OVERALL_KINDS)} table with `by`; this {kind} table has "
                         f"{'no `by`' if not by else 'its overall rows already'}")
    estimate = raw.get("estimate", "none")
    if estimate != "none":
        allowed = ESTIMATES.get(kind, ())
        if estimate not in allowed:
            raise InputError(f"{where}: `estimate: {estimate}` does not fit a {kind} table; expected "
                             f"{', '.join(allowed) if allowed else 'none (estimates are for categorical and scores tables)'}")
        if groups != 2 or raw.get("test") == "none":
            raise InputError(f"{where}: `estimate: {estimate}` compares two groups; "
                             + (f"`by: {by}` has {groups} levels" if by else "the table has no `by`")
                             + (" and `test: none`" if raw.get("test") == "none" else ""))
    posthoc = raw.get("posthoc", "none")
    if posthoc != "none" and (kind not in POSTHOC_KINDS or groups < 3 or raw.get("test") == "none"):
        raise InputError(f"{where}: `posthoc: {posthoc}` compares the pairs of three groups or more after a global "
                         f"test of a {' or '.join(POSTHOC_KINDS)} table; this {kind} table "
                         + ("has `test: none`" if raw.get("test") == "none" else
                            f"has {groups} group(s)" if kind in POSTHOC_KINDS else "is not one"))


def _check_interpretation(raw: dict, book: Codebook, where: str) -> None:
    """Equal-width bands are cut on the scale's range: the items must share one scale with known ends."""
    if "bands" not in (raw.get("interpretation") or {}) and (raw.get("interpretation") or {}).get("spread", {}).get(
            "above") != "uniform":
        return
    variables = raw.get("variables") or [item.id for item in book.question(raw["grid"]).items]
    scales = {(book.variable_question()[v].min, book.variable_question()[v].max) for v in variables}
    if len(scales) != 1 or None in next(iter(scales)):
        raise InputError(f"{where}: interpretation `bands` and `above: uniform` are read on the scale's range; the "
                         f"items need one scale with a min and a max in the codebook (found {sorted(map(str, scales))})")


def _check_combine(raw: dict, book: Codebook, where: str) -> None:
    """Rows adding up levels: of a single-choice variable of the table, its own levels, under a new label."""
    for entry in raw.get("combine", []):
        here = f"{where}: combine {entry['label']!r}"
        variable = entry["variable"]
        if raw["kind"] != "categorical" or variable not in raw.get("variables", []):
            raise InputError(f"{here}: expected a variable of this categorical table, got {variable!r}")
        question = book.variable_question()[variable]
        if question.is_multi:
            raise InputError(f"{here}: {variable!r} is a multi-response question; its options are not added up")
        unknown = [level for level in entry["levels"] if level not in question.levels]
        if unknown:
            raise InputError(f"{here}: {unknown} are not levels of {variable!r} (expected some of "
                             f"{list(question.levels)})")
        if entry["label"] in question.levels:
            raise InputError(f"{here}: the label is already a level of {variable!r}; choose another one")


def _check_entry(raw: dict, book: Codebook, where: str) -> None:
    _check_regression_keys(raw, where)
    if raw["kind"] == "regression":
        _regression(raw, book, where)
        return
    if raw.get("grid"):
        _check_grid(raw, book, where)
    elif raw["kind"] in ("ranks", "grid_choice"):
        raise InputError(f"{where}: a {raw['kind']} table names its grid with `grid:`")
    _check_variables(raw, book, where)
    _check_by(raw, book, where)
    _check_comparison_options(raw, book, where)
    _check_interpretation(raw, book, where)
    _check_combine(raw, book, where)
    order = raw.get("order")
    if order in ORDERS and raw["kind"] != ORDERS[order]:
        raise InputError(f"{where}: `order: {order}` ranks the items of a {ORDERS[order]} table only")
    if raw["kind"] == "ranks" and not raw.get("ranks"):
        raise InputError(f"{where}: a ranks table lists the `ranks` it shows, e.g. [1, 5]")


def _spec(raw: dict, book: Codebook) -> TableSpec:
    if raw["kind"] == "regression":
        model = _regression(raw, book, raw["id"])
        variables = (model.outcome, *(c.variable for c in model.covariates))
        return TableSpec(id=raw["id"], title=raw["title"], kind="regression", variables=variables,
                         notes=tuple(raw.get("notes", [])), section=raw.get("section"), regression=model)
    grid = raw.get("grid")
    variables = tuple(raw.get("variables") or [item.id for item in book.question(grid).items])
    defaults = {"adjust": "holm", "order": "positive_desc"} if raw["kind"] == "grid_choice" else {}
    raw = defaults | raw
    keys = ("by", "test", "adjust", "order", "hide_empty_levels", "row_header", "rank_header", "rank_text",
            "section", "append_to", "effect_size", "median", "interpretation", "overall", "estimate", "posthoc")
    return TableSpec(id=raw["id"], title=raw["title"], kind=raw["kind"], variables=variables, grid=grid,
                     ranks=tuple(raw.get("ranks", [])), notes=tuple(raw.get("notes", [])),
                     combine=tuple((c["variable"], c["label"], tuple(c["levels"])) for c in raw.get("combine", [])),
                     **{k: raw[k] for k in keys if k in raw})


def _check_appends(tables: list[dict], where: str) -> None:
    """A table printed under another one shares its groups, comes after it and is not itself a host."""
    by_id = {t["id"]: t for t in tables}
    order = [t["id"] for t in tables]
    for table in tables:
        host = table.get("append_to")
        if host is None:
            continue
        here = f"{where}: table {table['id']}: append_to {host!r}"
        if host not in by_id or order.index(host) > order.index(table["id"]):
            raise InputError(f"{here}: expected an earlier table of the plan")
        if by_id[host].get("append_to") or by_id[host].get("by") != table.get("by"):
            raise InputError(f"{here}: the host must be a table of its own with the same `by`")
        if {table["kind"], by_id[host]["kind"]} - {"categorical", "ranks"}:
            raise InputError(f"{here}: only categorical and ranks tables share columns")
        if bool(table.get("overall")) != bool(by_id[host].get("overall")):
            raise InputError(f"{here}: the two tables share their columns: give both the same `overall`")
    for table in tables:
        interpretation = table.get("interpretation")
        if interpretation and (table["kind"] != "scores" or table.get("by")):
            raise InputError(f"{where}: table {table['id']}: `interpretation` reads the overall means of a scores "
                             "table without `by`")
        if interpretation and "levels" in interpretation:
            bounds = [level.get("below") for level in interpretation["levels"]]
            if None in bounds[:-1] or bounds[-1] is not None or bounds[:-1] != sorted(bounds[:-1]):
                raise InputError(f"{where}: table {table['id']}: interpretation levels need increasing `below` "
                                 "values, and none on the last level")


def _cross_wave(raw: dict, book: Codebook, where: str) -> CrossWave:
    questions = book.variable_question()
    shares = []
    for entry in raw.get("shares", []):
        question = questions.get(entry["variable"])
        if question is None or _kind_of(question, entry["variable"]) != "categorical" \
                or entry["level"] not in question.levels:
            raise InputError(f"{where}: cross_wave share {entry['variable']}={entry['level']!r}: expected a level of a "
                             f"single-choice variable of {book.source}")
        shares.append((entry["variable"], entry["level"]))
    for name in raw.get("scores", []):
        question = questions.get(name) or next((q for q in book.questions if q.id == name), None)
        if question is None or not question.is_numeric or question.type == "grid_rank":
            raise InputError(f"{where}: cross_wave score {name!r}: expected a numeric variable or a scale grid")
    return CrossWave(tuple(shares), tuple(raw.get("scores", [])), raw.get("design", "baseline"))


def _check_labels(raw: dict, book: Codebook, where: str) -> None:
    known = set(book.variables) | {q.id for q in book.questions}
    unknown = sorted(set(raw.get("variable_labels", {})) - known)
    if unknown:
        raise InputError(f"{where}: variable_labels: unknown variable(s) {unknown}")
    for by, labels in raw.get("group_labels", {}).items():
        if by not in known:
            raise InputError(f"{where}: group_labels: unknown variable {by!r}")
        extra = sorted(set(labels) - set(book.question(by).levels)) if by in {q.id for q in book.all_questions} \
            else sorted(labels)
        if extra:
            raise InputError(f"{where}: group_labels: {extra} are not levels of {by!r}")


def _model_variables(table: dict) -> set[str]:
    """The variables a regression table needs, every one of them (its model changes without one)."""
    if table.get("kind") != "regression":
        return set()
    covariates = {c if isinstance(c, str) else c["variable"] for c in table.get("covariates", [])}
    return covariates | {table.get("outcome", {}).get("variable")}


def edition_plan(raw: dict, book: Codebook) -> dict:
    """The plan of one wave's form edition (`book.absent` set): variables the form does not have are left
    out of their tables, a table left with none (or grouped by an absent variable, or under a table left
    out) is left out, and so are labels and cross-wave entries of absent variables. The plan of a wave
    whose form has everything is returned unchanged."""
    absent = set(book.absent)
    if book.wave is None:
        return raw
    grids = {q.id for q in book.questions if q.items}
    tables, dropped = [], set()
    for table in raw["tables"]:
        variables = [v for v in table.get("variables", []) if v not in absent]
        gone = (table.get("by") in absent or table.get("append_to") in dropped
                or (table.get("grid") and table["grid"] not in grids)
                or (table.get("variables") and not variables) or bool(_model_variables(table) & absent))
        if gone:
            dropped.add(table["id"])
            continue
        tables.append({**table, "variables": variables} if "variables" in table else table)
    known = set(book.variables) | {q.id for q in book.questions}
    edited = {**raw, "tables": tables}
    if "variable_labels" in raw:
        edited["variable_labels"] = {k: v for k, v in raw["variable_labels"].items() if k in known}
    if "group_labels" in raw:
        levels = {q.id: set(q.levels) for q in book.all_questions}
        edited["group_labels"] = {by: {level: text for level, text in labels.items() if level in levels.get(by, ())}
                                  for by, labels in raw["group_labels"].items() if by in known}
    if "cross_wave" in raw:  # compared by the cross-wave rule on the study's codebook, not per wave
        edited["cross_wave"] = {k: v for k, v in raw["cross_wave"].items() if k not in ("shares", "scores")}
    return edited


def _overall_defaults(raw: dict) -> dict:
    """Tables with `by` that do not set `overall` take the plan's `overall_default` (drafted plans: true)."""
    default = raw.get("overall_default", False)
    tables = [table if "overall" in table or not table.get("by") or table["kind"] not in OVERALL_KINDS
              else {**table, "overall": default} for table in raw["tables"]]
    return {**raw, "tables": tables}


def load_plan(path: str | Path, book: Codebook) -> Plan:
    """Load the plan; every entry is checked against the codebook (file and table named in the message).

    With one wave's edition of the codebook, the plan of that edition (see `edition_plan`)."""
    raw = _overall_defaults(edition_plan(load_validated(path, package_schema("analysis_plan.schema.yaml")), book))
    seen = set()
    for table in raw["tables"]:
        where = f"{path}: table {table['id']}"
        if table["id"] in seen:
            raise InputError(f"{where}: id defined twice")
        seen.add(table["id"])
        _check_entry(table, book, where)
    _check_labels(raw, book, str(path))
    _check_appends(raw["tables"], str(path))
    return Plan(tables=tuple(_spec(t, book) for t in raw["tables"]),
                group_labels=raw.get("group_labels", {}), variable_labels=raw.get("variable_labels", {}),
                cross_wave=_cross_wave(raw.get("cross_wave", {}), book, f"{path}: cross_wave"),
                numbering=Numbering(**raw.get("numbering", {})),
                percent=_percent(raw.get("percent", {})),
                overall_label=raw.get("overall_label", "Ensemble"),
                p_label=raw.get("p_label", "Valeur de p"))


def _percent(raw: dict) -> PercentStyle:
    """The chapter's percentages (`percent` key): one precision, whole ones trimmed only when asked."""
    return PercentStyle(digits=raw.get("digits", 1), trim=raw.get("trim_whole", False))
