"""Whether respondents sent the form more than once, read from the export's address column, and the codebook's
`resubmissions:` the draft proposes for it.

The rule (README, "Start a new study"), kept simple so that an author can check it by hand:

- the key is the first identifying column of e-mail addresses (its header names an e-mail, « Adresse e-mail »,
  « Courriel », or most of its answers are addresses); a name or phone column is never a key (two people share
  a name, a phone is often a practice's). Addresses are compared as the cleaning compares them (`sender_keys`:
  case, accents and surrounding spaces aside). No address given twice: no `resubmissions:` drafted;
- the submissions of one address are one respondent who sent the form again (a correction) unless they look
  like different people: a later submission differs from the address's first on a column describing the person
  (a short header naming sex, gender, age or birth, « Votre âge », « Sexe », or a column whose answers are all
  years, « Année d'installation »: what a correction hardly changes), or on more than half of the columns
  either of them answered;
- no such address: `keep: last` (the most recent submission is the respondent's final word), with a comment
  counting the addresses; one such address at least: `keep: all` (an address several people share, a
  practice's secretariat: dropping a colleague's answers unseen is worse than keeping a correction the author
  can still drop), with a comment saying how many and on what they differ.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from surveykit.core.normalise import normalise, repeated_senders, sender_keys

PERSON_WORDS = {"sexe", "genre", "age", "naissance", "sex", "gender", "birth"}
PERSON_HEADER_WORDS = 6  # a header naming the person is short (« Quel est votre âge ? »), not a question on ages
_YEAR = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class ResubmissionGuess:
    """The drafted `resubmissions:`: the address column's header, what to keep, and the counts the comment gives."""

    key: str
    keep: str
    repeated: int  # addresses found on more than one submission
    extra: int  # submissions beyond the first of each such address
    shared: int  # of those addresses, the ones whose submissions look like different people
    identical: int = 0  # submissions beyond the first whose answers are all the first's (a second click)
    differ_on: tuple[str, ...] = ()  # why: the person columns they differ on, « plus de la moitié des réponses »

    @property
    def note(self) -> str:
        """The comment above `resubmissions:` (French, as every comment of the draft)."""
        n, extra = self.repeated, self.extra
        same = "" if not self.identical else ", identique au premier" if extra == 1 else \
            ", tous identiques au premier" if self.identical == extra else \
            f", dont {self.identical} identique{'s' if self.identical > 1 else ''} au premier"
        addresses = f"{n} adresse{'s' if n > 1 else ''} e-mail {'reviennent' if n > 1 else 'revient'} dans " \
                    f"plusieurs réponses ({extra} envoi{'s' if extra > 1 else ''} de plus{same})"
        if self.keep == "last":
            return (f"{addresses} : un même répondant a renvoyé le formulaire (pour corriger une réponse, ou par "
                    "erreur) ; seule sa réponse la plus récente est analysée, les autres sont écartées (« réponse "
                    "remplacée par un nouvel envoi », ou « doublon » si elle est identique, dans le diagramme de "
                    "flux). `keep: first` garderait la première ; `keep: all` les analyserait toutes (adresse "
                    "partagée par plusieurs personnes).")
        which = "leurs réponses semblent" if n == 1 else \
            f"pour {self.shared} d'entre elles, les réponses semblent" if self.shared < n else \
            "pour chacune, les réponses semblent"
        why = " et sur ".join(self.differ_on)
        return (f"{addresses} ; {which} venir de personnes différentes (elles diffèrent sur {why}) : une adresse "
                "partagée (secrétariat, cabinet) ; toutes les réponses sont donc analysées. Si ce sont les "
                "corrections d'un même répondant, écrire `keep: last` (seule la plus récente serait analysée).")


def describes_person(header: str, answers: Sequence[str]) -> bool:
    """A column describing the person (sex, age, birth, a year): a short header naming it, or answers all years."""
    words = normalise(header).split()
    if PERSON_WORDS & set(words) and len(words) <= PERSON_HEADER_WORDS:
        return True
    filled = [answer.strip() for answer in answers if answer.strip()]
    return bool(filled) and all(_YEAR.match(answer) for answer in filled)


def _differences(first: Sequence[str], later: Sequence[str], compared: list[int]) -> tuple[set[int], bool]:
    """The columns two submissions differ on, and whether that is more than half of the columns either answered
    (answers compared as the cleaning matches them: case, accents and spacing aside)."""
    answered = [i for i in compared if first[i].strip() or later[i].strip()]
    differ = {i for i in answered if normalise(first[i]) != normalise(later[i])}
    return differ, 2 * len(differ) > len(answered)


def guess_resubmissions(headers: tuple[str, ...], rows: Sequence[Sequence[str]], columns: Sequence[Sequence[str]],
                        key: int, left_out: set[int]) -> ResubmissionGuess | None:
    """The `resubmissions:` to draft for these rows (trial and blank rows already left out; `columns`: the same
    cells column by column) and the address column `key`, None when no address repeats. `left_out`: columns that
    hold no answer (timestamp, identifying, empty). Only the submissions of a repeated address are compared, and
    only the columns they differ on examined as describing the person: the cost stays that of reading the key."""
    groups = repeated_senders(sender_keys(list(columns[key])))
    if not groups:
        return None
    compared = [i for i in range(len(headers)) if i not in left_out]
    person: dict[int, bool] = {}  # each column examined once
    shared, identical, on_person, on_most = 0, 0, set(), False
    for positions in groups:
        found = [_differences(rows[positions[0]], rows[later], compared) for later in positions[1:]]
        identical += sum(not columns_differing for columns_differing, _most in found)
        differ = {i for columns_differing, _most in found for i in columns_differing}
        for index in differ - person.keys():
            person[index] = describes_person(headers[index], columns[index])
        on_these = {i for i in differ if person[i]}
        most = any(most for _differ, most in found)
        if on_these or most:
            shared += 1
            on_person |= on_these
            on_most |= most
    extra = sum(len(positions) - 1 for positions in groups)
    if not shared:
        return ResubmissionGuess(headers[key], "last", len(groups), extra, 0, identical)
    why = tuple(f"« {_one_line(headers[i])} »" for i in sorted(on_person)) + \
        (("plus de la moitié des réponses",) if on_most else ())
    return ResubmissionGuess(headers[key], "all", len(groups), extra, shared, identical, why)


def _one_line(header: str) -> str:
    return re.sub(r"\s+", " ", header).strip()


__all__ = ["ResubmissionGuess", "guess_resubmissions"]
