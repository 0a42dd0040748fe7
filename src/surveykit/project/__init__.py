"""The project as the workflow reads it: the checks of config.yaml (configcheck) and the studies it declares,
each read and checked from its folder under data/studies/ (study). The Snakefile and workflow/rules/common.smk
import these before any rule runs; the drafter (surveykit.tools.draft) and the command line use them too.
"""

__all__ = ["configcheck", "study"]
