"""French formatting as printed in the thesis."""
from surveykit.core import fmt

N = fmt.NBSP


def test_percent_rounds_half_even_like_r_sprintf():
    # R: sprintf("%.1f", 2/32*100) == "6.2" (Table 5 shows 6,2 % for 2/32)
    assert fmt.percent(2 / 32 * 100) == f"6,2{N}%"
    # R: sprintf("%.1f", 22/39*100) == "56.4"
    assert fmt.percent(22 / 39 * 100) == f"56,4{N}%"
    # R: sprintf("%.1f", 1/8*100) == "12.5"; sprintf("%.1f", 0.125*10) ... exact tie 0.25 -> "0.2"
    assert fmt.number(0.25, 1) == "0,2"
    assert fmt.number(0.35, 1) == "0,3"  # 0.35 is 0.34999… in binary, as R prints


def test_whole_percentages_are_trimmed_like_the_thesis():
    assert fmt.percent(75.0) == f"75{N}%"
    assert fmt.percent(0.0) == f"0{N}%"
    assert fmt.count_percent(24, 75.0) == f"24 (75{N}%)"


def test_mean_sd_and_p_values():
    assert fmt.mean_sd(5.6923, 2.914) == f"5,7{N}±{N}2,9"
    assert fmt.p_value(0.0065) == "0,0065"
    assert fmt.p_value(0.00049) == f"<{N}0,001"
    assert fmt.p_sentence(0.0161) == f"p{N}={N}0,0161"
    assert fmt.p_sentence(0.0001) == f"p{N}<{N}0,001"
    assert fmt.n_equals(22) == f"n{N}={N}22"


def test_missing_values_print_empty():
    assert fmt.number(None) == "" and fmt.percent(float("nan")) == "" and fmt.p_value(None) == ""


def test_exact_values_round_half_to_even_exactly():
    """The audit's numbers are fractions: rounded exactly, ties to even, as R prints an exact tie."""
    from fractions import Fraction

    assert fmt.exact_number(Fraction(25, 4), 1) == "6,2" and fmt.exact_number(Fraction(27, 4), 1) == "6,8"
    assert fmt.exact_number(Fraction(1, 3), 4) == "0,3333" and fmt.exact_number(Fraction(-5, 2), 0) == "-2"
    assert fmt.round_half_even(Fraction(1, 8), 2) == Fraction(12, 100)


def test_counts_below_ten_are_written_in_letters_in_running_text():
    # French typography: « Cette section compare deux vagues », « pas les deux autres paires »; « une » for a
    # feminine noun; from ten on, digits with the thousands space.
    assert [fmt.cardinal(n) for n in (0, 1, 2, 9)] == ["zéro", "un", "deux", "neuf"]
    assert fmt.cardinal(1, feminine=True) == "une" and fmt.cardinal(2, feminine=True) == "deux"
    assert fmt.cardinal(10) == "10"
    assert fmt.cardinal(12345) == fmt.integer(12345) and fmt.cardinal(12345) != "12345"  # grouped thousands
