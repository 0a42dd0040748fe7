"""Figures drawn only from statistics and recoding outputs (never from raw data)."""
