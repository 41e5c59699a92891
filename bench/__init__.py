"""Benchmarks of Scorecard with their data generator (run them with ``make bench``).

Not part of the test suite: the numbers depend on the machine. docs/performance.md
records the figures measured on the project's reference machine and how to reproduce them.
"""
