# Reviewers' check: every published number of a wave against its regenerated value, plus the audit.


# Compare the published numbers (data/studies/<study>/published/<wave>.yaml) with the pipeline's outputs.
rule reproduction_report:
    input:
        published=wave_published,
        descriptives=rules.analyse_wave.output.descriptives,
        tests=rules.analyse_wave.output.tests,
        counts=rules.recode_wave.output.counts,
        chapter=rules.render_chapter.output.markdown,
        code=script_code("reproduction_report.py"),
    output:
        csv=report(
            "results/{wave}/reproduction.csv",
            caption="../report/reproduction.rst",
            category="Reproduction",
            subcategory="{wave}",
            labels={"fichier": "reproduction.csv"},
        ),
        markdown=report(
            "results/{wave}/reproduction.md",
            caption="../report/reproduction.rst",
            category="Reproduction",
            subcategory="{wave}",
            labels={"fichier": "reproduction.md"},
        ),
        audit=report(
            "results/{wave}/audit_published.csv",
            caption="../report/reproduction.rst",
            category="Reproduction",
            subcategory="{wave}",
            labels={"fichier": "audit_published.csv"},
        ),
    params:
        wave=wave_config,
    resources:
        **CLUSTER_RESOURCES["light"],
    group:
        GROUP_CHAPTER
    log:
        "results/logs/{wave}/reproduction_report.log",
    benchmark:
        "results/benchmarks/{wave}/reproduction_report.tsv"
    script:
        "../../scripts/reproduction_report.py"
