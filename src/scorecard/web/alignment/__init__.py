"""Cascading and alignment pages: cascade a scorecard, the alignment view of the unit tree."""
