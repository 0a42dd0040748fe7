"""Suggestions for answers without a decision: rules, and decisions of earlier waves.

Sources:
    rule:<id>       a deterministic rule of the codebook fired on the normalised text;
    carried:<wave>  the same normalised answer was decided in an earlier wave;
    fuzzy:<wave>    a near-identical answer (rapidfuzz score >= threshold) was decided
                    in an earlier wave.
Earlier waves are given oldest first; the newest wave that decided an answer wins.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from .codebook import Codebook
from .decisions import Decision
from .normalize import answer_hash, normalize_text

DEFAULT_THRESHOLD = 90.0


@dataclass(frozen=True)
class Suggestion:
    question: str
    answer_hash: str
    answer: str
    categories: tuple[str, ...]
    source: str
    score: float = 100.0
    matched_answer: str = ""
    complete: bool = True  # False when retired codes of an earlier decision were dropped

    @property
    def kind(self) -> str:
        return self.source.split(":", 1)[0]


def rule_suggestions(text: str, codebook: Codebook) -> list[Suggestion]:
    normalised = normalize_text(text)
    digest = answer_hash(text)
    return [
        Suggestion(codebook.question, digest, text, (rule.category,), f"rule:{rule.id}")
        for rule in codebook.rules if rule.matches(normalised)
    ]


def _current_categories(decision: Decision, codebook: Codebook) -> tuple[tuple[str, ...], bool]:
    """Codes of an earlier decision in today's codebook (merged ids followed, retired or unknown ids dropped)."""
    kept = [c for c in decision.categories if codebook.has(c) and codebook.category(c).status != "retired"]
    resolved = sorted({codebook.resolve(c) for c in kept}, key=codebook.position)
    return tuple(resolved), len(kept) == len(decision.categories)


def _from_decision(text: str, codebook: Codebook, decision: Decision, source: str, score: float) -> Suggestion:
    categories, complete = _current_categories(decision, codebook)
    return Suggestion(codebook.question, answer_hash(text), text, categories, source, score, decision.answer, complete)


def _best_earlier(text: str, codebook: Codebook, earlier: dict[str, list[Decision]],
                  threshold: float) -> Suggestion | None:
    """Carried (identical) or fuzzy (near-identical) suggestion from the newest wave that has one."""
    normalised, digest = normalize_text(text), answer_hash(text)
    for wave in reversed(list(earlier)):
        decided = sorted((d for d in earlier[wave] if d.question == codebook.question), key=lambda d: d.answer_hash)
        same = next((d for d in decided if d.answer_hash == digest), None)
        if same is not None:
            return _from_decision(text, codebook, same, f"carried:{wave}", 100.0)
        scored = [(fuzz.token_sort_ratio(normalised, normalize_text(d.answer)), d) for d in decided]
        scored = [(s, d) for s, d in scored if s >= threshold and normalised]
        if scored:
            score, best = max(scored, key=lambda pair: pair[0])  # first of equal scores: lowest hash
            return _from_decision(text, codebook, best, f"fuzzy:{wave}", round(float(score), 2))
    return None


def suggest(answers: Iterable[str], codebook: Codebook, earlier_decisions: dict[str, list[Decision]] | None = None,
            threshold: float = DEFAULT_THRESHOLD) -> list[Suggestion]:
    """Suggestions for each distinct answer (by hash): every rule that fires, then the earlier-wave match."""
    earlier_decisions = earlier_decisions or {}
    suggestions: list[Suggestion] = []
    seen: set[str] = set()
    for text in answers:
        digest = answer_hash(text)
        if digest in seen:
            continue
        seen.add(digest)
        suggestions += rule_suggestions(text, codebook)
        best = _best_earlier(text, codebook, earlier_decisions, threshold)
        if best is not None and best.categories:
            suggestions.append(best)
    return suggestions
