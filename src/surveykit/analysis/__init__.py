"""Descriptive tables and comparisons driven by the analysis plan (data/studies/<study>/analysis_plan.yaml)."""
