"""Benchmarks: run ``python3 benchmarks/run.py`` (see docs/performance.md)."""
