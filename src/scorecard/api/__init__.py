"""The REST API (django-ninja), versioned under /api/v1/."""
