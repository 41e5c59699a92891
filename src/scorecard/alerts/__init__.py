"""Alerts: an in-app feed and e-mails (at once or in a daily digest) when something needs me."""
