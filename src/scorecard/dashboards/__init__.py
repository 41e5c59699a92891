"""Dashboards people build: pages of widgets (KPI tiles, charts, gauges, a scorecard table,
the strategy map, initiatives by status, notes), private or shared with the organization."""
