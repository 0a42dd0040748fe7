# Stage 3: statistics (computed once; figures and the chapter only read these files).


# Run the analysis plan: tidy descriptive tables and one test per comparison, as R computes them.
rule analyse_wave:
    input:
        responses=rules.clean_wave.output.responses,
        codebook=codebook_file,
        plan=plan_file,
        code=script_code("analyse_wave.py"),
    output:
        descriptives="results/{wave}/stats/descriptives.csv",
        tests="results/{wave}/stats/tests.csv",
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


# One table job per study: its outputs are named after the tables of that study's plan. The rules differ per
# study, so later rules name their common output by this pattern rather than by rules.<name>.output.
TABLES_JSON = "results/{wave}/tables/tables.json"
for _study, _waves in ((s, waves_of(s)) for s in STUDIES):
    if not _waves:
        continue

    # Format every table in French (counts with %, mean ± SD, p-values) with its test footnote.
    rule:
        name:
            f"format_tables_{_study}"
        input:
            descriptives=rules.analyse_wave.output.descriptives,
            tests=rules.analyse_wave.output.tests,
            estimates=rules.analyse_wave.output.estimates,
            posthoc=rules.analyse_wave.output.posthoc,
            published=wave_published_list,
            codebook=codebook_file,
            plan=plan_file,
            code=script_code("format_tables.py"),
        output:
            tables=TABLES_JSON,
            csv=[
                report(
                    f"results/{{wave}}/tables/{_table}.csv",
                    caption="../report/tables.rst",
                    category="Tableaux",
                    subcategory="{wave}",
                    labels={"fichier": f"{_table}.csv"},
                )
                for _table in STUDIES[_study].table_ids
            ],
            excel_csv=expand("results/{{wave}}/tables/{table}.excel.csv", table=STUDIES[_study].table_ids),
            xlsx=report(
                "results/{wave}/tables/tableaux.xlsx",
                caption="../report/tables.rst",
                category="Tableaux",
                subcategory="{wave}",
                labels={"fichier": "tableaux.xlsx"},
            ),
        params:
            out_dir=tables_dir,
            alpha=config["manuscript"]["alpha"],
            seed=config["seed"],
        wildcard_constraints:
            wave=wave_regex(_waves),
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
