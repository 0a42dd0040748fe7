# Reviewers' check: every published number of a wave against its regenerated value, plus the audit.


# Compare the published numbers (data/studies/<study>/published/<wave>.yaml) with the pipeline's outputs.
rule reproduction_report:
    input:
        published=wave_published,
        descriptives="results/{wave}/stats/descriptives.csv",
        tests="results/{wave}/stats/tests.csv",
        counts="results/{wave}/recoding/counts.csv",
        chapter="manuscript/build/{wave}/resultats.md",
        code=package_code("published", "audit", "distributions", "reproduce", "reproduction_report",
                          "report/prose", "report/markup", "steps/reproduction"),
    output:
        csv="results/{wave}/reproduction.csv",
        markdown="results/{wave}/reproduction.md",
        audit="results/{wave}/audit_published.csv",
    params:
        wave=wave_config,
    log:
        "results/logs/{wave}/reproduction_report.log",
    benchmark:
        "results/benchmarks/{wave}/reproduction_report.tsv"
    script:
        "../../scripts/reproduction_report.py"
