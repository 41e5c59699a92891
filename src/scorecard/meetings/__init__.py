"""Review meetings: the scorecard as it stood at the meeting, notes and decisions."""
