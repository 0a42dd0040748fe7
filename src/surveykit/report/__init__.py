"""The registry of reported values and the templated chapter."""
