"""Stage 5, the manuscript (workflow/rules/manuscript.smk), rules build_registry, render_chapter and
convert_chapter.

The registry of every number the chapter may quote (registry, collect), the templated chapter (chapter, prose,
markup), its conversion to HTML and Word by pandoc (convert, pandoc_ast, pandoc_run, docx, table_layout,
textmetrics) and the reference Word document (reference_docx); the rules' entry points in steps.
"""

__all__ = [
    "chapter",
    "collect",
    "convert",
    "docx",
    "markup",
    "pandoc_ast",
    "pandoc_run",
    "prose",
    "reference_docx",
    "registry",
    "steps",
    "table_layout",
    "textmetrics",
]
