"""Descriptive tables and comparisons driven by the analysis plan (data/study/analysis_plan.yaml)."""
