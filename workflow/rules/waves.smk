# Cross-wave comparison (runs when two or more waves are configured).


# Compare the waves: adoption rate (with CI and test), each barrier (Wilcoxon, Holm), trend figure, section.
rule compare_waves:
    input:
        responses=expand("results/{wave}/clean/responses.csv", wave=WAVES),
        codebook=STUDY["codebook"],
        template=config["manuscript"]["evolution_template"],
        code=package_code("crosswave", "steps/crosswave", "stats", "distributions", "figures", "fmt", "io"),
    output:
        adoption="results/waves/adoption.csv",
        barriers="results/waves/barriers.csv",
        png="results/waves/figures/evolution.png",
        svg="results/waves/figures/evolution.svg",
        markdown="manuscript/build/waves/evolution.md",
    params:
        waves=WAVE_LABELS,
        seed=config["seed"],
        alpha=config["manuscript"]["alpha"],
    log:
        "results/logs/waves/compare_waves.log",
    benchmark:
        "results/benchmarks/waves/compare_waves.tsv"
    script:
        "../../scripts/compare_waves.py"


# Convert the cross-wave section to self-contained HTML and Word.
rule convert_evolution:
    input:
        markdown="manuscript/build/waves/evolution.md",
        css=config["manuscript"]["css"],
        figure_files="results/waves/figures/evolution.png",
        code=package_code("steps/convert"),
    output:
        html="manuscript/build/waves/evolution.html",
        docx="manuscript/build/waves/evolution.docx",
    log:
        "results/logs/waves/convert_evolution.log",
    benchmark:
        "results/benchmarks/waves/convert_evolution.tsv"
    script:
        "../../scripts/convert_evolution.py"
