# Stage 3: statistics (computed once; figures and the chapter only read these files).


# Run the analysis plan: tidy descriptive tables and one test per comparison, as R computes them.
rule analyse_wave:
    input:
        responses="results/{wave}/clean/responses.csv",
        codebook=config["study"]["codebook"],
        plan=config["study"]["analysis_plan"],
        code=package_code(
            "analysis/describe", "analysis/compare", "analysis/run", "analysis/plan", "stats", "distributions",
            "steps/analyse",
        ),
    output:
        descriptives="results/{wave}/stats/descriptives.csv",
        tests="results/{wave}/stats/tests.csv",
    params:
        seed=config["seed"],
    priority: CHAPTER_CHAIN
    log:
        "results/logs/{wave}/analyse_wave.log",
    benchmark:
        "results/benchmarks/{wave}/analyse_wave.tsv"
    script:
        "../../scripts/analyse_wave.py"


# Format every table in French (counts with %, mean ± SD, p-values) with its test footnote.
rule format_tables:
    input:
        descriptives="results/{wave}/stats/descriptives.csv",
        tests="results/{wave}/stats/tests.csv",
        codebook=config["study"]["codebook"],
        plan=config["study"]["analysis_plan"],
        code=package_code("analysis/format", "fmt", "steps/tables"),
    output:
        tables="results/{wave}/tables/tables.json",
        csv=expand("results/{{wave}}/tables/{table}.csv", table=TABLE_IDS),
    params:
        out_dir=tables_dir,
    priority: CHAPTER_CHAIN
    log:
        "results/logs/{wave}/format_tables.log",
    benchmark:
        "results/benchmarks/{wave}/format_tables.tsv"
    script:
        "../../scripts/format_tables.py"
