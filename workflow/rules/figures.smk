# Stage 4: figures (read statistics and recoding outputs only).
# One job per wave and source, not per figure: starting Python with matplotlib and seaborn costs more
# than drawing, and figures made from counts need not wait for the statistics. The figures of a wave
# are those of its study's figures.yaml, so the jobs are defined per study.


for _study, _waves in ((s, waves_of(s)) for s in STUDIES):
    if not _waves:
        continue
    _counts, _statistics = STUDIES[_study].figure_ids("counts"), STUDIES[_study].figure_ids("statistics")

    if _counts:

        # Draw the figures made from counts (flowchart, coded open answers) as PNG (300 dpi) and SVG.
        rule:
            name:
                f"draw_count_figures_{_study}"
            input:
                figures=figures_file,
                codebook=rules.codebook_edition.output.codebook,
                plan=plan_file,
                flow=rules.clean_wave.output.flow,
                counts=rules.recode_wave.output.counts,
                code=script_code("draw_figures.py"),
            output:
                png=[
                    report(
                        f"results/{{wave}}/figures/{_figure}.png",
                        caption="../report/figures.rst",
                        category="Figures",
                        subcategory="{wave}",
                        labels={"figure": _figure},
                    )
                    for _figure in _counts
                ],
                svg=expand("results/{{wave}}/figures/{figure}.svg", figure=_counts),
            params:
                wave=wave_config,
            wildcard_constraints:
                wave=wave_regex(_waves),
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

    if _statistics:

        # Draw the figures made from the statistics (bars, histograms, scores, breakdowns) as PNG and SVG.
        rule:
            name:
                f"draw_statistics_figures_{_study}"
            input:
                figures=figures_file,
                flow=rules.clean_wave.output.flow,
                descriptives=rules.analyse_wave.output.descriptives,
                codebook=rules.codebook_edition.output.codebook,
                plan=plan_file,
                data=figure_data_files,
                code=script_code("draw_figures.py"),
            output:
                png=[
                    report(
                        f"results/{{wave}}/figures/{_figure}.png",
                        caption="../report/figures.rst",
                        category="Figures",
                        subcategory="{wave}",
                        labels={"figure": _figure},
                    )
                    for _figure in _statistics
                ],
                svg=expand("results/{{wave}}/figures/{figure}.svg", figure=_statistics),
            params:
                wave=wave_config,
            wildcard_constraints:
                wave=wave_regex(_waves),
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
