"""The seed tutorial's FastAPI design, kept minimal: the baseline of the REST benchmark (B5)."""
