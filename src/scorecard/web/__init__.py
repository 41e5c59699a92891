"""Server-rendered pages (templates + htmx partials)."""
