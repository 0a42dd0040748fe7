"""Width of a line of text in the Word chapter's font, to size table columns from their content.

The chapter is set in Times New Roman. Its advance widths are those of the PostScript core font Times
(Adobe's AFM metrics, shipped with matplotlib), which are also those of Liberation Serif, the metric-compatible
font LibreOffice renders Times New Roman with: measured here and laid out there, a line has the same length
to within a thousandth. Reading the AFM files with fontTools needs neither matplotlib nor a font installed."""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

FONT_NAME = "Times New Roman"
_AFM_FILES = {False: "Times-Roman.afm", True: "Times-Bold.afm"}
_SPACES = "\u00a0\u202f\u2007"  # non-breaking spaces: as wide as a space in these metrics
_UNKNOWN_EM = 0.6  # glyph missing from the AFM (rare symbol): wider than an average letter, to err on the safe side


def _afm_folder() -> Path:
    spec = importlib.util.find_spec("matplotlib")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib is not installed: its AFM font metrics size the Word tables")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "pdfcorefonts"


@lru_cache(maxsize=None)
def _advances(bold: bool) -> dict[str, float]:
    """Advance width of each character, in em."""
    from fontTools.afmLib import AFM
    from fontTools.agl import UV2AGL

    afm = AFM(str(_afm_folder() / _AFM_FILES[bold]))
    widths = {}
    for code, name in UV2AGL.items():
        if afm.has_char(name):
            widths[chr(code)] = afm[name][1] / 1000
    for space in _SPACES:
        widths[space] = widths[" "]
    return widths


def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """Length of `text` set on one line at `size_pt` (no kerning, as Word sets table text)."""
    advances = _advances(bold)
    return size_pt * sum(advances.get(char, _UNKNOWN_EM) for char in text)
