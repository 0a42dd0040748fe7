"""No sentence without its numbers: no generated chapter prints an empty value, interval or test.

The scan runs on every chapter of the bundled waves (and their evolution section); the fixture study whose
form changes across three waves is scanned by tests/test_form_editions.py."""
from __future__ import annotations

import pytest
from placeholders import chapters, empty_placeholders

from surveykit.manuscript import prose


def test_the_scan_finds_what_the_issue_saw():
    broken = ("- Vague 2025 : 0 médecins sur 0, soit  (IC 95 % de Wilson :  – ).\n"
              "Activité Universitaire : la répartition ne diffère pas significativement (, p = ).")
    assert len(empty_placeholders(broken)) >= 3
    assert empty_placeholders("Âge : 5 (12,8 %) ; p = 0,0051 (test exact de Fisher).") == []


def test_a_comparison_that_did_not_run_says_so():
    sentence = prose.comparison("Activité universitaire", ["A", "B"], False, "", "")
    assert empty_placeholders(sentence) == [] and "aucun test possible" in sentence


@pytest.mark.pipeline
def test_no_bundled_chapter_prints_an_empty_value(built_project):
    found = chapters(built_project)
    assert len(found) >= 4  # three waves and the thesis study's evolution section
    problems = {str(p.relative_to(built_project)): empty_placeholders(p.read_text(encoding="utf-8")) for p in found}
    assert {k: v for k, v in problems.items() if v} == {}
