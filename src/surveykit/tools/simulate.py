"""Seeded simulator of survey waves (demonstration waves, scale benchmarks).

It draws a canonical respondent table from the codebook and a small profile (YAML):
answer probabilities per variable, scale means, the share of answered open questions
and a pool of open answers. Everything is vectorised with numpy, so 100 000 respondents
take about a second to draw. The output goes through `forms.export` to become a raw export, which
is then read and cleaned exactly like a real one.

A profile may also describe its export (`export:`), i.e. how a later edition of the form
differs from the first one: reworded question titles (declared as `aliases` in the
codebook so that cleaning recognises them) and a shuffled column order.
`write_simulated_export` writes such an export; its cells are computed column by column
(not row by row as `forms.export.export_frame` does), which keeps 100 000 respondents
within a few seconds while producing exactly the same text.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from surveykit.core.errors import InputError
from surveykit.core.yamlio import load_yaml
from surveykit.questionnaire.codebook import GRID_TYPES, Codebook, Question, load_codebook
from surveykit.questionnaire.forms.export import export_row


@dataclass(frozen=True)
class ExportStyle:
    """How the simulated export differs from the first edition of the form.

    `headers` maps a question header of the codebook to its reworded title (grid rows
    keep their "[row]" suffix); `column_order_seed` shuffles the question columns (the
    timestamp stays first, as Google Forms writes it); None keeps the codebook order.
    """

    column_order_seed: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Profile:
    """What a simulated wave looks like; unspecified variables get uniform answers."""

    n: int
    seed: int
    start: str
    end: str
    probabilities: dict[str, dict[str, float]]
    scale_means: dict[str, float]
    scale_means_by: dict[str, dict[str, dict[str, float]]]
    open_share: float | dict[str, float]  # one share, or one per open question (default 0.4)
    open_pool: dict[str, list]  # texts, or {text, asked_if} for answers only some respondents can give
    export: ExportStyle = field(default_factory=ExportStyle)


def _export_style(raw: dict | None) -> ExportStyle:
    raw = raw or {}
    seed = raw.get("column_order_seed")
    headers = {str(k): str(v) for k, v in (raw.get("headers") or {}).items()}
    return ExportStyle(None if seed is None else int(seed), headers)


def _share_of(raw: float | dict) -> float | dict[str, float]:
    return {str(k): float(v) for k, v in raw.items()} if isinstance(raw, dict) else float(raw)


def profile_from_dict(raw: dict) -> Profile:
    return Profile(n=int(raw["n"]), seed=int(raw["seed"]), start=str(raw["start"]), end=str(raw["end"]),
                   probabilities=raw.get("probabilities", {}), scale_means=raw.get("scale_means", {}),
                   scale_means_by=raw.get("scale_means_by", {}), open_share=_share_of(raw.get("open_share", 0.4)),
                   open_pool=raw.get("open_pool", {}), export=_export_style(raw.get("export")))


def _choice(rng, levels: list[str], probabilities: dict[str, float] | None, n: int) -> np.ndarray:
    weights = np.array([float((probabilities or {}).get(level, 0.0 if probabilities else 1.0)) for level in levels])
    return rng.choice(np.array(levels, dtype=object), size=n, p=weights / weights.sum())


def _scale(rng, low: int, high: int, mean: np.ndarray | float, n: int, spread: float = 2.5) -> np.ndarray:
    """Rounded, clipped normal answers on low..high around `mean` (array or scalar)."""
    return np.clip(np.rint(rng.normal(mean, spread, size=n)), low, high).astype(int)


def _item_mean(profile: Profile, item: str, frame: pd.DataFrame, default: float) -> np.ndarray | float:
    mean = np.full(len(frame), profile.scale_means.get(item, default))
    for by, shifts in profile.scale_means_by.get(item, {}).items():
        for level, value in shifts.items():
            mean[(frame[by] == level).to_numpy()] = value
    return mean


def _ranks(rng, n_items: int, n: int) -> np.ndarray:
    """Each respondent ticks k ≥ 1 methods and ranks them 1..k (0 = not ticked)."""
    k = rng.integers(1, n_items + 1, size=n)
    order = np.argsort(rng.random((n, n_items)), axis=1)
    ranks = np.empty((n, n_items), dtype=int)
    np.put_along_axis(ranks, order, np.arange(1, n_items + 1)[None, :].repeat(n, axis=0), axis=1)
    return np.where(ranks <= k[:, None], ranks, 0)


def _masked_ints(values: np.ndarray, keep: np.ndarray) -> pd.arrays.IntegerArray:
    """Nullable integers: `values` where `keep`, missing elsewhere."""
    return pd.arrays.IntegerArray(np.asarray(values, dtype="int64"), ~np.asarray(keep, dtype=bool))


def _shown(question: Question, frame: pd.DataFrame) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    for variable, value in question.asked_if.items():
        mask &= (frame[variable] == value).to_numpy()
    return mask


def _open_share(profile: Profile, question_id: str) -> float:
    share = profile.open_share
    return float(share.get(question_id, 0.4)) if isinstance(share, dict) else float(share)


def _open_picks(rng, pool: list, frame: pd.DataFrame) -> np.ndarray:
    """One answer of the pool per respondent.

    A pool entry is a text, or {text, asked_if: {variable: value}} for an answer only a
    respondent with that answer can give (e.g. "je l'utilise déjà" needs the answer "Oui" to the question on use).
    Respondents are grouped by which conditional entries they may give; each group draws
    among its eligible entries, groups in a fixed order, so the draw stays seeded.
    """
    texts = [e if isinstance(e, str) else str(e["text"]) for e in pool]
    conditions = [{} if isinstance(e, str) else dict(e.get("asked_if") or {}) for e in pool]
    if not any(conditions):
        return rng.choice(np.array(texts or [""], dtype=object), size=len(frame))
    eligible = np.ones((len(frame), len(pool)), dtype=bool)
    for column, condition in enumerate(conditions):
        for variable, value in condition.items():
            eligible[:, column] &= (frame[variable] == value).to_numpy(dtype=bool)
    codes, patterns = pd.factorize(pd.Series([row.tobytes() for row in np.packbits(eligible, axis=1)]), sort=True)
    picks = np.full(len(frame), "", dtype=object)
    for code in range(len(patterns)):
        rows = np.flatnonzero(codes == code)
        allowed = np.array([t for t, ok in zip(texts, eligible[rows[0]]) if ok] or [""], dtype=object)
        picks[rows] = rng.choice(allowed, size=rows.size)
    return picks


def _fill_question(rng, question: Question, frame: pd.DataFrame, profile: Profile) -> None:
    n, shown = len(frame), _shown(question, frame)
    if question.type in ("single", "checkbox"):
        options = [o for o in question.levels if o != question.other_label]
        values = _choice(rng, options, profile.probabilities.get(question.id), n)
        frame[question.id] = np.where(shown, values, "")
    elif question.type == "scale":
        values = _scale(rng, question.min, question.max, _item_mean(profile, question.id, frame, 6.5), n)
        frame[question.id] = _masked_ints(values, shown)
    elif question.type == "grid_scale":
        for item in question.items:
            values = _scale(rng, question.min, question.max, _item_mean(profile, item.id, frame, 5.0), n)
            frame[item.id] = _masked_ints(values, shown)
    elif question.type == "grid_choice":
        for item in question.items:
            values = _choice(rng, list(question.levels), profile.probabilities.get(item.id), n)
            frame[item.id] = np.where(shown, values, "")
    elif question.type == "grid_rank":
        ranks = _ranks(rng, len(question.items), n)
        for column, item in enumerate(question.items):
            keep = shown & (ranks[:, column] > 0)
            frame[item.id] = _masked_ints(ranks[:, column], keep)
    elif question.type == "text":
        pool = profile.open_pool.get(question.id, [])
        answered = shown & (rng.random(n) < _open_share(profile, question.id)) if pool else np.zeros(n, dtype=bool)
        frame[question.id] = np.where(answered, _open_picks(rng, pool, frame), "")
    if question.other_variable:
        frame[question.other_variable] = ""


def _timestamps(rng, profile: Profile, n: int) -> list[str]:
    start = dt.datetime.fromisoformat(profile.start)
    span = int((dt.datetime.fromisoformat(profile.end) - start).total_seconds())
    seconds = np.sort(rng.integers(0, span, size=n))
    return [(start + dt.timedelta(seconds=int(s))).isoformat(sep=" ") for s in seconds]


def simulate(book: Codebook, profile: Profile) -> pd.DataFrame:
    """Canonical respondent table (codebook variables, canonical labels) of a simulated wave."""
    rng = np.random.default_rng(profile.seed)
    frame = pd.DataFrame({"submitted": _timestamps(rng, profile, profile.n)})
    for question in book.questions:
        _fill_question(rng, question, frame, profile)
    return frame


# --------------------------------------------------------------------------- profile checks


def check_profile(book: Codebook, profile: Profile, source: str = "profile") -> None:
    """Every variable, level and header a profile names must exist in the codebook (no silent typo)."""
    questions = book.variable_question()
    for variable, probabilities in profile.probabilities.items():
        if variable not in questions:
            raise InputError(f"{source}: probabilities: unknown variable {variable!r}")
        unknown = set(probabilities) - set(questions[variable].levels)
        if unknown:
            raise InputError(f"{source}: probabilities of {variable}: {sorted(unknown)} are not canonical labels "
                             f"(expected some of {list(questions[variable].levels)})")
    for variable in [*profile.scale_means, *profile.scale_means_by, *profile.open_pool]:
        if variable not in questions:
            raise InputError(f"{source}: unknown variable {variable!r}")
    for question_id, pool in profile.open_pool.items():
        for entry in pool:
            condition = {} if isinstance(entry, str) else dict(entry.get("asked_if") or {})
            for variable, value in condition.items():
                if variable not in questions or value not in questions[variable].levels:
                    raise InputError(f"{source}: open_pool of {question_id}: condition {variable} = {value!r} "
                                     "names no codebook variable and canonical label")
    for header in profile.export.headers:
        _reworded_question(book, header, source)


def _reworded_question(book: Codebook, header: str, source: str) -> Question:
    for question in book.questions:
        if question.header == header and not question.branch_on:
            return question
    raise InputError(f"{source}: export: headers: {header!r} is not the header of a non-branched codebook question")


# --------------------------------------------------------------------------- export, column by column


def _active(question: Question, frame: pd.DataFrame, branch: str | None) -> np.ndarray:
    """Rows for which the form shows this column (same rule as forms.export.export_row)."""
    mask = np.ones(len(frame), dtype=bool)
    for variable, value in question.asked_if.items():
        mask &= (frame[variable] == value).fillna(False).to_numpy(dtype=bool)
    if branch is not None:
        mask &= (frame[question.branch_on] == branch).fillna(False).to_numpy(dtype=bool)
    return mask


def _column_cells(book: Codebook, question: Question, branch: str | None, item, header: str,
                  frame: pd.DataFrame) -> np.ndarray:
    """Cells of one export column: each distinct answer is written once by `export_row`, then broadcast."""
    sources = [item.id] if item else [question.id]
    if question.other_variable and question.type not in GRID_TYPES:
        sources.append(question.other_variable)
    factorized = [pd.factorize(frame[name], use_na_sentinel=True) for name in sources]
    key = np.zeros(len(frame), dtype=np.int64)
    for codes, uniques in factorized:  # mixed-radix number of the code tuple (code -1 = missing)
        key = key * (len(uniques) + 1) + (codes + 1)
    inverse, distinct = pd.factorize(key)
    combos = [_decode(int(value), factorized) for value in distinct]
    single = replace(book, questions=(question,))
    context = {**question.asked_if, **({question.branch_on: branch} if branch is not None else {})}
    texts = np.array([export_row(single, {**context, **_record(sources, factorized, combo)})[header]
                      for combo in combos], dtype=object)
    return np.where(_active(question, frame, branch), texts[inverse], "")


def _decode(value: int, factorized: list) -> list[int]:
    """Code tuple of a mixed-radix key built by `_column_cells`."""
    codes = []
    for _codes, uniques in reversed(factorized):
        value, digit = divmod(value, len(uniques) + 1)
        codes.append(digit - 1)
    return codes[::-1]


def _record(sources: list[str], factorized: list, combo: np.ndarray) -> dict:
    """Canonical values of one distinct answer (code -1 = missing)."""
    return {name: (None if code < 0 else _plain(uniques[code]))
            for name, (_codes, uniques), code in zip(sources, factorized, combo)}


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def _timestamp_cells(frame: pd.DataFrame) -> np.ndarray:
    """'2027-01-11 08:30:00' -> '11/01/2027 08:30:00' (forms.export.format_timestamp, vectorised)."""
    stamps = pd.to_datetime(frame["submitted"].replace("", None), format="ISO8601")
    return stamps.dt.strftime("%d/%m/%Y %H:%M:%S").fillna("").to_numpy(dtype=object)


def export_columns(canonical: pd.DataFrame, book: Codebook, style: ExportStyle = ExportStyle()) -> pd.DataFrame:
    """Raw export of `canonical` as the edition of the form described by `style` would write it.

    With the default style the result equals `forms.export.export_frame(canonical, book)`.
    """
    renamed = {}
    for original, reworded in style.headers.items():
        question = _reworded_question(book, original, "export style")
        renamed.update({h: r for (_b, _i, h), (_b2, _i2, r) in zip(question.columns(), question.columns(reworded))})
    frame = canonical.reset_index(drop=True)
    cells = {book.timestamp_headers[0]: _timestamp_cells(frame)}
    for question in book.questions:
        for branch, item, header in question.columns():
            cells[renamed.get(header, header)] = _column_cells(book, question, branch, item, header, frame)
    export = pd.DataFrame(cells)
    if style.column_order_seed is not None:
        questions = list(export.columns[1:])
        order = np.random.default_rng(style.column_order_seed).permutation(len(questions))
        export = export[[export.columns[0], *[questions[i] for i in order]]]
    return export


def write_csv_export(export: pd.DataFrame, out_path: str | Path) -> None:
    """UTF-8 CSV, comma-separated, \\n line endings: the bytes `forms.export.write_export` writes."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    export.to_csv(out_path, index=False, encoding="utf-8", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)


def load_profile(path: str | Path, book: Codebook) -> Profile:
    """Read and check a simulation profile (YAML, see data/studies/<study>/simulation/<wave>.yaml)."""
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise InputError(f"{path}: expected a mapping with n, seed, start, end")
    missing = [key for key in ("n", "seed", "start", "end") if key not in raw]
    if missing:
        raise InputError(f"{path}: missing key(s) {missing}")
    profile = profile_from_dict(raw)
    check_profile(book, profile, str(path))
    return profile


def write_simulated_export(profile_path: str | Path, codebook_path: str | Path, out_path: str | Path,
                           n: int | None = None) -> pd.DataFrame:
    """Simulate the wave a profile describes and write its raw export; `n` overrides the profile's size.

    Same profile, same seed, same n: the same bytes. Returns the canonical table that was exported.
    """
    book = load_codebook(codebook_path)
    profile = load_profile(profile_path, book)
    if n is not None:
        if n < 1:
            raise InputError(f"--n must be at least 1, got {n}")
        profile = replace(profile, n=int(n))
    canonical = simulate(book, profile)
    write_csv_export(export_columns(canonical, book, profile.export), out_path)
    return canonical
