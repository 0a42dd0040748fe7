# Stage 5: the templated Résultats chapter (Markdown, then HTML and Word).


# Gather every number the chapter may quote (key, value, French text, source file, rule) and its reference.
rule build_registry:
    input:
        flow=rules.clean_wave.output.flow,
        descriptives=rules.analyse_wave.output.descriptives,
        tests=rules.analyse_wave.output.tests,
        models=rules.analyse_wave.output.models,
        estimates=rules.analyse_wave.output.estimates,
        posthoc=rules.analyse_wave.output.posthoc,
        counts=rules.recode_wave.output.counts,
        quotes=rules.recode_wave.output.quotes,
        codebook=rules.codebook_edition.output.codebook,
        plan=plan_file,
        code=script_code("build_registry.py"),
    output:
        registry="results/{wave}/report/registry.json",
        reference="results/{wave}/report/registry.md",
    params:
        alpha=config["manuscript"]["alpha"],
        seed=config["seed"],
        wave=wave_config,
    priority: CHAPTER_CHAIN
    resources:
        **CLUSTER_RESOURCES["light"],
    group:
        GROUP_CHAPTER
    log:
        "results/logs/{wave}/build_registry.log",
    benchmark:
        "results/benchmarks/{wave}/build_registry.tsv"
    script:
        "../../scripts/build_registry.py"


# Fill the chapter template from the registry; record which registry values the text quotes.
rule render_chapter:
    input:
        template=chapter_template,
        registry=rules.build_registry.output.registry,
        tables=rules.format_tables.output.tables,
        codebook=rules.codebook_edition.output.codebook,
        plan=plan_file,
        figures=figures_file,
        data=figure_data_files,
        code=script_code("render_chapter.py"),
    output:
        markdown="manuscript/build/{wave}/resultats.md",
        registry="results/{wave}/report/registry.csv",
    params:
        alpha=config["manuscript"]["alpha"],
        wave=wave_config,
        figure_files=figure_files,  # paths only: the chapter is written while the figures are drawn
    priority: CHAPTER_CHAIN
    resources:
        **CLUSTER_RESOURCES["light"],
    group:
        GROUP_CHAPTER
    log:
        "results/logs/{wave}/render_chapter.log",
    benchmark:
        "results/benchmarks/{wave}/render_chapter.tsv"
    script:
        "../../scripts/render_chapter.py"


# Word chapters are written with the project's reference document (A4, French; built by
# scripts/make_reference_docx.py) and finished with python-docx (captions, tables, figure widths).
REFERENCE_DOCX = "manuscript/reference.docx"
# A figure whose smallest text would print below 7 pt stops the conversion (the log names each figure and
# the size it needs); "warn" would only log it.
FIGURE_LEGIBILITY = "error"


# Convert the Markdown chapter to self-contained HTML and to Word with pandoc.
rule convert_chapter:
    input:
        markdown=rules.render_chapter.output.markdown,
        css=config["manuscript"]["css"],
        reference_docx=REFERENCE_DOCX,
        codebook=rules.codebook_edition.output.codebook,  # its answer and item labels stay whole in Word tables
        figures=figure_manifests,  # the figures the chapter shows, drawn
        code=script_code("convert_chapter.py"),
    output:
        html=report(
            "manuscript/build/{wave}/resultats.html",
            caption="../report/chapter.rst",
            category="Chapitre",
            subcategory="{wave}",
            labels={"fichier": "resultats.html"},
        ),
        docx=report(
            "manuscript/build/{wave}/resultats.docx",
            caption="../report/chapter.rst",
            category="Chapitre",
            subcategory="{wave}",
            labels={"fichier": "resultats.docx"},
        ),
    params:
        legibility=FIGURE_LEGIBILITY,
    priority: CHAPTER_CHAIN
    resources:
        **CLUSTER_RESOURCES["light"],
    group:
        GROUP_CHAPTER
    log:
        "results/logs/{wave}/convert_chapter.log",
    benchmark:
        "results/benchmarks/{wave}/convert_chapter.tsv"
    script:
        "../../scripts/convert_chapter.py"
