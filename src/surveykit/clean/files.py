"""Cleaning of one wave, paths in, files out (rule clean_wave): raw export -> responses.csv, excluded.csv, flow.json (and the masking report)."""
from __future__ import annotations

import logging
import time

import pandas as pd

from surveykit.core.errors import InputError
from surveykit.core.io import write_csv, write_json
from surveykit.questionnaire.codebook import load_codebook
from surveykit.questionnaire.forms.read import Limits

from .cleaning import DEFAULT_MAX_QUARANTINED_SHARE, check_quarantine, clean_file, respondent_id
from .privacy import Masker, mask_cleaned, read_names


def check_analysable(export: str, flow: dict, excluded: pd.DataFrame) -> None:
    """Stop when no row is left to analyse: every later step would fail on an empty table."""
    if flow["analysed"]:
        return
    if not flow["received"]:
        raise InputError(f"{export}: the export has a header row but no response; expected one row per response "
                         "below the headers")
    reasons = {**flow["excluded"], **flow["quarantined"]}
    summary = "; ".join(f"{reason}: {n}" for reason, n in sorted(reasons.items()))
    raise InputError(f"{export}: none of the {flow['received']} rows can be analysed ({summary}); "
                     f"the first: {excluded['detail'].iloc[0]}")


def _log_rate(logger: logging.Logger, rows: int, seconds: float) -> None:
    """How fast the export was read and checked (on the console and in the log, never in an output file)."""
    logger.info("read and checked %d rows in %.1f s (%.0f rows per second)", rows, seconds, rows / max(seconds, 1e-6))


def clean_wave_files(export: str, codebook: str, responses: str, excluded: str, flow: str,
               wave: dict, on_invalid: str, logger: logging.Logger, limits: dict | None = None,
               names: str | None = None, pii_report: str | None = None,
               max_quarantined_share: float = DEFAULT_MAX_QUARANTINED_SHARE) -> dict:
    """Clean one wave and write its outputs; returns the flow counts.

    Free text is masked (surveykit.clean.privacy) before anything is written or logged, error messages included.
    The run stops when one cause quarantines more than `max_quarantined_share` of the rows."""
    book = load_codebook(codebook)
    masker = Masker(read_names(names))
    started = time.perf_counter()
    try:
        result = clean_file(export, book, Limits.from_config(limits), period=wave.get("period") or None,
                            on_invalid=on_invalid)
    except InputError as exc:
        raise InputError(masker.text(str(exc))) from None
    _log_rate(logger, result.flow["received"], time.perf_counter() - started)
    report = mask_cleaned(result, book, masker, respondent_id)
    for message in result.messages:
        logger.warning(message)
    for (where, kind), n in report.groupby(["where", "kind"])["n"].sum().items():
        logger.warning("personal data masked: %d %s in %s", n, kind, where)
    check_analysable(export, result.flow, result.excluded)
    try:
        check_quarantine(result.causes, result.flow["received"], book, export, max_quarantined_share)
    except InputError as exc:
        raise InputError(masker.text(str(exc))) from None
    counts = result.flow
    logger.info("received %d rows: analysed %d, excluded %d, quarantined %d (each row set aside is in %s, its cell "
                "named)", counts["received"], counts["analysed"], sum(counts["excluded"].values()),
                sum(counts["quarantined"].values()), excluded)
    counts = {"wave_label": wave["label"], "synthetic": bool(wave.get("synthetic", False)), **counts}
    write_csv(result.responses, responses)
    write_csv(result.excluded, excluded)
    write_json(counts, flow)
    if pii_report is not None:
        write_csv(report, pii_report)
    return counts
