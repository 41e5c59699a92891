"""Commentary in words: the facts behind the generated text of each KPI, objective,
perspective and scorecard, and the texts owners edited for a period (history kept)."""
