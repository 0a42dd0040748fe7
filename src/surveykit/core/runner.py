"""Run a pipeline step from a Snakemake script: log to the rule's log file, turn bad input into a clear message."""
from __future__ import annotations

import logging
import sys
from typing import Callable

from .errors import ConsistencyError, InputError, describe_os_error


def run_step(snakemake, step: Callable[..., None]) -> None:
    """Call `step(snakemake.input, snakemake.output, snakemake.params, logger)` with clean error reporting."""
    log_path = snakemake.log[0] if snakemake.log else None
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", handlers=handlers, force=True)
    logger = logging.getLogger(snakemake.rule)
    try:
        step(snakemake.input, snakemake.output, snakemake.params, logger)
    except (InputError, ConsistencyError) as exc:
        _stop(logger, exc)
    except OSError as exc:  # a full disk, a file open in Excel, a read-only folder: the user's to fix, not a bug
        message = describe_os_error(exc, where=", ".join(map(str, snakemake.output)) or "a file")
        if message is None:
            logger.exception("internal error in rule %s (a bug of the pipeline, not of your data): please report it "
                             "with this log", snakemake.rule)
            raise
        _stop(logger, f"{message} (rule {snakemake.rule})")
    except Exception:
        logger.exception("internal error in rule %s (a bug of the pipeline, not of your data): please report it "
                         "with this log", snakemake.rule)
        raise


def _stop(logger: logging.Logger, message: object) -> None:
    banner = "=" * 78
    logger.error("\n%s\nThe pipeline stopped: %s\n%s", banner, message, banner)
    sys.exit(1)
