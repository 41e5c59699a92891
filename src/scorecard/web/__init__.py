"""Layer 5, a face: every HTML page, its templates and URLs, grouped by subject."""
