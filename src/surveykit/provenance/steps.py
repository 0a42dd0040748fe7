"""Rule entry point of the provenance stage (workflow/rules/provenance.smk)."""
from __future__ import annotations

import logging

from surveykit.core.io import read_json, sha256_of, write_json

from .record import git_commit, package_versions


def provenance(inputs, outputs, params, logger: logging.Logger) -> None:
    """results/<wave>/provenance.json: raw export hash, study files, configuration, commit, versions, rules."""
    flow = read_json(inputs.flow)
    record = {
        "wave": params.config["wave"],
        "raw_export": {"path": flow["source"], "sha256": flow["sha256"]},
        "study_files": {path: sha256_of(path) for path in inputs.study},
        "config": params.config,
        "git_commit": git_commit(),
        "packages": package_versions(inputs.requirements),
        "rules": params.graph,
    }
    write_json(record, outputs.json)
    logger.info("provenance written (%d rules, commit %s)", len(params.graph), record["git_commit"])


__all__ = ["provenance"]
