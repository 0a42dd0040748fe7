"""Cross-wave comparison within a study of two or more waves (workflow/rules/waves.smk), rules compare_waves and
convert_evolution: the shares and scores a study declares, compared across its waves (crosswave), its files
(files); the rules' entry points in steps.
"""

__all__ = ["crosswave", "files", "steps"]
