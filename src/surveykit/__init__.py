"""surveykit: the analysis logic of the survey pipeline.

Cleaning, recoding of open answers, statistics computed exactly as R does,
figures and the templated chapter. Every module is importable and unit-tested
without Snakemake; the Snakemake rules only pass file paths to these functions.
"""
