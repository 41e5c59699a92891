"""The top of the domain layer: cascading and alignment across units.

A department's objectives make up a share of the company's, and its KPI values roll up
to the company's: this needs strategy (objectives, shares), kpis (values, scoring) and
initiatives (the "why" chain) together, so it sits above all three.
"""
