"""The scoring engine: pure Python, no Django, no I/O, no clock (docs/scoring.md)."""
