"""No conclusion typed into a template, and no sentence without its numbers.

A template's own words (outside `{{ … }}`, `{% … %}` and comments) may not state a result:

* words of rank or exclusivity (« seul(e) », « unique », « majorit… », « le/la/les plus », « le/la/les moins »)
  never: which answer is the most frequent, or whether a characteristic is the only one that differs, is
  read from the results by a helper (`c.difference_clause`, `c.ranking`, `c.top_phrase`…);
* words of significance (« significati… », « diffère(nt) ») only inside a `{% if %}` / `{% for %}` whose
  condition reads the results (`V.value(…)`, a helper of `c`, or a name `{% set %}` from one), so that the
  sentence is written only when the results say so.

The thesis template once held « La répartition des âges, seule caractéristique qui diffère
significativement entre les CPTS », false for a later wave where five characteristics differ.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted([*ROOT.glob("manuscript/templates/*.j2"), *ROOT.glob("data/studies/*/*.j2"),
                    *ROOT.glob("tests/fixtures/**/*.j2")])

RANKING = re.compile(r"(?i)\bseule?s?\b|\buniques?\b|majorit|\b(?:le|la|les) (?:plus|moins)\b")
SIGNIFICANCE = re.compile(r"(?i)significati|\bdiff[èe]r(?:e|ent)\b")
TAG = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%-?\s*(?P<body>.*?)\s*-?%\}", re.S)
READS_RESULTS = re.compile(r"V\.value\(|\bc\.\w+")


def claims(text: str) -> list[str]:
    """The template's own words that state a result without reading it (empty: none)."""
    problems, stack, names = [], [], set()
    position = 0

    def reads(expression: str) -> bool:
        return bool(READS_RESULTS.search(expression)) or any(re.search(rf"\b{re.escape(n)}\b", expression)
                                                           for n in names)

    def check(prose: str) -> None:
        for match in RANKING.finditer(prose):
            problems.append(f"« {match.group(0)} » in « {_around(prose, match)} »")
        if not any(stack):
            for match in SIGNIFICANCE.finditer(prose):
                problems.append(f"« {match.group(0)} » outside a condition on the results, in « {_around(prose, match)} »")

    for tag in TAG.finditer(text):
        check(text[position:tag.start()])
        position = tag.end()
        body = tag.group("body")
        if body is None:
            continue
        word = body.split(None, 1)[0] if body.split() else ""
        rest = body[len(word):]
        if word in ("if", "for"):
            stack.append(reads(rest))
        elif word in ("elif", "else"):
            if stack:
                stack[-1] = stack[-1] or reads(rest)
        elif word in ("endif", "endfor"):
            if stack:
                stack.pop()
        elif word == "set" and "=" in rest and reads(rest.split("=", 1)[1]):
            names.add(rest.split("=", 1)[0].strip())
    check(text[position:])
    return problems


def _around(prose: str, match: re.Match) -> str:
    return " ".join(prose[max(0, match.start() - 40):match.end() + 40].split())


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_result_is_typed_into_a_template(template):
    assert claims(template.read_text(encoding="utf-8")) == []


def test_the_check_catches_the_sentence_the_thesis_template_once_held():
    old = ('{% if V.value("tableau_3.age.significant") %}\nLa répartition des âges, seule caractéristique qui diffère '
           'significativement entre les CPTS, est détaillée dans le tableau {{ c.table_number("tableau_3") }}.\n'
           '{% endif %}')
    assert [p.split(" in ")[0] for p in claims(old)] == ["« seule »"]
    assert claims("Le frein le plus cité est {{ c.rank_top('t', 'Oui', 1) }}.") != []
    assert claims("La répartition diffère significativement entre les groupes.") != []
    guarded = '{% set significant = c.significant("t") %}{% if significant %}Une différence significative…{% endif %}'
    assert claims(guarded) == []
    assert claims('{{ c.ranking("t", "v", "Oui", ("réponse", "réponses"), "la plus citée") }}') == []


def test_there_are_templates_to_check():
    names = {p.name for p in TEMPLATES}
    assert {"resultats.md.j2", "evolution.md.j2"} <= names and len(TEMPLATES) >= 4
