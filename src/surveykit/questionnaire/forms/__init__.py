"""Reading and writing Google Forms exports (CSV as Google and Excel write them, XLSX)."""

__all__ = ["export", "headers", "normalise", "read", "timestamps"]
