"""A generated pair of waves where some respondents answer again (issue O: paired comparisons across waves).

Wave A: 70 respondents R001…R070. Wave B: 50 of them again (R021…R070) and 22 new ones (N001…N022); key R070
is given twice in wave B (two answers that cannot be told apart: neither matches). Each returning
respondent's answers in B derive from their answers in A (practice adopted with probability 0.35 by a
non-user, dropped with probability 0.1 by a user; each barrier score moves by -2…+1), so the pairs are
correlated as a real panel's are. The truth is kept: who is matched, the discordant pairs, the differences.
Deterministic (numpy's default_rng(seed)); tests/r_reference/paired_waves_{a,b}.csv are its output for the
default seed, read by paired_waves_reference.R.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

SEED = 20260605
KEY = "identifiant"


def generate(items: list[str], seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    rng = np.random.default_rng(seed)
    keys_a = [f"R{i:03d}" for i in range(1, 71)]
    users_a = rng.random(70) < 0.55
    scores_a = rng.integers(1, 11, size=(70, len(items)))
    frame_a = pd.DataFrame({KEY: keys_a, "pratique_tle": np.where(users_a, "Oui", "Non")})
    for j, item in enumerate(items):
        frame_a[item] = scores_a[:, j]
    back = list(range(20, 70))  # R021…R070 answer again
    users_b = [bool(users_a[i]) if rng.random() >= (0.1 if users_a[i] else 0.35) else not users_a[i] for i in back]
    moved = np.clip(scores_a[back] + rng.integers(-2, 2, size=(len(back), len(items))), 1, 10)
    new_users = rng.random(22) < 0.6
    new_scores = rng.integers(1, 11, size=(22, len(items)))
    keys_b = [keys_a[i] for i in back] + [f"N{i:03d}" for i in range(1, 23)] + ["R070"]
    frame_b = pd.DataFrame({KEY: keys_b, "pratique_tle": np.where(list(users_b) + list(new_users) + [True], "Oui",
                                                                 "Non")})
    for j, item in enumerate(items):
        frame_b[item] = list(moved[:, j]) + list(new_scores[:, j]) + [5]
    matched = back[:-1]  # R070 is ambiguous in wave B
    stay = [k for k, i in enumerate(back) if i in matched]
    truth = {"n_pairs": len(matched), "unmatched_a": 70 - len(matched), "unmatched_b": len(keys_b) - len(matched),
             "user_to_non": sum(bool(users_a[i]) and not users_b[k] for k, i in zip(stay, matched)),
             "non_to_user": sum(not users_a[i] and users_b[k] for k, i in zip(stay, matched)),
             "differences": {item: [int(moved[k, j] - scores_a[i, j]) for k, i in zip(stay, matched)]
                             for j, item in enumerate(items)}}
    return frame_a, frame_b, truth
