"""Scorecards, perspectives, objectives, the strategy map's links, and alignment."""
