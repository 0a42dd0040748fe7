"""Rules convert_chapter and convert_evolution: a Markdown chapter to self-contained HTML and to Word.

pandoc reads the Markdown once into its document tree; each figure gets its print width there (its
natural size, recorded in its PNG, scaled down only to fit the text block of the reference document), number
columns of tables are right-aligned and kept on one line (surveykit.report.pandoc_ast); pandoc then writes
HTML and Word from that tree, and the Word file is finished with python-docx (surveykit.report.docx:
caption fields, table layout). A figure whose smallest text would print below 7 pt is reported.

Kept apart from the rendering step so that this job imports little at start-up: it is the last job of
the chapter chain, and its start-up time is paid on every cold run (python-docx is imported when used)."""
from __future__ import annotations

import json
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import InputError
from ..figures.metadata import MIN_PRINTED_FONT_PT, read_png
from ..report import pandoc_ast

# Pinned document date for reproducible DOCX/HTML (pandoc honours SOURCE_DATE_EPOCH): 1980-01-01,
# the earliest date a ZIP archive can store.
SOURCE_DATE_EPOCH = "315532800"
LEGIBILITY_MODES = ("error", "warn")


def pandoc_jobs(markdown: str, html: str, docx: str, css: str, reference_docx: str) -> list[tuple]:
    """(target format, output file, pandoc arguments) of the HTML and the Word version."""
    common = [f"--resource-path={Path(markdown).parent}"]
    return [("html5", html, [*common, "--standalone", "--embed-resources", "--css", css]),
            ("docx", docx, [*common, f"--reference-doc={reference_docx}"])]


def print_widths(tree: dict, markdown: str, frame_in: tuple[float, float], min_font_pt: float = MIN_PRINTED_FONT_PT,
                 legibility: str = "error", logger: logging.Logger | None = None) -> dict[str, float]:
    """Print width (inches) of every figure of the chapter, by image target; illegible figures reported.

    A figure prints at its natural size, scaled down only when it is wider or taller than `frame_in`
    (the text width, most of the text height); its smallest text then shrinks in proportion. Below
    `min_font_pt` the run stops (legibility="error") naming every such figure, or logs them
    (legibility="warn")."""
    if legibility not in LEGIBILITY_MODES:
        raise ValueError(f"legibility must be one of {LEGIBILITY_MODES}, not {legibility!r}")
    widths, problems = {}, []
    for image in pandoc_ast.images(tree, Path(markdown).parent):
        metrics = read_png(image.path)
        width = widths[image.target] = metrics.print_width_in(*frame_in)
        printed = metrics.printed_min_font_pt(*frame_in)
        if printed is not None and printed < min_font_pt:
            problems.append(
                f"{image.path} (« {image.caption} »): its smallest text, {metrics.min_font_pt:g} pt at its natural "
                f"size of {metrics.width_in:.2f} × {metrics.height_in:.2f} in, prints at {printed:.1f} pt once the "
                f"figure is scaled to {width:.2f} in wide to fit the page ({frame_in[0]:.2f} × {frame_in[1]:.2f} in); "
                f"draw it at most {width * metrics.min_font_pt / min_font_pt:.2f} in wide (same proportions) or "
                f"with text of at least {min_font_pt * metrics.width_in / width:.1f} pt")
    if problems:
        message = (f"{markdown}: {len(problems)} figure(s) would print text smaller than {min_font_pt:g} pt:\n- "
                   + "\n- ".join(problems))
        if legibility == "error":
            raise InputError(message)
        (logger or logging.getLogger(__name__)).warning(message)
    return widths


def codebook_labels(codebook: str) -> frozenset[str]:
    """The questionnaire's answer and item labels: a Word table prints each of them on one line."""
    from ..codebook import load_codebook
    from ..report.docx import phrase_key

    labels = set()
    for question in load_codebook(codebook).all_questions:
        labels.update(option.label for option in question.options)
        labels.update(question.levels)
        labels.update(item.label for item in question.items)
    return frozenset(phrase_key(label) for label in labels if label)


def use_bundled_pandoc() -> None:
    """Always the pandoc pinned with pypandoc-binary: pypandoc would otherwise take the newest pandoc it finds
    (or an older system one when asking the bundled one for its version times out), and the outputs would
    depend on the machine."""
    import importlib.util

    bundled = Path(importlib.util.find_spec("pypandoc").origin).parent / "files" / "pandoc"
    if bundled.is_file():
        os.environ["PYPANDOC_PANDOC"] = str(bundled)


def convert_chapter(markdown: str, html: str, docx: str, css: str, reference_docx: str,
                    legibility: str = "error", logger: logging.Logger | None = None,
                    whole: frozenset[str] = frozenset()) -> None:
    """Read the Markdown once, then write HTML and Word at once (two pandoc processes), then finish the Word.

    `whole`: labels that Word tables keep on one line (see surveykit.report.docx.finish_docx)."""
    use_bundled_pandoc()
    import pypandoc

    from ..report import docx as word

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


def run(inputs, outputs, params, logger: logging.Logger) -> None:
    convert_chapter(inputs.markdown, outputs.html, outputs.docx, inputs.css, inputs.reference_docx,
                    legibility=params.legibility, logger=logger, whole=codebook_labels(inputs.codebook))
    logger.info("wrote %s and %s", outputs.html, outputs.docx)
