"""ASGI entry point: Django, with the MCP server's streamable HTTP under /mcp/ (docs/mcp.md)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scorecard.settings")
django_application = get_asgi_application()

from scorecard.mcp_server.http import with_mcp  # noqa: E402  (needs Django set up first)

application = with_mcp(django_application)
