"""Scorecard documents (YAML): schema, load, export, diff, scores as JSON."""
