"""Scorecard documents (YAML), imports and exports."""
