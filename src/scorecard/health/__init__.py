"""Layer 3, a feature: the health check of stored scorecards and of documents (the rules
themselves are pure, in engine/quality.py)."""
