"""Helpers of the benchmarks (scripts/bench.py): large waves shaped like a real export."""

__all__ = ["corpus", "resample"]
