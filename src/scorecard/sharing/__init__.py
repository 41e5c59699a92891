"""Share outside: read-only links to a scorecard or its map for people without an account."""
