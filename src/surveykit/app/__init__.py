"""The command line: the `surveykit` command (cli), running Snakemake and recovering from an interrupted run
(pipeline), SLURM clusters (cluster) and the console summary after a run (summary). It drives everything below
it, tools included (`surveykit study` drafts a study), and no rule imports it.
"""

__all__ = ["cli", "cluster", "pipeline", "summary"]
