"""Governance pages: history, review meetings, comments with mentions, notifications and
approval of values (see docs/governance.md). URLs in governance/urls.py."""
