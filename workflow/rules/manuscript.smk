# Stage 5: the templated Résultats chapter (Markdown, then HTML and Word).


# Fill the chapter template from the registry of reported values; write the registry for reviewers.
rule render_chapter:
    input:
        template=config["manuscript"]["template"],
        flow="results/{wave}/clean/flow.json",
        descriptives="results/{wave}/stats/descriptives.csv",
        tests="results/{wave}/stats/tests.csv",
        tables="results/{wave}/tables/tables.json",
        counts="results/{wave}/recoding/counts.csv",
        codebook=STUDY["codebook"],
        plan=STUDY["analysis_plan"],
        figures=STUDY["figures"],
        code=package_code("report", "fmt", "steps/manuscript"),
    output:
        markdown="manuscript/build/{wave}/resultats.md",
        registry="results/{wave}/report/registry.csv",
    params:
        alpha=config["manuscript"]["alpha"],
        wave=wave_config,
        figure_files=figure_files,  # paths only: the chapter is written while the figures are drawn
    priority: CHAPTER_CHAIN
    log:
        "results/logs/{wave}/render_chapter.log",
    benchmark:
        "results/benchmarks/{wave}/render_chapter.tsv"
    script:
        "../../scripts/render_chapter.py"


# Convert the Markdown chapter to self-contained HTML and to Word with pandoc.
rule convert_chapter:
    input:
        markdown="manuscript/build/{wave}/resultats.md",
        css=config["manuscript"]["css"],
        figure_files=figure_files,
        code=package_code("steps/convert"),
    output:
        html="manuscript/build/{wave}/resultats.html",
        docx="manuscript/build/{wave}/resultats.docx",
    priority: CHAPTER_CHAIN
    log:
        "results/logs/{wave}/convert_chapter.log",
    benchmark:
        "results/benchmarks/{wave}/convert_chapter.tsv"
    script:
        "../../scripts/convert_chapter.py"
