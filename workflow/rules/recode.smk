# Stage 2: recoding of open answers into categories (decisions are committed, suggestions only suggest).


# Before any job runs: a coding sheet filled in results/ is kept (see keep_filled_coding_sheets).
onstart:
    keep_filled_coding_sheets()


# Code every open answer from the wave's committed decisions (and earlier waves'); list what is left.
rule recode_wave:
    input:
        responses=rules.clean_wave.output.responses,
        codebook=rules.codebook_edition.output.codebook,
        categories=category_files,
        decisions=coding_files,
        earlier=earlier_coding_files,
        code=script_code("recode_wave.py"),
    output:
        coded="results/{wave}/recoding/coded_answers.csv",
        counts="results/{wave}/recoding/counts.csv",
        quotes="results/{wave}/recoding/quotes.csv",
        review="results/{wave}/recoding/to_review.csv",
        sheet="results/{wave}/recoding/coding_sheet.xlsx",
    params:
        allow_suggestions=config["recoding"]["allow_suggestions"],
        strict=config["recoding"]["strict"],
        coding_folder=lambda wildcards: study_of(wildcards).coding_folder(wildcards.wave),
    priority: CHAPTER_CHAIN
    resources:
        **CLUSTER_RESOURCES["recode_wave"],
    group:
        GROUP_DATA
    log:
        "results/logs/{wave}/recode_wave.log",
    benchmark:
        "results/benchmarks/{wave}/recode_wave.tsv"
    script:
        "../../scripts/recode_wave.py"


# Agreement between the main coder and a second coder (Cohen's kappa, Krippendorff's alpha).
rule coding_reliability:
    input:
        decisions=coding_files,
        categories=category_files,
        code=script_code("coding_reliability.py"),
    output:
        per_category="results/{wave}/recoding/reliability_per_category.csv",
        overall="results/{wave}/recoding/reliability_overall.csv",
        disagreements="results/{wave}/recoding/disagreements.csv",
    localrule: True
    log:
        "results/logs/{wave}/coding_reliability.log",
    benchmark:
        "results/benchmarks/{wave}/coding_reliability.tsv"
    script:
        "../../scripts/coding_reliability.py"
