"""Streamable HTTP under ``/mcp/``, beside Django in one ASGI application.

The SDK's transport is a Starlette application with a lifespan (its session manager),
so it is mounted at the ASGI level: :func:`with_mcp` sends ``/mcp`` and everything below
it, and the server's lifespan events, to the MCP application, and every other request to
Django. Serve ``scorecard.asgi:application`` with an ASGI server (uvicorn, or gunicorn
with uvicorn workers) to offer it; ``scorecard mcp --http`` does so for one machine.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from mcp.server.transport_security import TransportSecuritySettings

from .server import build_server

PREFIX = "/mcp"

ASGIApp = Any


def transport_security() -> TransportSecuritySettings:
    """DNS-rebinding protection with the host names Django answers to (ALLOWED_HOSTS)."""
    hosts = [h.strip() for h in settings.ALLOWED_HOSTS if h.strip()]
    if "*" in hosts:
        return TransportSecuritySettings(enable_dns_rebinding_protection=False)
    names = [h.lstrip(".") for h in hosts]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[*names, *(f"{h}:*" for h in names)],
        allowed_origins=[
            *(f"{scheme}://{h}{port}" for h in names for scheme in ("http", "https")
              for port in ("", ":*")),
            *settings.CSRF_TRUSTED_ORIGINS,
        ],
    )  # fmt: skip


def mcp_app() -> ASGIApp:
    """The MCP server's streamable HTTP application, answering at ``/mcp/``."""
    return build_server().streamable_http_app(
        streamable_http_path=f"{PREFIX}/",
        stateless_http=True,
        json_response=True,
        transport_security=transport_security(),
    )


def with_mcp(django_app: ASGIApp, mcp: ASGIApp | None = None) -> ASGIApp:
    """An ASGI application serving MCP under ``/mcp/`` and Django everywhere else."""
    mcp = mcp if mcp is not None else mcp_app()

    async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] == "lifespan" or (
            scope["type"] == "http" and (path == PREFIX or path.startswith(f"{PREFIX}/"))
        ):
            await mcp(scope, receive, send)
        else:
            await django_app(scope, receive, send)

    return application
