# Stage 4: figures (read statistics and recoding outputs only).
# One job per wave and source, not per figure: starting Python with matplotlib and seaborn costs more
# than drawing, and figures made from counts need not wait for the statistics. The figures of a wave are those
# of its study's figures.yaml: one rule per source for every study, each job listing the files it drew in the
# wave's manifest (results/<wave>/figures/<source>.manifest.json), so the DAG does not grow with the studies.


# Draw the figures made from counts (flowchart, coded open answers) as PNG (300 dpi) and SVG.
rule draw_count_figures:
    input:
        unpack(reported_files("counts")),
        figures=figures_file,
        codebook=rules.codebook_edition.output.codebook,
        plan=plan_file,
        flow=rules.clean_wave.output.flow,
        counts=rules.recode_wave.output.counts,
        code=script_code("draw_figures.py"),
    output:
        manifest=figure_manifest("counts"),
    params:
        wave=wave_config,
        figure_ids=figure_ids("counts"),
    priority: CHAPTER_CHAIN
    resources:
        **CLUSTER_RESOURCES["light"],
    group:
        GROUP_CHAPTER
    log:
        "results/logs/{wave}/draw_count_figures.log",
    benchmark:
        "results/benchmarks/{wave}/draw_count_figures.tsv"
    script:
        "../../scripts/draw_figures.py"


# Draw the figures made from the statistics (bars, histograms, scores, breakdowns) as PNG and SVG.
rule draw_statistics_figures:
    input:
        unpack(reported_files("statistics")),
        figures=figures_file,
        flow=rules.clean_wave.output.flow,
        descriptives=rules.analyse_wave.output.descriptives,
        codebook=rules.codebook_edition.output.codebook,
        plan=plan_file,
        data=figure_data_files,
        code=script_code("draw_figures.py"),
    output:
        manifest=figure_manifest("statistics"),
    params:
        wave=wave_config,
        figure_ids=figure_ids("statistics"),
    priority: CHAPTER_CHAIN
    resources:
        **CLUSTER_RESOURCES["light"],
    group:
        GROUP_CHAPTER
    log:
        "results/logs/{wave}/draw_statistics_figures.log",
    benchmark:
        "results/benchmarks/{wave}/draw_statistics_figures.tsv"
    script:
        "../../scripts/draw_figures.py"
