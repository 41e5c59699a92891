"""Health check pages: findings, SMART checklists, alerts and reminders."""
