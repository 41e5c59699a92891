"""Adoption: who uses the scorecard in their daily work, by unit and over time."""
