"""Scorecards, perspectives, objectives, the strategy map's links and objective alignment rows."""
