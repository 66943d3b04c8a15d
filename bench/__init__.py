"""Benchmarks; run each from the project folder as `python -m bench.<name>`."""
