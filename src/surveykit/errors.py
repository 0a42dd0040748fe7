"""Errors that stop the pipeline with a message a thesis author can act on."""


class InputError(Exception):
    """Bad input: the message names the file, row, column, value and what was expected."""


class ConsistencyError(Exception):
    """An internal invariant failed (e.g. row counts that do not add up)."""
