# Cross-wave comparison, within each study that has two or more waves.


# Compare a study's waves: the shares and scores its plan declares (CI, tests, Holm), trend figure, section.
rule compare_waves:
    input:
        responses=study_responses,
        codebook=study_codebook,
        plan=study_plan,
        template=evolution_template,
        code=script_code("compare_waves.py"),
    output:
        shares="results/waves/{study}/shares.csv",
        share_tests="results/waves/{study}/share_tests.csv",
        scores="results/waves/{study}/scores.csv",
        png="results/waves/{study}/figures/evolution.png",
        svg="results/waves/{study}/figures/evolution.svg",
        markdown="manuscript/build/waves/{study}/evolution.md",
    params:
        waves=study_wave_labels,
        seed=config["seed"],
        alpha=config["manuscript"]["alpha"],
    resources:
        **CLUSTER_RESOURCES["compare_waves"],
    group:
        GROUP_STUDY
    log:
        "results/logs/waves/{study}/compare_waves.log",
    benchmark:
        "results/benchmarks/waves/{study}/compare_waves.tsv"
    script:
        "../../scripts/compare_waves.py"


# Convert the cross-wave section to self-contained HTML and Word.
rule convert_evolution:
    input:
        markdown=rules.compare_waves.output.markdown,
        css=config["manuscript"]["css"],
        reference_docx=REFERENCE_DOCX,
        codebook=study_codebook,  # its answer and item labels stay whole in Word tables
        figure_files=rules.compare_waves.output.png,
        code=script_code("convert_evolution.py"),
    output:
        html=report(
            "manuscript/build/waves/{study}/evolution.html",
            caption="../report/evolution.rst",
            category="Évolution entre vagues",
            subcategory="{study}",
            labels={"fichier": "evolution.html"},
        ),
        docx=report(
            "manuscript/build/waves/{study}/evolution.docx",
            caption="../report/evolution.rst",
            category="Évolution entre vagues",
            subcategory="{study}",
            labels={"fichier": "evolution.docx"},
        ),
    params:
        legibility=FIGURE_LEGIBILITY,
    resources:
        **CLUSTER_RESOURCES["light"],
    group:
        GROUP_STUDY
    log:
        "results/logs/waves/{study}/convert_evolution.log",
    benchmark:
        "results/benchmarks/waves/{study}/convert_evolution.tsv"
    script:
        "../../scripts/convert_evolution.py"
