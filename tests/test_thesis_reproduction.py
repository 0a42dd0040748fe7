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
