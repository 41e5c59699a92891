"""The MCP server: the tools of ``tools.py`` served with the official ``mcp`` SDK.

One :class:`mcp.server.MCPServer` serves both transports. Over stdio (``scorecard mcp``)
the token is fixed when the server starts; over streamable HTTP (``/mcp/`` of the ASGI
application, see ``http.py``) every request carries its own ``Authorization: Bearer``
header. Either way each tool call authenticates again, so a revoked token or a changed
role counts from the next call on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import close_old_connections
from django.utils import translation
from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError

from scorecard.api.access import Access

from . import tools
from .access import Refused, access_for_token, bearer_token, language_of

INSTRUCTIONS = """\
Scorecard: a Balanced Scorecard (strategy, objectives, KPIs, targets, values).
Start with list_scorecards; KPIs are named "scorecard_slug/kpi_code". list_attention
says what is red or at risk and who acts on it; explain_kpi shows how a number comes
about; record_value enters a value for a period (the role of the token's user decides
whether it may).
"""


def build_server(*, token: str | None = None) -> MCPServer:
    """The MCP server; ``token`` is the stdio caller's (HTTP calls bring their own)."""
    server = MCPServer(name="scorecard", instructions=INSTRUCTIONS, version="1")

    def call(ctx: Context | None, work: Callable[[Access], Any]) -> Any:
        close_old_connections()
        headers = ctx.headers if ctx is not None else None
        try:
            # Refusals in the caller's language (HTTP Accept-Language), else LANGUAGE_CODE.
            with translation.override(language_of(headers)):
                plaintext = token if headers is None else bearer_token(headers)
                return work(access_for_token(plaintext))
        except Refused as error:
            raise ToolError(str(error)) from None
        finally:
            close_old_connections()

    @server.tool()
    def list_scorecards(ctx: Context) -> list[dict[str, Any]]:
        """List the scorecards of your organization (id, short name, unit, parent)."""
        return call(ctx, tools.list_scorecards)

    @server.tool()
    def read_scores(
        scorecard: str,
        ctx: Context,
        as_of: str | None = None,
        view: str = "period",
        known_at: str | None = None,
    ) -> dict[str, Any]:
        """Scores and statuses of a scorecard, its perspectives, objectives and KPIs.

        scorecard: its short name (slug) or id. as_of: the day to score as of (YYYY-MM-DD,
        default today). view: the window — period, month, quarter, half_year, year or ytd.
        known_at: reproduce the numbers as they were known then (YYYY-MM-DD[THH:MM]).
        """
        return call(
            ctx,
            lambda access: tools.read_scores(
                access, scorecard=scorecard, as_of=as_of, view=view, known_at=known_at
            ),
        )

    @server.tool()
    def explain_kpi(
        kpi: str, ctx: Context, as_of: str | None = None, view: str = "period"
    ) -> dict[str, Any]:
        """Why a KPI shows its number: the values behind it, the target, the scoring rule
        and thresholds, who owns it, and the chain up to the vision ("why are we doing this?").

        kpi: "scorecard_slug/kpi_code".
        """
        return call(ctx, lambda access: tools.explain_kpi(access, kpi=kpi, as_of=as_of, view=view))

    @server.tool()
    def list_attention(
        ctx: Context, scorecard: str | None = None, as_of: str | None = None
    ) -> list[dict[str, Any]]:
        """KPIs that are red or at risk (the scorecard's forecast rule), with their numbers
        and who acts on them: owner, updater, objective owner and the initiatives serving
        the objective. Without scorecard: every scorecard of your organization."""
        return call(
            ctx, lambda access: tools.list_attention(access, scorecard=scorecard, as_of=as_of)
        )

    @server.tool()
    def record_value(
        kpi: str, period_start: str, value: float, ctx: Context, note: str = ""
    ) -> dict[str, Any]:
        """Record a KPI's value for the period starting period_start (YYYY-MM-DD, the first
        day of one of the KPI's periods). A second value for a period is a correction; the
        earlier one is kept in the history. Needs the contributor role (contributors only for
        KPIs they own or update)."""
        return call(
            ctx,
            lambda access: tools.record_value(
                access, kpi=kpi, period_start=period_start, value=value, note=note
            ),
        )

    return server
