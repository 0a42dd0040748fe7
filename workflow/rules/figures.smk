# Stage 4: figures (read statistics and recoding outputs only).


# Draw one figure of data/study/figures.yaml as PNG (300 dpi) and SVG.
rule draw_figure:
    input:
        unpack(figure_inputs),
        code=package_code("figures", "steps/figures"),
    output:
        png="results/{wave}/figures/{figure}.png",
        svg="results/{wave}/figures/{figure}.svg",
    params:
        figure="{figure}",
        wave=wave_config,
    log:
        "results/logs/{wave}/draw_figure_{figure}.log",
    benchmark:
        "results/benchmarks/{wave}/draw_figure_{figure}.tsv"
    script:
        "../../scripts/draw_figure.py"
