"""The corpus bench (`scripts/bench.py --corpus-only`): draft many generated exports as `make study` does, score the
drafts against their truth, build the chapters of many of them in one Snakemake invocation, and say what failed.

The scratch project and the Snakemake run are the caller's (scripts/bench.py has the project helpers); this
module scores, collects the failures from the rules' logs and writes the BENCHMARKS.md section.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

from .build import CorpusProject, built
from .compare import Comparison, compare_codebook, draft_codebook
from .generate import Generated

SECTION = "## Generated corpus: drafting accuracy and builds"


def score(project: CorpusProject, exports: dict[int, Generated]) -> tuple[list[Comparison], list[str]]:
    """Each drafted codebook (as written into the project; drafted again from the export when `make study`
    stopped) beside its truth; and the exports that could not be drafted at all."""
    comparisons, undrafted = [], []
    for entry in project.drafted:
        truth = exports[entry.seed].truth
        path = project.root / "data" / "studies" / entry.study / "codebook.yaml"
        try:
            codebook = yaml.safe_load(path.read_text(encoding="utf-8")) if entry.error is None else \
                draft_codebook(entry.export)
        except Exception as exc:  # noqa: BLE001 - reported, every question counted as missed
            undrafted.append(f"seed {entry.seed}: {type(exc).__name__}: {str(exc)[:200]}")
            codebook = {"questions": []}
        comparisons.append(compare_codebook(codebook, truth))
    return comparisons, undrafted


_ERROR_LINE = re.compile(r"^(?:\w+(?:\.\w+)*(?:Error|Exception)\b.*|ERROR .*|.*stopped: .*)$")


def wave_failures(root: Path, wave: str) -> list[tuple[str, str]]:
    """(rule, error) of each rule of a wave that failed: its log's last error line."""
    found = []
    for log in sorted((root / "results" / "logs" / wave).glob("*.log")):
        lines = [line.strip() for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
        errors = [line for line in lines if _ERROR_LINE.match(line)]
        if errors:
            found.append((log.stem, errors[-1][:240]))
    return found or [("?", "no rule log holds an error (a job not run: an upstream failure, or Snakemake stopped "
                           "first)")]


def rule_costs(root: Path, waves: list[str]) -> list[tuple[str, float, int]]:
    """(rule, seconds summed over the waves, waves) from the rules' Snakemake benchmark files, costliest first:
    what a wave's build time is made of."""
    costs: dict[str, list[float]] = {}
    for wave in waves:
        for tsv in sorted((root / "results" / "benchmarks" / wave).glob("*.tsv")):
            lines = tsv.read_text(encoding="utf-8").splitlines()
            if len(lines) > 1:
                costs.setdefault(tsv.stem, []).append(float(lines[1].split("\t")[0]))
    return sorted(((rule, sum(times), len(times)) for rule, times in costs.items()), key=lambda r: (-r[1], r[0]))


def _generic(message: str) -> str:
    """An error message with its variable parts (quoted values, numbers, paths) elided, to count alike errors."""
    message = re.sub(r"'[^']*'|\"[^\"]*\"|«[^»]*»", "…", message)
    message = re.sub(r"\b(?:results|data|manuscript)/\S+", "<path>", message)
    return re.sub(r"\d+", "N", message)


def builds(root: Path, waves: list[str]) -> dict:
    ok = [w for w in waves if built(root, w)]
    failures = {w: wave_failures(root, w) for w in waves if w not in ok}
    kinds = Counter((rule, _generic(message)) for found in failures.values() for rule, message in found)
    return {"built": ok, "failures": failures, "kinds": kinds.most_common()}


_NOT_REBUILT = "Build: not rerun in this run (`--corpus-build 0`: drafting and scoring only)."
_LAST_BUILD = " The last run that built, with the drafter of its day, reported: "


def last_build(out: Path) -> str | None:
    """What the corpus section of BENCHMARKS.md says of the last run that built chapters (None: no such run), so
    that a run that only drafts (`--corpus-build 0`) keeps it, marked as not rerun."""
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    if SECTION not in text:
        return None
    body = re.split(r"^## ", text.split(SECTION, 1)[1], maxsplit=1, flags=re.M)[0]
    line = next((line for line in body.splitlines() if line.startswith("Build: ")), None)
    if line is None:
        return None
    if line.startswith(_NOT_REBUILT):
        return line.split(_LAST_BUILD, 1)[1] if _LAST_BUILD in line else None
    return line[len("Build: "):]


def section(summary: dict, undrafted: list[str], drafting: dict, build: dict | None, timing: dict,
            earlier_build: str | None = None) -> list[str]:
    """The BENCHMARKS.md section (English, as the rest of the file); `earlier_build`: what the last run that built
    reported, repeated as such when this run built nothing."""
    lines = [SECTION, "",
             f"`scripts/bench.py --corpus-only` (seeds {timing['seeds']}): {summary['exports']} exports generated by "
             "`surveykit.tools.bench.corpus` (Forms CSV, Sheets XLSX, French Excel CSV; French and English questionnaires "
             "written after the seed surveys), each drafted as `make study` does (`surveykit.tools.draft.draft_study` into "
             "one scratch project) and scored against the truth it was generated from (`compare_codebook`: type, "
             "options, level order, scale bounds, grid items).", "",
             f"- Drafting: {timing['draft']:.0f} s for {summary['exports']} exports "
             f"({timing['draft'] / max(summary['exports'], 1):.2f} s each); `make study` stopped on "
             f"{drafting['stopped']} ({', '.join(drafting['stopped_examples']) or 'none'}); "
             f"{len(undrafted)} could not be drafted at all.",
             f"- **Questions whose drafted type, options, level order, bounds and items all match the truth: "
             f"{summary['matched']} / {summary['questions']} = {summary['rate']:.1%}** (target ≥ 98 %).", "",
             "| type (truth) | matched | questions | share |", "|---|---:|---:|---:|"]
    for kind, (matched, total) in summary["by_type"].items():
        lines.append(f"| {kind} | {matched} | {total} | {matched / total:.1%} |")
    lines += ["", "Not counted in the match: "
              + "; ".join(f"{aspect} right for {ok} of {n} questions" for aspect, (ok, n) in summary["side"].items())
              + f"; {len(summary['extra'])} drafted question(s) with no question in the truth"
              + (f" (e.g. {', '.join(repr(h) for _s, h in summary['extra'][:3])})" if summary["extra"] else "") + ".",
              "", "Every miss, by kind (what the question was generated as: what went wrong):", "",
              "| misses | kind |", "|---:|---|"]
    lines += [f"| {n} | {kind} |" for kind, n in summary["miss_kinds"]]
    lines += ["", "<details><summary>Every miss (seed, question, expected, drafted)</summary>", ""]
    lines += [f"- {m.line()}" for m in summary["misses"]]
    lines += ["", "</details>", ""]
    if undrafted:
        lines += ["Not drafted:", "", *[f"- {u}" for u in undrafted], ""]
    if build is None:
        lines += [_NOT_REBUILT + (_LAST_BUILD + earlier_build if earlier_build else " No earlier build recorded."), ""]
    if build is not None:
        n = len(timing["attempted"])
        left = timing["build_waves"] - n
        lines += [f"Build: the first {n} drafted waves, {timing['batch']} per `snakemake --cores 2 --keep-going` "
                  "invocation (the scratch config.yaml declaring only that batch's waves and studies): "
                  f"{timing['build']:.0f} s ({timing['build'] / max(n, 1):.1f} s per wave; batches "
                  + ", ".join(f"{w} waves in {t:.0f} s" for w, t in timing["batches"]) + "); "
                  f"**md, html and docx built for {len(build['built'])} of {n}**"
                  + (f"; {left} more drafted waves not attempted (no batch started after the time limit "
                     "`--corpus-until`)" if left else "") + ".",
                  "", "Planning cost (`snakemake -n`, the DAG alone): "
                  + (f"{_seconds(timing['dry_batch'])} for one batch of {min(timing['batch'], n)} waves, "
                     if timing["batches"] else "") + f"{_seconds(timing['dry_all'])} with all {timing['build_waves']} waves declared "
                  "at once.", ""]
        if build.get("rules"):
            total = sum(seconds for _r, seconds, _n in build["rules"]) or 1.0
            lines += ["What a wave's build is made of (each rule's Snakemake benchmark, summed over the waves built; "
                      "one process per rule and wave):", "", "| rule | seconds per wave | share |", "|---|---:|---:|"]
            lines += [f"| {rule} | {seconds / max(count, 1):.1f} | {seconds / total:.0%} |"
                      for rule, seconds, count in build["rules"]]
            lines.append("")
        if build["kinds"]:
            lines += ["| waves | rule | error (values elided) |", "|---:|---|---|"]
            lines += [f"| {count} | {rule} | {message.replace('|', '/')} |" for (rule, message), count in build["kinds"]]
            lines += ["", "Failed waves: " + ", ".join(f"{w} ({', '.join(rule for rule, _m in found)})"
                                                       for w, found in build["failures"].items()), ""]
    return lines


def _seconds(value: float | None) -> str:
    return "more than 300 s (stopped)" if value is None else f"{value:.0f} s"


def replace_section(out: Path, lines: list[str], before: str | None = None, heading: str = SECTION) -> None:
    """Put the section (titled `heading`) into BENCHMARKS.md, replacing an older one, before the heading `before`
    if present."""
    text = out.read_text(encoding="utf-8") if out.exists() else "# Benchmarks\n"
    if heading in text:
        head, rest = text.split(heading, 1)
        following = re.search(r"^## ", rest, re.M)
        text = head.rstrip("\n") + "\n\n" + (rest[following.start():] if following else "")
    block = "\n".join(lines).rstrip("\n") + "\n"
    if before and before in text:
        head, tail = text.split(before, 1)
        text = head.rstrip("\n") + "\n\n" + block + "\n" + before + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block
    out.write_text(text, encoding="utf-8")

