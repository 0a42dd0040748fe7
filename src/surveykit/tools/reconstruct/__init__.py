"""Reconstruction of a survey wave's answers from its published aggregates (seeded, deterministic).

Entry point: `reconstruct_wave` (surveykit.tools.reconstruct.assemble); the barrier solver is
surveykit.tools.reconstruct.barriers; `verify` / `render` (surveykit.tools.reconstruct.report) check
every published number against the result.
"""
from .assemble import Reconstruction, reconstruct_wave
from .report import Check, render, verify

__all__ = ["Check", "Reconstruction", "reconstruct_wave", "render", "verify"]
