"""Rule clean_wave: raw export -> responses.csv, excluded.csv, flow.json."""
from __future__ import annotations

import logging

from ..clean import clean_file
from ..codebook import load_codebook
from ..io import write_csv, write_json


def clean_wave(export: str, codebook: str, responses: str, excluded: str, flow: str,
               wave: dict, on_invalid: str, logger: logging.Logger) -> dict:
    """Clean one wave and write its three outputs; returns the flow counts."""
    book = load_codebook(codebook)
    result = clean_file(export, book, period=wave.get("period") or None, on_invalid=on_invalid)
    for message in result.messages:
        logger.warning(message)
    counts = result.flow
    logger.info("received %d rows: analysed %d, excluded %d, quarantined %d", counts["received"], counts["analysed"],
                sum(counts["excluded"].values()), sum(counts["quarantined"].values()))
    counts = {"wave_label": wave["label"], "synthetic": bool(wave.get("synthetic", False)), **counts}
    write_csv(result.responses, responses)
    write_csv(result.excluded, excluded)
    write_json(counts, flow)
    return counts


def run(inputs, outputs, params, logger) -> None:
    clean_wave(inputs.export, inputs.codebook, outputs.responses, outputs.excluded, outputs.flow,
               params.wave, params.on_invalid, logger)
