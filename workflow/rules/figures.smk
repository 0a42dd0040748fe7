# Stage 4: figures (read statistics and recoding outputs only).
# One job per wave and source, not per figure: starting Python with matplotlib and seaborn costs more
# than drawing, and figures made from counts need not wait for the statistics.


if FIGURE_GROUPS["counts"]:

    # Draw the figures made from counts (flowchart, coded open answers) as PNG (300 dpi) and SVG.
    rule draw_count_figures:
        input:
            figures=STUDY["figures"],
            flow="results/{wave}/clean/flow.json",
            counts="results/{wave}/recoding/counts.csv",
            code=package_code("figures", "distributions", "steps/figures"),
        output:
            png=expand("results/{{wave}}/figures/{figure}.png", figure=FIGURE_GROUPS["counts"]),
            svg=expand("results/{{wave}}/figures/{figure}.svg", figure=FIGURE_GROUPS["counts"]),
        params:
            wave=wave_config,
        priority: CHAPTER_CHAIN
        log:
            "results/logs/{wave}/draw_count_figures.log",
        benchmark:
            "results/benchmarks/{wave}/draw_count_figures.tsv"
        script:
            "../../scripts/draw_figures.py"


if FIGURE_GROUPS["statistics"]:

    # Draw the figures made from the statistics (histogram, barrier means, diffusion curve) as PNG and SVG.
    rule draw_statistics_figures:
        input:
            figures=STUDY["figures"],
            descriptives="results/{wave}/stats/descriptives.csv",
            codebook=STUDY["codebook"],
            plan=STUDY["analysis_plan"],
            references=STUDY["adoption_references"],
            code=package_code("figures", "distributions", "steps/figures"),
        output:
            png=expand("results/{{wave}}/figures/{figure}.png", figure=FIGURE_GROUPS["statistics"]),
            svg=expand("results/{{wave}}/figures/{figure}.svg", figure=FIGURE_GROUPS["statistics"]),
        params:
            wave=wave_config,
        priority: CHAPTER_CHAIN
        log:
            "results/logs/{wave}/draw_statistics_figures.log",
        benchmark:
            "results/benchmarks/{wave}/draw_statistics_figures.tsv"
        script:
            "../../scripts/draw_figures.py"
