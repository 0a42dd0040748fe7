"""Conversion of a Markdown chapter (rules convert_chapter and convert_evolution): a Markdown chapter to self-contained HTML and to Word.

pandoc reads the Markdown once into its document tree; each figure gets its print width there (its
natural size, recorded in its PNG, scaled down only to fit the text block of the reference document:
surveykit.manuscript.pandoc_run), number columns of tables are right-aligned and kept on one line
(surveykit.manuscript.pandoc_ast); pandoc then writes HTML and Word from that tree, and the Word file is finished
with python-docx (surveykit.manuscript.docx: caption fields, table layout). A figure whose smallest text would
print below 7 pt is reported.

Kept apart from the rendering step so that this job imports little at start-up: it is the last job of
the chapter chain, and its start-up time is paid on every cold run (python-docx is imported when used)."""
from __future__ import annotations

import json
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import pandoc_ast
from .pandoc_run import SOURCE_DATE_EPOCH, print_widths, use_bundled_pandoc


def pandoc_jobs(markdown: str, html: str, docx: str, css: str, reference_docx: str) -> list[tuple]:
    """(target format, output file, pandoc arguments) of the HTML and the Word version."""
    common = [f"--resource-path={Path(markdown).parent}"]
    return [("html5", html, [*common, "--standalone", "--embed-resources", "--css", css]),
            ("docx", docx, [*common, f"--reference-doc={reference_docx}"])]


def codebook_labels(codebook: str) -> frozenset[str]:
    """The questionnaire's answer and item labels: a Word table prints each of them on one line."""
    from surveykit.questionnaire.codebook import load_codebook

    from .docx import phrase_key

    labels = set()
    for question in load_codebook(codebook).all_questions:
        labels.update(option.label for option in question.options)
        labels.update(question.levels)
        labels.update(item.label for item in question.items)
    return frozenset(phrase_key(label) for label in labels if label)


def convert_markdown(markdown: str, html: str, docx: str, css: str, reference_docx: str,
                    legibility: str = "error", logger: logging.Logger | None = None,
                    whole: frozenset[str] = frozenset()) -> None:
    """Read the Markdown once, then write HTML and Word at once (two pandoc processes), then finish the Word.

    `whole`: labels that Word tables keep on one line (see surveykit.manuscript.docx.finish_docx)."""
    use_bundled_pandoc()
    import pypandoc

    from . import docx as word

    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    tree = json.loads(pypandoc.convert_file(markdown, "json", extra_args=["--metadata=lang:fr-FR"]))
    widths = print_widths(tree, markdown, word.figure_frame_in(reference_docx), legibility=legibility, logger=logger)
    tree = pandoc_ast.tidy_tables(tree)
    trees = {"html5": pandoc_ast.for_html(tree, widths), "docx": pandoc_ast.for_docx(tree, widths)}

    def write(target: str, output: str, args: list[str]) -> None:
        pypandoc.convert_text(json.dumps(trees[target]), target, format="json", outputfile=output, extra_args=args)
        if target == "docx":
            word.finish_docx(output, logger, whole)  # while pandoc still writes the HTML

    jobs = pandoc_jobs(markdown, html, docx, css, reference_docx)
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        for future in [pool.submit(write, *job) for job in jobs]:
            future.result()
