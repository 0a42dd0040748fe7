"""The bundled wave regenerates the thesis: every published number, or a proven exception.

Ground truth is data/studies/tele_expertise_cpts/published/thesis_2025.yaml (transcribed from the thesis), never our own output."""
import pandas as pd
import pytest

pytestmark = pytest.mark.pipeline

WAVE = "thesis_2025"


@pytest.fixture(scope="module")
def reproduction(built_project) -> pd.DataFrame:
    return pd.read_csv(built_project / "results" / WAVE / "reproduction.csv", keep_default_na=False)


def test_every_count_percentage_mean_and_sd_is_reproduced(reproduction):
    deterministic = reproduction[reproduction["kind"] != "p_value"]
    assert len(deterministic) == 528
    assert deterministic["match"].astype(str).eq("True").all(), deterministic[deterministic["match"] != "True"]


def test_every_wilcoxon_and_kruskal_p_value_is_reproduced(reproduction):
    rows = reproduction[(reproduction["kind"] == "p_value")
                        & ~reproduction["ref"].str.contains("Tableau 2|Tableau 3|§2.2", regex=True)]
    assert len(rows) == 27  # 9 Wilcoxon (Table 7) + 9 Kruskal (Table 8) + their repeats in the text
    assert rows["match"].astype(str).eq("True").all()


def test_only_the_monte_carlo_fisher_p_values_differ_and_each_is_explained(reproduction):
    misses = reproduction[reproduction["match"].astype(str) != "True"]
    assert set(misses["kind"]) == {"p_value"}
    assert misses["ref"].str.contains("Tableau 2|Tableau 3|§2.2", regex=True).all()
    assert misses["explanation"].str.contains("Monte-Carlo").all()


def test_table2_exact_fisher_values_are_r_values(built_project):
    tests = pd.read_csv(built_project / "results" / WAVE / "stats" / "tests.csv")
    age = tests[(tests["table"] == "tableau_2") & (tests["variable"] == "age")].iloc[0]
    # R: fisher.test(matrix(c(6,8,0,0,5,6,3,9,2),3))$p.value (published counts of Table 2)
    assert age["p_value"] == pytest.approx(0.00505170463349872, rel=1e-8)
    assert age["test"] == "fisher"


def test_the_report_opens_with_its_summary_and_reads_in_two_minutes(built_project):
    text = (built_project / "results" / WAVE / "reproduction.md").read_text(encoding="utf-8")
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    assert sections[0] == "## En bref" and "## Glossaire" in sections
    summary = text.split("## En bref")[1].split("## Écarts")[0].replace("\u00a0", " ").replace("\u202f", " ")
    assert "572 nombres publiés, dont 555 retrouvés" in summary
    assert "8 écarts distincts" in summary and "(un même nombre cité à plusieurs endroits compte une fois), 7 expliqués, " \
        "1 douteux" in summary and "tous expliqués" not in summary  # the copied p of « Rôle dans les CPTS »
    assert "(s)" not in summary
    assert "multiples de 1/2001" in summary and "p = 0,3383 sur deux lignes" in summary
    assert sum("Rôle dans les CPTS" in line for line in summary.splitlines()) == 1  # told once
    assert "1 différence d'ordre" in summary  # two tied items swapped: one difference
    for wording in ("e-0", "(fisher)", "(treillis Monte-Carlo)", "aussi grand : 0,"):
        assert wording not in text
    differences = text.split("## Écarts")[1].split("## Rangs")[0]
    rows = [line for line in differences.splitlines() if line.startswith("| Tableau")]
    assert len(rows) == 8  # one row per distinct difference…
    age = next(row for row in rows if row.startswith("| Tableau 2 · Âge · p"))
    assert "Texte §2.2 · âge · p\u00a0; Tableau 3 · Âge · p" in age or "Texte §2.2 · âge · p ; Tableau 3" in age  # …naming where else it is printed
    assert differences.count("fisher.test sans simulation") == 1  # the shared cause is said once
    for english in ("answer_count", "mean_sd", "category_count"):
        assert english not in text


def test_the_report_compares_ranks_and_structure(built_project):
    text = (built_project / "results" / WAVE / "reproduction.md").read_text(encoding="utf-8")
    ranks = text.split("## Rangs des tableaux classés")[1].split("\n## ")[0].replace("\u00a0", " ")
    assert ("« Difficulté à identifier un médecin via la TLE » et « Déshumanisation des relations entre médecins », "
            "publiés aux rangs 2 et 3, sont recalculés dans l'ordre inverse (moyennes exactes 5,28 et 5,31)") in ranks
    assert "ex aequo" in ranks and ranks.count("\n- ") == 1
    structure = text.split("## Structure du chapitre")[1].split("## Audit")[0]
    assert "Figure 14 «\u00a0La courbe de diffusion de l'innovation selon Everett Rogers, partie 1\u00a0»" in structure
    assert "non régénérée" in structure and "ajoutée par le chapitre régénéré" in structure


def test_the_report_reads_as_french_a_reviewer_does_not_stumble_on(built_project):
    """No value said both written and not written (« pour 2,9 … mais pas pour 2,9 »), counts agreed (« 4
    signalements »), numbers of five digits grouped (« 10 000 »)."""
    text = (built_project / "results" / WAVE / "reproduction.md").read_text(encoding="utf-8")
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    assert ("Tableau 6 : « hétérog… » est écrit pour des écarts-types de 2,9 et 3,0, mais pas pour un autre écart-type "
            "de 2,9 ni pour 3,2 : aucun seuil d'écart-type ne le décide.") in text
    assert "497 vérifications, 4 signalements." in text
    assert "B ≤ 10 000 compatibles : 1225 sur 9899 testés" in text and "10000" not in text
    assert "Cause commune à ces écarts : la valeur publiée est une p simulée par Monte-Carlo, B = 2000" in text
    assert "valeur publiée = " not in text  # a sentence, not an equation
