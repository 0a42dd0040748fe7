"""Tools apart from the engine, never imported by a rule (tests/test_import_graph.py checks): drafting a study
from an export (draft), reconstructing the bundled waves from their published numbers (reconstruct),
simulating a wave from a profile (simulate) and the benchmarks' helpers (bench).
"""

__all__ = ["bench", "draft", "reconstruct", "simulate"]
