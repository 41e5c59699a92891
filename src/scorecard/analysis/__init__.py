"""SWOT and PESTEL boards of a scorecard, whose items can become objectives (docs/risks.md)."""
