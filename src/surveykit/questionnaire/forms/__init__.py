"""Reading and writing Google Forms exports (CSV as Google and Excel write them, XLSX), and the columns other
tools (Microsoft Forms, LimeSurvey) lay out differently brought to their layout (layout)."""

__all__ = ["export", "headers", "layout", "read", "timestamps"]
