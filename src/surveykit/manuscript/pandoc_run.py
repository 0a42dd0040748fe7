"""What pandoc runs with: the pinned pandoc and document date, and each figure's print width.

Used by the conversion of a chapter (surveykit.manuscript.convert) and by the build of the reference document
(surveykit.manuscript.reference_docx), which needs the same pinned pandoc."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from surveykit.core.errors import InputError
from surveykit.figures.metadata import MIN_PRINTED_FONT_PT, read_png

from . import pandoc_ast

# Pinned document date for reproducible DOCX/HTML (pandoc honours SOURCE_DATE_EPOCH): 1980-01-01,
# the earliest date a ZIP archive can store.
SOURCE_DATE_EPOCH = "315532800"
LEGIBILITY_MODES = ("error", "warn")


def use_bundled_pandoc() -> None:
    """Always the pandoc pinned with pypandoc-binary: pypandoc would otherwise take the newest pandoc it finds
    (or an older system one when asking the bundled one for its version times out), and the outputs would
    depend on the machine."""
    import importlib.util

    bundled = Path(importlib.util.find_spec("pypandoc").origin).parent / "files" / "pandoc"
    if bundled.is_file():
        os.environ["PYPANDOC_PANDOC"] = str(bundled)


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
