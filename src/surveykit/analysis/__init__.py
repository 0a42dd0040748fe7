"""Stage 3, statistics (workflow/rules/stats.smk), rules analyse_wave and format_tables_<study>.

Descriptive tables and comparisons driven by the analysis plan (data/studies/<study>/analysis_plan.yaml; plan,
describe, compare, run), computed with the R-exact tests of surveykit.stats, then formatted in French (format,
workbook). Files in and out in files (statistics) and tables (formatted tables), the rules' entry points in
steps.
"""

__all__ = ["compare", "describe", "files", "format", "plan", "run", "steps", "tables", "workbook"]
