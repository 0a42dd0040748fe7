"""Build manuscript/reference.docx, the reference document of the Word chapter (logic in
surveykit.manuscript.reference_docx). Run it after changing that module, and commit its output:

    .venv/bin/python scripts/make_reference_docx.py
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from surveykit.manuscript.reference_docx import build_reference  # noqa: E402

if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "manuscript" / "reference.docx"
    build_reference(target)
    print(f"wrote {target}")
