"""The risk register of a scorecard: risks with likelihood × impact before and after
mitigation, the objectives and KPIs they threaten and the initiatives that mitigate them
(docs/risks.md)."""
