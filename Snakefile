# Survey pipeline: regenerates the "Résultats" chapter of a questionnaire study from its raw
# Google Forms export(s). Stages: cleaning → recoding → statistics → figures → manuscript.
from snakemake.utils import min_version

min_version("9.0")

from surveykit.project.configcheck import check_config_file

check_config_file("config.yaml")  # YAML aliases are refused before Snakemake loads (and expands) the file


configfile: "config.yaml"


# `surveykit report` (make report): results/report.html, the reviewer's entry point (workflow/report/).
report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/code.smk"
include: "workflow/rules/clean.smk"
include: "workflow/rules/recode.smk"
include: "workflow/rules/stats.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/manuscript.smk"
include: "workflow/rules/reproduction.smk"
include: "workflow/rules/provenance.smk"
include: "workflow/rules/waves.smk"


localrules:
    all,


rule all:
    input:
        all_outputs(),
    default_target: True


introspect_functions_once()  # every rule is defined (workflow/rules/common.smk)
