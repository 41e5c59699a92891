"""``scorecard mcp``: serve the Model Context Protocol for assistants (docs/mcp.md).

Over stdio (the default) the assistant's client starts this command and talks to it on
standard input and output; the personal API token comes from ``--token`` or the
``SCORECARD_API_TOKEN`` variable. ``--http HOST:PORT`` instead serves the whole ASGI
application (the web pages, the REST API and MCP under ``/mcp/``) with uvicorn.
"""

from __future__ import annotations

import os
from typing import Any

import uvicorn
from django.core.management.base import BaseCommand, CommandError

from scorecard.mcp_server.access import Refused, access_for_token
from scorecard.mcp_server.server import build_server


class Command(BaseCommand):
    help = "Serve the Model Context Protocol over stdio, or with --http over streamable HTTP."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--token",
            default="",
            help="Personal API token for stdio (default: the SCORECARD_API_TOKEN variable).",
        )
        parser.add_argument(
            "--http",
            metavar="HOST:PORT",
            default="",
            help="Serve the web app with MCP at /mcp/ on HOST:PORT instead of stdio.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["http"]:
            host, _, port = options["http"].rpartition(":")
            if not host or not port.isdigit():
                raise CommandError(f"--http: “{options['http']}” is not HOST:PORT.")
            uvicorn.run("scorecard.asgi:application", host=host, port=int(port), lifespan="on")
            return
        token = options["token"] or os.environ.get("SCORECARD_API_TOKEN", "")
        try:
            access = access_for_token(token)
        except Refused as error:
            raise CommandError(str(error)) from None
        organization = next(iter(access.memberships.values())).organization
        self.stderr.write(
            f"Serving MCP over stdio for {access.user.get_username()} in {organization.name}."
        )
        build_server(token=token).run("stdio")
