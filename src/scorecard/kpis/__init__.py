"""KPIs, their per-period targets and measured values (with history)."""
