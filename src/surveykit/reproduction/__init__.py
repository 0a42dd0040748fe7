"""Reproduction of the published numbers (workflow/rules/reproduction.smk), rule reproduction_report.

The transcription of a publication's numbers (published), their audit before any raw data is read (audit), each
one against its regenerated value (reproduce) and the reviewer's report (report); the rule's entry point in
steps.
"""

__all__ = ["audit", "published", "report", "reproduce", "steps"]
