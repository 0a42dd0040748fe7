"""The questionnaire of a study: its codebook (questions, options, skip logic, form editions; codebook) and the
Google Forms exports it is answered in (forms: reading CSV/XLSX exports, headers, timestamps, writing exports).
Read by every stage; imports only surveykit.core.
"""

__all__ = ["codebook", "forms"]
