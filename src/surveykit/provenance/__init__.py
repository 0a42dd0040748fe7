"""Provenance of each wave (workflow/rules/provenance.smk), rule provenance: what made its results (record);
the rule's entry point in steps.
"""

__all__ = ["record", "steps"]
