"""SWOT and PESTEL boards: the board pages and their forms (docs/risks.md)."""
