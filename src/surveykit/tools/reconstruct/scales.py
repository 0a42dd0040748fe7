"""1-10 scales: a histogram showing a published mean ± sd, then values dealt to respondents."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .barriers import VALUES, _admissible_rows, beta_probabilities
from .rounding import SumOption, sum_options, target
from .targets import MeanSd


def histogram_for(ms: MeanSd, rng: np.random.Generator, tries: int = 200, batch: int = 20_000) -> tuple[np.ndarray, str]:
    """A histogram of ms.n answers on 1..10 showing ms (strict reading, else printed digits).

    Multinomial draws around a seeded beta law with that mean ± sd; the first admissible
    draw is kept, so the shape looks like real answers rather than an optimiser's corner.
    """
    for reading in ("strict", "printed"):
        options: list[SumOption] = sum_options(ms.n, target(ms.mean, reading), target(ms.sd, reading))
        if not options:
            continue
        for _ in range(tries):
            probs = beta_probabilities(ms.mean.value, ms.sd.value, rng)
            draws = rng.multinomial(ms.n, probs, size=batch)
            ok = np.flatnonzero(_admissible_rows(draws, options))
            if len(ok):
                return draws[ok[0]], reading
    raise ValueError(f"{ms.ref}: no histogram of {ms.n} answers shows {ms.mean.text} ± {ms.sd.text}")


def free_histogram(n: int, mean: float, sd: float, rng: np.random.Generator) -> np.ndarray:
    """An unpublished scale: n answers drawn around a plausible mean ± sd (reconstruction choice)."""
    return rng.multinomial(n, beta_probabilities(mean, sd, rng, jitter=0.1))


def deal_values(hist: np.ndarray, score: np.ndarray, rng: np.random.Generator, noise: float = 1.0) -> np.ndarray:
    """Values of `hist` given in increasing order to respondents sorted by score + noise."""
    values = np.repeat(VALUES, hist)
    if len(values) != len(score):
        raise ValueError(f"{len(values)} values for {len(score)} respondents")
    out = np.empty(len(score), dtype=int)
    out[np.argsort(score + noise * rng.normal(size=len(score)), kind="stable")] = values
    return out


# Reconstruction choice for the unpublished Q19 ("indispensable dans 10 ans"): users more convinced.
INDISPENSABLE_BY_USE: Mapping[str, tuple[float, float]] = {"Oui": (7.6, 1.9), "Non": (5.4, 2.4)}
