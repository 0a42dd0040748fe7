"""Stage 1, cleaning (workflow/rules/clean.smk), rules codebook_edition and clean_wave.

The codebook as a wave's form has it (edition), then the raw export read, checked against it, and every row
analysed, excluded or quarantined with a reason (cleaning), personal data masked in free text (privacy); files
in and out in files, the rules' entry points in steps.
"""

__all__ = ["cleaning", "edition", "files", "privacy", "steps"]
