"""Stage 2, recoding of open answers into categories (workflow/rules/recode.smk), rules recode_wave and
coding_reliability.

Category codebooks (data/studies/<study>/categories/<question>.yaml), human decisions
(data/studies/<study>/coding/<wave>/<coder>.csv), suggestions (rules, earlier waves), coding of a
wave with counts, coding sheets and inter-coder reliability (personal data are masked earlier,
by the cleaning stage: see `surveykit.clean.privacy`). Files in and out in `surveykit.recode.files`, the rules'
entry points in `surveykit.recode.steps`.
"""
from .answers import extract_answers
from .codebook import Category, Codebook, Rule, load_codebook, load_codebooks
from .coding import CodingResult, UncodedAnswersError, category_counts, code_wave, reading_order
from .decisions import Decision, DecisionError, read_decision_files, read_decisions, write_decisions
from .identity import answer_hash, is_answer, normalize_text
from .reliability import ReliabilityResult, alpha_nominal, cohen_kappa, reliability
from .sheet import coding_sheet, coding_sheet_to_decisions, keep_filled_sheet, read_coding_sheet, write_coding_sheet
from .suggest import Suggestion, suggest

__all__ = [
    "Category", "Codebook", "CodingResult", "Decision", "DecisionError",
    "ReliabilityResult", "Rule", "Suggestion", "UncodedAnswersError",
    "alpha_nominal", "answer_hash", "category_counts", "code_wave", "coding_sheet", "coding_sheet_to_decisions",
    "cohen_kappa", "extract_answers", "is_answer", "keep_filled_sheet", "load_codebook", "load_codebooks",
    "normalize_text", "read_coding_sheet", "read_decision_files",
    "read_decisions", "reading_order", "reliability", "suggest", "write_coding_sheet", "write_decisions",
]
