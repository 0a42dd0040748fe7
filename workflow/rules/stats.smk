# Stage 3: statistics (computed once; figures and the chapter only read these files).


# Run the analysis plan: tidy descriptive tables, one test per comparison and the regression models, as R computes them.
rule analyse_wave:
    input:
        responses=rules.clean_wave.output.responses,
        codebook=rules.codebook_edition.output.codebook,
        plan=plan_file,
        code=script_code("analyse_wave.py"),
    output:
        descriptives="results/{wave}/stats/descriptives.csv",
        tests="results/{wave}/stats/tests.csv",
        models="results/{wave}/stats/models.csv",
        estimates="results/{wave}/stats/estimates.csv",
        posthoc="results/{wave}/stats/posthoc.csv",
    params:
        seed=config["seed"],
        alpha=config["manuscript"]["alpha"],
    priority: CHAPTER_CHAIN
    resources:
        **CLUSTER_RESOURCES["analyse_wave"],
    group:
        GROUP_DATA
    log:
        "results/logs/{wave}/analyse_wave.log",
    benchmark:
        "results/benchmarks/{wave}/analyse_wave.tsv"
    script:
        "../../scripts/analyse_wave.py"


# Format every table in French (counts with %, mean ± SD, p-values) with its test footnote. One rule for every
# study: the tables are those of the wave's plan, so their files are not declared one by one; the step lists the
# files it wrote in the wave's manifest (the DAG stays the same whatever the number of studies and tables).
rule format_tables:
    input:
        unpack(reported_files("tables")),
        descriptives=rules.analyse_wave.output.descriptives,
        tests=rules.analyse_wave.output.tests,
        models=rules.analyse_wave.output.models,
        estimates=rules.analyse_wave.output.estimates,
        posthoc=rules.analyse_wave.output.posthoc,
        published=wave_published_list,
        codebook=rules.codebook_edition.output.codebook,
        plan=plan_file,
        code=script_code("format_tables.py"),
    output:
        tables="results/{wave}/tables/tables.json",
        manifest="results/{wave}/tables/manifest.json",
        xlsx=report(
            "results/{wave}/tables/tableaux.xlsx",
            caption="../report/tables.rst",
            category="Tableaux",
            subcategory="{wave}",
            labels={"fichier": "tableaux.xlsx"},
        ),
    params:
        out_dir=tables_dir,
        expected=table_files,
        alpha=config["manuscript"]["alpha"],
        seed=config["seed"],
    priority: CHAPTER_CHAIN
    resources:
        **CLUSTER_RESOURCES["light"],
    group:
        GROUP_CHAPTER
    log:
        "results/logs/{wave}/format_tables.log",
    benchmark:
        "results/benchmarks/{wave}/format_tables.tsv"
    script:
        "../../scripts/format_tables.py"
