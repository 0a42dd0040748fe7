"""Stage 4, figures (workflow/rules/figures.smk), rules draw_count_figures_<study> and
draw_statistics_figures_<study>.

Figures drawn only from statistics and recoding outputs, never from raw data: the study's figures.yaml (spec),
what each kind of figure reads (build), the drawing (draw), the style and its seaborn theme (style, theme), the
files' metadata (metadata); the rules' entry point in steps.
"""

__all__ = ["build", "draw", "metadata", "spec", "steps", "style", "theme"]
