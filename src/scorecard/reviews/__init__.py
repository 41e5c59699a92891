"""Reviews of the strategy: comments now; meetings, usage and alerts to come."""
