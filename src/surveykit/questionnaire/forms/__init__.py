"""Reading and writing Google Forms exports (CSV as Google and Excel write them, XLSX), the columns other
tools (Microsoft Forms, LimeSurvey) lay out differently brought to their layout (layout), and an export's columns
numbered once for the fold, the drafter and the cleaning to share (coded)."""

__all__ = ["coded", "export", "headers", "layout", "read", "timestamps"]
