"""Scorecard: a self-hosted Balanced Scorecard and strategy-execution application."""

__version__ = "0.1.0"
