"""The engine knows no study: no word of the bundled thesis in the code, the rules or the generic templates.

Every label, unit, scale anchor and title a reader sees comes from a study's folder. The only place
allowed to name the thesis' questions is the tool that reconstructed its bundled wave."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEARCHED = ["src", "workflow", "manuscript/templates", "manuscript/style.css"]
EXEMPT = ["src/surveykit/tools/reconstruct",  # the bundled wave's reconstruction tool
          "src/surveykit/tools/bench/corpus"]  # the generator of test exports, whose questions mimic the seed surveys
# Words of the thesis' questionnaire, places and vocabulary (case- and accent-insensitive).
THESIS_WORDS = ["cpts", "tle", "tele-?expertise", "teleexpertise", "freins?", "medecins?", "pratique_tle",
                "amandinois", "denain", "valenciennes", "recours", "rogers", "generaliste", "omnidoc", "leviers",
                "favoriserait", "plateforme",
                # and of the bundled barometer's
                "barometre", "pulselife", "profession_groupe", "devant_patients", "interet_patients"]


def _fold(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _files() -> list[Path]:
    files = []
    for entry in SEARCHED:
        path = ROOT / entry
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        files += [p for p in candidates if p.suffix in (".py", ".smk", ".yaml", ".j2", ".css", ".md", "")
                  and not any(str(p.relative_to(ROOT)).startswith(e) for e in EXEMPT) and "__pycache__" not in p.parts
                  and not any(part.endswith(".egg-info") for part in p.parts)]  # pip's metadata (the README)
    return files


def test_the_search_covers_the_engine():
    names = {str(p.relative_to(ROOT)) for p in _files()}
    assert {"src/surveykit/clean/cleaning.py", "workflow/rules/common.smk", "manuscript/templates/resultats.md.j2"} <= names
    assert not any(name.startswith("src/surveykit/tools/reconstruct") for name in names)


def test_no_thesis_word_in_code_rules_or_generic_templates():
    pattern = re.compile(r"\b(" + "|".join(THESIS_WORDS) + r")\b")
    found = []
    for path in _files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = pattern.search(_fold(line))
            if match:
                found.append(f"{path.relative_to(ROOT)}:{number}: {match.group(0)!r} in {line.strip()[:100]}")
    assert not found, "\n".join(found)


def test_the_check_would_see_a_thesis_word():
    pattern = re.compile(r"\b(" + "|".join(THESIS_WORDS) + r")\b")
    assert pattern.search(_fold("Nombre de Médecins")) and pattern.search(_fold("la télé-expertise"))
    assert not pattern.search(_fold("Nombre de répondants"))
