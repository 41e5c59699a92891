"""The authorization matrix: every URL and every API operation × every role.

The cases are generated from the URL configuration and from the OpenAPI document, so
a new page or endpoint without a rule here fails ``test_every_url_has_a_rule``.

Expectations per persona, in the order of ROLES:
  ok    the request is served (2xx, a redirect that is not to the sign-in page, or 422
        for an empty form);
  403   refused: the role is too low;
  404   hidden: the user is not a member of the organization;
  422   (API) the body names objects the caller cannot see;
  login anonymous users are sent to the sign-in page (web) / 401 (API).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from scorecard import clock
from scorecard.accounts.services import invitation_create
from scorecard.alerts.models import Alert
from scorecard.analysis.services import item_add
from scorecard.api.services import api_token_create
from scorecard.dashboards.services import dashboard_create, widget_add
from scorecard.datasources.services import connection_save, source_save
from scorecard.deliveries.services import book_save, delivery_create
from scorecard.imports.services import job_create
from scorecard.jobs.models import ReportJob
from scorecard.jobs.services import report_job_create
from scorecard.kpis.models import Measurement
from scorecard.mcp_server import tools as mcp_tools
from scorecard.mcp_server.access import Refused, access_for_token
from scorecard.mcp_server.server import build_server
from scorecard.meetings.services import meeting_create
from scorecard.planning.services import benchmark_add, funnel_create
from scorecard.proposals.services import proposal_create
from scorecard.pulses.services import pulse_schedule
from scorecard.reviews.services import comment_add
from scorecard.risks.services import risk_create
from scorecard.sharing.services import share_create
from scorecard.strategy.models import ObjectiveAlignment
from scorecard.webhooks.models import Delivery
from scorecard.webhooks.services import webhook_create
from tests.api.conftest import ApiWorld, JsonClient, Stuff
from tests.factories import KpiFactory, PerspectiveFactory

ROLES = ("admin", "editor", "contributor", "viewer", "outsider", "anonymous")

READ = ("ok", "ok", "ok", "ok", "404", "login")
CONTRIBUTE = ("ok", "ok", "ok", "403", "404", "login")
EDIT = ("ok", "ok", "403", "403", "404", "login")
ADMIN = ("ok", "403", "403", "403", "404", "login")
ANY_MEMBER = ("ok", "ok", "ok", "ok", "ok", "login")  # pages about the user's own things
PUBLIC = ("ok", "ok", "ok", "ok", "ok", "ok")
UPLOADER = ("ok", "404", "404", "403", "404", "login")
GONE = ("410",) * 6  # a secret link that does not work (made up, used or expired)


@dataclass(frozen=True)
class Rule:
    """How to call one URL and what each role gets."""

    method: str
    expect: tuple[str, ...]
    code: str = ""  # which object a <code> parameter names: "kpi" or "objective"
    pk: str = ""  # which object a <pk> parameter names


#: Web pages, by URL name.
WEB: dict[str, Rule] = {
    "login": Rule("GET", PUBLIC),
    # Signing out always ends on the sign-in page.
    "logout": Rule("POST", ("login",) * 6),
    # Single sign-on is off in the tests: both ends of it lead back to the sign-in page.
    "oidc_authentication_init": Rule("GET", ("login",) * 6),
    "oidc_authentication_callback": Rule("GET", ("login",) * 6),
    "home": Rule("GET", ANY_MEMBER),
    "api_docs_asset": Rule("GET", PUBLIC),
    "api_tokens": Rule("GET", READ),
    "api_token_revoke": Rule("POST", ("ok", "404", "404", "404", "404", "login"), pk="token"),
    "webhook_list": Rule("GET", ADMIN),
    "webhook_toggle": Rule("POST", ADMIN, pk="webhook"),
    "webhook_delete": Rule("POST", ADMIN, pk="webhook"),
    "webhook_delivery_retry": Rule("POST", ADMIN, pk="delivery"),
    # Data sources hold database passwords and tokens: admins only.
    "datasource_list": Rule("GET", ADMIN),
    "datasource_new": Rule("GET", ADMIN),
    "datasource_detail": Rule("GET", ADMIN, pk="data_source"),
    "datasource_preview": Rule("POST", ADMIN, pk="data_source"),
    "datasource_run": Rule("POST", ADMIN, pk="data_source"),
    "datasource_delete": Rule("POST", ADMIN, pk="data_source"),
    "datasource_connection": Rule("GET", ADMIN, pk="data_connection"),
    "datasource_connection_delete": Rule("POST", ADMIN, pk="data_connection"),
    "scorecard_detail": Rule("GET", READ),
    "strategy_map": Rule("GET", READ),
    "map_positions_save": Rule("POST", EDIT),  # an empty form: 422 for editors
    "map_rearrange": Rule("POST", EDIT),
    "map_svg": Rule("GET", READ),
    "map_png": Rule("GET", READ),
    "data_entry": Rule("GET", CONTRIBUTE),
    "data_entry_periods": Rule("GET", CONTRIBUTE),
    "kpi_detail": Rule("GET", READ, code="kpi"),
    "kpi_record": Rule("POST", CONTRIBUTE, code="kpi"),
    "kpi_comment": Rule("POST", CONTRIBUTE, code="kpi"),
    "organization_detail": Rule("GET", READ),
    "unit_new": Rule("GET", ADMIN),
    "unit_detail": Rule("GET", READ),
    "unit_edit": Rule("GET", ADMIN),
    "unit_delete": Rule("GET", ADMIN),
    "members": Rule("GET", ADMIN),
    # People: invitations and accounts made by admins; the links themselves are public.
    "invite": Rule("GET", ADMIN),
    "invitation_revoke": Rule("POST", ADMIN, pk="invitation"),
    "account_new": Rule("GET", ADMIN),
    "invitation_accept": Rule("GET", GONE),  # an unknown link: the same answer for everybody
    "account": Rule("GET", ANY_MEMBER),
    "password_change": Rule("GET", ANY_MEMBER),
    "password_change_done": Rule("GET", ANY_MEMBER),
    "password_reset": Rule("GET", PUBLIC),
    "password_reset_done": Rule("GET", PUBLIC),
    "password_reset_confirm": Rule("GET", PUBLIC),  # a made-up link: "does not work"
    "password_reset_complete": Rule("GET", PUBLIC),
    # The set-up wizard is for the site's superusers (none of the personas is one).
    "setup": Rule("GET", ("403", "403", "403", "403", "403", "login")),
    "setup_start": Rule("GET", GONE),  # a made-up set-up link
    "member_role": Rule("POST", ADMIN, pk="membership"),
    "member_remove": Rule("POST", ADMIN, pk="membership"),
    "scorecard_new": Rule("GET", EDIT),
    "scorecard_edit": Rule("GET", EDIT),
    "scorecard_delete": Rule("GET", EDIT),
    "perspective_list": Rule("GET", READ),  # the structure; edit buttons only for editors
    "perspective_new": Rule("GET", EDIT),
    "perspective_edit": Rule("GET", EDIT, pk="perspective"),
    "perspective_move": Rule("POST", EDIT, pk="perspective"),
    "perspective_delete": Rule("GET", EDIT, pk="empty_perspective"),
    "objective_new": Rule("GET", EDIT),
    "objective_detail": Rule("GET", READ, code="objective"),
    "objective_edit": Rule("GET", EDIT, code="objective"),
    "objective_delete": Rule("GET", EDIT, code="objective"),
    "objective_move": Rule("POST", EDIT, code="objective"),
    "link_add": Rule("POST", EDIT, code="objective"),
    "link_remove": Rule("POST", EDIT, pk="link"),
    "kpi_new": Rule("GET", EDIT, code="objective"),
    "kpi_edit": Rule("GET", EDIT, code="kpi"),
    "kpi_delete": Rule("GET", EDIT, code="kpi"),
    "initiative_list": Rule("GET", READ),
    "initiative_board": Rule("GET", READ),
    "initiative_new": Rule("GET", EDIT),
    "initiative_detail": Rule("GET", READ, pk="initiative"),
    "initiative_edit": Rule("GET", EDIT, pk="initiative"),
    "initiative_delete": Rule("GET", EDIT, pk="initiative"),
    "task_add": Rule("POST", EDIT, pk="initiative"),
    "task_edit": Rule("GET", EDIT, pk="task"),
    "task_remove": Rule("POST", EDIT, pk="task"),
    "task_state": Rule("POST", CONTRIBUTE, pk="task"),
    "alignment": Rule("GET", READ),
    "cascade_new": Rule("GET", EDIT),
    "scorecard_history": Rule("GET", READ),
    "objective_history": Rule("GET", READ, code="objective"),
    "kpi_history": Rule("GET", READ, code="kpi"),
    "initiative_history": Rule("GET", READ, pk="initiative"),
    # Nobody owns the KPI, so editors and admins decide its pending values.
    "value_decide": Rule("POST", EDIT, code="kpi", pk="pending_value"),
    "meeting_list": Rule("GET", READ),
    "meeting_detail": Rule("GET", READ, pk="meeting"),
    "meeting_notes": Rule("POST", EDIT, pk="meeting"),
    "meeting_decision": Rule("POST", EDIT, pk="meeting"),
    "objective_comment": Rule("POST", CONTRIBUTE, code="objective"),
    "initiative_comment": Rule("POST", CONTRIBUTE, pk="initiative"),
    "notifications": Rule("GET", ANY_MEMBER),
    # The notification is the admin's: nobody else may open it.
    "notification_open": Rule("GET", ("ok", "404", "404", "404", "404", "login"), pk="notice"),
    "alerts": Rule("GET", ANY_MEMBER),
    "alert_settings": Rule("GET", ANY_MEMBER),
    # The alert is the admin's: nobody else may open it.
    "alert_open": Rule("POST", ("ok", "404", "404", "404", "404", "login"), pk="alert"),
    "watch": Rule("POST", READ, pk="kpi_item"),
    "alignment_add": Rule("POST", EDIT, code="objective"),
    "alignment_edit": Rule("POST", EDIT, code="objective", pk="alignment"),
    "alignment_remove": Rule("POST", EDIT, code="objective", pk="alignment"),
    "person_detail": Rule("GET", READ),
    "scorecard_health": Rule("GET", READ),
    "reminders": Rule("GET", ANY_MEMBER),  # one's own reminder snooze
    "help": Rule("GET", PUBLIC),  # the glossary: the same for everybody
    "search": Rule("GET", ANY_MEMBER),  # finds only in the searcher's organizations
    "scorecard_files": Rule("GET", READ),
    "scorecard_report_pdf": Rule("GET", READ),
    "scorecard_report_xlsx": Rule("GET", READ),
    "scorecard_report_start_pdf": Rule("POST", READ),
    "scorecard_report_start_xlsx": Rule("POST", READ),
    # A report job is its starter's (the admin's here): others do not see it.
    "scorecard_report_job": Rule("GET", ("ok", "404", "404", "404", "404", "login"), pk="report"),
    "scorecard_report_job_download": Rule(
        "GET", ("ok", "404", "404", "404", "404", "login"), pk="report"
    ),
    # Site administration: staff accounts only (no persona here is staff).
    "background_tasks": Rule("GET", ("404", "404", "404", "404", "404", "login")),
    "planning_home": Rule("GET", READ),
    "funnel_detail": Rule("GET", READ, pk="funnel"),
    "whatif": Rule("GET", READ),  # and a POST never writes either
    "link_evidence": Rule("GET", READ),
    "funnel_new": Rule("GET", EDIT),
    "funnel_edit": Rule("GET", EDIT, pk="funnel"),
    "funnel_delete": Rule("POST", EDIT, pk="funnel"),
    "funnel_lever": Rule("POST", EDIT, pk="funnel"),
    "forecast_rule": Rule("POST", EDIT),
    "kpi_target_accept": Rule("POST", EDIT, code="kpi"),
    "benchmark_add": Rule("POST", EDIT, code="kpi"),
    "benchmark_delete": Rule("POST", EDIT, code="kpi", pk="benchmark"),
    "values_export": Rule("GET", READ),
    "values_import": Rule("GET", CONTRIBUTE),
    # An import in progress is its uploader's (the admin's here): others do not see it.
    "values_import_preview": Rule("GET", UPLOADER, pk="import"),
    "values_import_columns": Rule("GET", UPLOADER, pk="import"),
    "values_import_run": Rule("POST", UPLOADER, pk="import"),
    "values_import_discard": Rule("POST", UPLOADER, pk="import"),
    # Involvement (docs/involvement.md): any member proposes, editors decide.
    "proposal_list": Rule("GET", READ),
    "proposal_new": Rule("GET", READ),
    "proposal_panel": Rule("GET", READ),
    "proposal_decide": Rule("POST", EDIT, pk="proposal"),
    "my_proposals": Rule("GET", READ),
    # The pulse asks every member; its results are for admins and managers (editors).
    "pulse_list": Rule("GET", READ),
    "pulse_new": Rule("GET", ADMIN),
    "pulse_results": Rule("GET", EDIT, pk="pulse"),
    "pulse_answer": Rule("GET", READ, pk="pulse"),
    "pulse_record": Rule("POST", ADMIN, pk="pulse"),
    "adoption": Rule("GET", EDIT),
    "share_list": Rule("GET", EDIT),
    "share_detail": Rule("GET", EDIT, pk="share"),
    "share_revoke": Rule("POST", EDIT, pk="share"),
    # The public page of a share link: the token is the key, whoever holds it.
    "shared": Rule("GET", PUBLIC),
    "risk_list": Rule("GET", READ),
    "risk_new": Rule("GET", EDIT),
    "risk_edit": Rule("GET", EDIT, pk="risk"),
    "risk_delete": Rule("POST", EDIT, pk="risk"),
    # Commentary: everybody reads it; the owner or an editor edits it (tests/commentary).
    "commentary_panel": Rule("GET", READ),
    # Dashboards: the editor's, shared with the organization; its owner and admins change it.
    "dashboard_list": Rule("GET", READ),
    "dashboard_detail": Rule("GET", READ, pk="dashboard"),
    "dashboard_settings": Rule("POST", EDIT, pk="dashboard"),
    "dashboard_delete": Rule("POST", EDIT, pk="dashboard"),
    "dashboard_home": Rule("POST", READ, pk="dashboard"),
    "dashboard_order": Rule("POST", EDIT, pk="dashboard"),
    "widget_add": Rule("POST", EDIT, pk="dashboard"),
    "widget_fragment": Rule("GET", READ, pk="dashboard"),
    "widget_remove": Rule("POST", EDIT, pk="dashboard"),
    "widget_move": Rule("POST", EDIT, pk="dashboard"),
    # Scheduled deliveries: editors and admins only.
    "delivery_list": Rule("GET", EDIT),
    "delivery_new": Rule("GET", EDIT),
    "delivery_detail": Rule("GET", EDIT, pk="scheduled_delivery"),
    "delivery_edit": Rule("GET", EDIT, pk="scheduled_delivery"),
    "delivery_toggle": Rule("POST", EDIT, pk="scheduled_delivery"),
    "delivery_delete": Rule("POST", EDIT, pk="scheduled_delivery"),
    "delivery_send_now": Rule("POST", EDIT, pk="scheduled_delivery"),
    # Saved briefing books: members read them; editors assemble them.
    "book_list": Rule("GET", READ),
    "book_new": Rule("GET", EDIT),
    "book_edit": Rule("GET", EDIT, pk="book"),
    "book_delete": Rule("POST", EDIT, pk="book"),
    "book_pdf": Rule("GET", READ, pk="book"),
    "book_pptx": Rule("GET", READ, pk="book"),
    "book_xlsx": Rule("GET", READ, pk="book"),
    "briefing_deck": Rule("GET", READ),
    "briefing_book": Rule("GET", READ),
    "analysis_board": Rule("GET", READ),
    "analysis_item_add": Rule("POST", EDIT),
    "analysis_item_delete": Rule("POST", EDIT, pk="analysis_item"),
    "analysis_item_objective": Rule("POST", EDIT, pk="analysis_item"),
}

API_READ = ("ok", "ok", "ok", "ok", "404", "login")
API_EDIT = ("ok", "ok", "403", "403", "404", "login")
API_ADMIN = ("ok", "403", "403", "403", "404", "login")
API_CONTRIBUTE = ("ok", "ok", "ok", "403", "404", "login")
API_SELF = ("ok", "ok", "ok", "ok", "ok", "login")
# Lists are filtered to the caller's organizations, so an outsider sees an empty page.
API_LIST = ("ok", "ok", "ok", "ok", "ok", "login")
# The outsider names objects of another organization in the body: they are not found.
API_CREATE_EDIT = ("ok", "ok", "403", "403", "404", "login")
API_CREATE_ADMIN = ("ok", "403", "403", "403", "404", "login")
API_CREATE_CONTRIBUTE = ("ok", "ok", "ok", "403", "404", "login")
# A bulk upload checks every row and names the unknown KPIs row by row.
API_BULK = ("ok", "ok", "ok", "403", "422", "login")


def _bodies(one: Stuff) -> dict[str, Any]:
    """A valid body for every operation that takes one (PATCH bodies may be empty)."""
    return {
        "unit_create": {"parent": one.unit.pk, "name": "Service"},
        "risk_create": {
            "scorecard": one.perspective.scorecard_id,
            "title": "Storm",
            "likelihood": 2,
            "impact": 3,
            "objectives": [one.objective.pk],
        },
        "unit_update": {"name": "Sales and service"},
        "scorecard_create": {"unit": one.unit.pk, "name": "Sales"},
        "perspective_create": {"scorecard": one.perspective.scorecard_id, "name": "Growth"},
        "objective_create": {"perspective": one.perspective.pk, "name": "Win back customers"},
        "link_create": {"cause": one.objective2.pk, "effect": one.objective.pk},
        "kpi_create": {
            "objective": one.objective.pk,
            "code": "wins",
            "name": "Wins",
            "minimum": 0,
            "maximum": 10,
        },
        "target_set": {"kpi": one.kpi.pk, "period_start": "2026-02-01", "value": 70},
        "measurement_create": {"kpi": one.kpi.pk, "period_start": "2026-02-01", "value": 61},
        "measurement_bulk": [{"kpi": one.kpi.pk, "period_start": "2026-03-01", "value": 62}],
        "initiative_create": {"scorecard": one.perspective.scorecard_id, "name": "Call back"},
        "task_create": {"initiative": one.initiative.pk, "name": "Draft the script"},
        "proposal_create": {
            "scorecard": one.perspective.scorecard_id,
            "kind": "new_objective",
            "name": "Listen",
            "perspective": one.perspective.pk,
            "reason": "Because.",
        },
        "proposal_decide": {"decision": "decline", "reason": "Not now."},
    }


#: API operations, by operationId (from the OpenAPI document).
API: dict[str, tuple[str, ...]] = {
    "me": API_SELF,
    "unit_list": API_LIST,
    "unit_create": API_CREATE_ADMIN,
    "unit_get": API_READ,
    "unit_update": API_ADMIN,
    "unit_delete": API_ADMIN,
    "scorecard_list": API_LIST,
    "scorecard_create": API_CREATE_EDIT,
    "scorecard_get": API_READ,
    "scorecard_update": API_EDIT,
    "scorecard_delete": API_EDIT,
    "scorecard_scores": API_READ,
    "perspective_list": API_LIST,
    "perspective_create": API_CREATE_EDIT,
    "perspective_get": API_READ,
    "perspective_update": API_EDIT,
    "perspective_delete": API_EDIT,
    "objective_list": API_LIST,
    "objective_create": API_CREATE_EDIT,
    "objective_get": API_READ,
    "objective_update": API_EDIT,
    "objective_delete": API_EDIT,
    "link_list": API_LIST,
    "link_create": API_CREATE_EDIT,
    "link_get": API_READ,
    "link_delete": API_EDIT,
    "kpi_list": API_LIST,
    "kpi_create": API_CREATE_EDIT,
    "kpi_get": API_READ,
    "kpi_update": API_EDIT,
    "kpi_delete": API_EDIT,
    "target_list": API_LIST,
    "target_set": API_CREATE_EDIT,
    "target_get": API_READ,
    "target_delete": API_EDIT,
    "measurement_list": API_LIST,
    "measurement_create": API_CREATE_CONTRIBUTE,
    "measurement_bulk": API_BULK,
    "measurement_get": API_READ,
    "initiative_list": API_LIST,
    "initiative_create": API_CREATE_EDIT,
    "initiative_get": API_READ,
    "initiative_update": API_EDIT,
    "initiative_delete": API_EDIT,
    "task_list": API_LIST,
    "task_create": API_CREATE_EDIT,
    "task_get": API_READ,
    "task_update": API_CONTRIBUTE,
    "task_delete": API_EDIT,
    "proposal_list": API_LIST,
    "proposal_get": API_READ,
    "proposal_create": ("ok", "ok", "ok", "ok", "404", "login"),  # any member proposes
    "proposal_decide": API_EDIT,
    "pulse_list": API_LIST,  # filtered to where the caller manages: empty for the others
    "pulse_results": API_EDIT,
    # Editors' links; the outsider is an admin of their own organization (an empty list).
    "share_link_list": ("ok", "ok", "403", "403", "ok", "login"),
    "risk_list": API_LIST,
    "datasource_list": API_LIST,  # each sees the sources of organizations it administers
    "datasource_runs": API_ADMIN,
    "datasource_pull": API_ADMIN,
    "risk_create": API_CREATE_EDIT,
    "risk_get": API_READ,
    "risk_update": API_EDIT,
    "risk_delete": API_EDIT,
    # Planning numbers (api/routers/planning.py): reads, like the planning pages.
    "plan_funnel_list": API_READ,
    "plan_funnel": API_READ,
    "plan_kpi_funnels": API_READ,
    "plan_forecast": API_READ,
    "plan_growth_path": API_READ,
    "plan_benchmarks": API_READ,
    "plan_target_proposals": API_READ,
}

#: Query strings an operation needs (required parameters), by operationId.
API_QUERIES: dict[str, str] = {
    "plan_growth_path": "?end=80&years=2",
}
#: Operations whose path parameter names another object than usual (key of Objects.ids).
API_IDS: dict[str, dict[str, str]] = {
    "plan_kpi_funnels": {"kpi_id": "funnel_kpi"},  # a KPI that is a funnel stage
}

#: Framework URLs that are not ours to rule (the Django admin has its own staff checks).
NOT_OURS = re.compile(r"^admin/|^api/v1/(openapi\.json|docs|)$")


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), str(pattern.name)))
    return found


def web_urls() -> list[tuple[str, str]]:
    """(route, name) of every page outside the API and the Django admin."""
    return [
        (route, name)
        for route, name in _walk(get_resolver().url_patterns)
        if not NOT_OURS.match(route) and not route.startswith("api/v1/")
    ]


def api_operations() -> list[tuple[str, str, str]]:
    """(method, path, operationId) of every operation in the OpenAPI document."""
    from scorecard.api.v1 import api as ninja_api

    document = ninja_api.get_openapi_schema()
    return [
        (
            method.upper(),
            path,
            re.sub(r"^scorecard_api_routers_[a-z]+?_", "", operation["operationId"]),
        )
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def test_every_url_has_a_rule() -> None:
    missing = sorted({name for _, name in web_urls()} - set(WEB))
    assert not missing, f"pages without an authorization rule: {missing}"
    stale = sorted(set(WEB) - {name for _, name in web_urls()})
    assert not stale, f"rules for pages that no longer exist: {stale}"
    operations = {operation for _, _, operation in api_operations()}
    assert not sorted(operations - set(API)), (
        f"API operations without a rule: {operations - set(API)}"
    )
    assert not sorted(set(API) - operations), f"rules for gone operations: {set(API) - operations}"


@dataclass
class Objects:
    """One of everything, to fill in URL parameters."""

    stuff: Stuff
    ids: dict[str, int]
    token: str = ""


@pytest.fixture
def objects(api: ApiWorld, stuff: Stuff) -> Objects:
    world, one = api.world, stuff
    token, _ = api_token_create(user=world.admin, organization=world.organization, name="x")
    hook = webhook_create(
        organization=world.organization, url="https://x.example/", events=["measurement.recorded"]
    )
    delivery = Delivery.objects.create(
        webhook=hook, event="measurement.recorded", payload={}, created_at=hook.created_at,
        state=Delivery.State.FAILED,
    )  # fmt: skip
    membership = world.viewer.memberships.get(organization=world.organization)
    pending = Measurement.objects.create(
        kpi=one.kpi, period_start=dt.date(2026, 5, 1), value=1, recorded_at=hook.created_at,
        approval=Measurement.Approval.PENDING,
    )  # fmt: skip
    meeting = meeting_create(
        scorecard=world.scorecard, title="October review", held_on=dt.date(2026, 11, 2)
    )
    stages = [
        KpiFactory(objective=one.objective, code=code, name=code.title(), unit="")
        for code in ("visits", "deals")
    ]
    funnel = funnel_create(scorecard=world.scorecard, name="Funnel", kpis=stages)
    # Two values of the {kpi_id} paths' KPI: what a forecast needs at least.
    Measurement.objects.create(
        kpi=one.kpi, period_start=dt.date(2025, 12, 1), value=48, recorded_at=hook.created_at
    )
    benchmark = benchmark_add(kpi=one.kpi, value=60, source="Peers", as_of=dt.date(2026, 1, 1))
    upload = SimpleUploadedFile("values.csv", b"KPI code,period,value\nnps,2026-04,61\n")
    job = job_create(scorecard=world.scorecard, user=world.admin, upload=upload)
    comment = comment_add(item=one.objective, author=world.editor, text="@admin-user look")
    invitation = invitation_create(
        organization=world.organization, email="new@example.com", role="viewer",
        invited_by=world.admin, send=False,
    ).invitation  # fmt: skip
    proposal = proposal_create(
        scorecard=world.scorecard, author=world.viewer, kind="new_objective", name="Listen",
        perspective=one.perspective, reason="Because.",
    )  # fmt: skip
    pulse = pulse_schedule(
        organization=world.organization, user=world.admin, opens_on=clock.today(),
        closes_on=clock.today() + dt.timedelta(days=7),
    )  # fmt: skip
    share, share_token = share_create(
        scorecard=world.scorecard, user=world.editor, label="Board",
        expires_on=clock.today() + dt.timedelta(days=7),
    )  # fmt: skip
    report = report_job_create(
        scorecard=world.scorecard, user=world.admin, file_format="xlsx", params={}
    )
    stored = default_storage.save(f"reports/test-{report.pk}.xlsx", ContentFile(b"PK"))
    ReportJob.objects.filter(pk=report.pk).update(
        state=ReportJob.State.DONE, stored_name=stored, download_name="report.xlsx"
    )
    dashboard = dashboard_create(
        membership=world.editor.memberships.get(organization=world.organization),
        name="Board", shared=True,
    )  # fmt: skip
    widget = widget_add(
        dashboard=dashboard, membership=world.admin.memberships.get(), kind="note", text="Hi"
    )
    data_connection = connection_save(
        organization=world.organization, name="Finance", kind="sql",
        url="sqlite:////nonexistent/finance.db",
    )  # fmt: skip
    data_source = source_save(
        organization=world.organization, connection=data_connection, scorecard=world.scorecard,
        name="Sales", kpi=one.kpi, query="SELECT month, amount FROM sales",
    )  # fmt: skip
    ids = {
        "data_connection": data_connection.pk,
        "data_source": data_source.pk,
        "token": token.pk,
        "webhook": hook.pk,
        "delivery": delivery.pk,
        "membership": membership.pk,
        "perspective": one.perspective.pk,
        "empty_perspective": PerspectiveFactory(scorecard=world.scorecard, name="Spare").pk,
        "link": one.link.pk,
        "initiative": one.initiative.pk,
        "task": one.task.pk,
        "pending_value": pending.pk,
        "meeting": meeting.pk,
        "funnel": funnel.pk,
        "funnel_kpi": stages[0].pk,
        "import": job.pk,
        "benchmark": benchmark.pk,
        "notice": comment.notifications.get(user=world.admin).pk,
        "invitation": invitation.pk,
        "proposal": proposal.pk,
        "pulse": pulse.pk,
        "share": share.pk,
        "report": report.pk,
        "analysis_item": item_add(
            scorecard=world.scorecard, board="swot", category="threat", text="New rival"
        ).pk,
        "risk": risk_create(
            scorecard=world.scorecard, title="Supplier fails", likelihood=4, impact=4,
            objectives=[one.objective],
        ).pk,
        "dashboard": dashboard.pk,
        "kpi_item": one.kpi.pk,
        "alignment": ObjectiveAlignment.objects.create(
            child=one.objective, parent=one.objective2, share=0.5
        ).pk,
        "alert": Alert.objects.create(
            user=world.admin,
            organization=world.organization,
            kind="status",
            title="x",
            url="/",
            key="x",
            created_at=hook.created_at,
        ).pk,
        "widget": widget.pk,
        "scheduled_delivery": delivery_create(
            organization=world.organization, user=world.editor, name="Board pack",
            scorecards=[world.scorecard], recipients=[world.viewer],
            frequency="monthly_working_day", day=5,
        ).pk,
        "book": book_save(
            organization=world.organization, user=world.editor, name="Board",
            scorecards=[world.scorecard], include_map=False,
        ).pk,
    }  # fmt: skip
    return Objects(stuff, ids, share_token)


def _fill(route: str, rule: Rule, objects: Objects) -> str:
    values = {
        "org_slug": "northwind",
        "sc_slug": "company",
        "unit_slug": "sales",
        "name": "swagger-ui.css",
        "username": "viewer-user",
        "fmt": "csv",
        "board": "swot",
        "uidb64": "MQ",
        "kind": "kpi",
        "code": {"kpi": "nps", "objective": "delight", "": ""}[rule.code],
        "pk": str(objects.ids.get(rule.pk, 0)),
        "token": objects.token,
        "widget_pk": str(objects.ids.get("widget", 0)),
        "subject": "kpi",
        "key": "nps",
    }

    def value(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route)


def _outcome(response: Any, api_call: bool) -> str:
    status = response.status_code
    if status == 302 and "/login/" in response.get("Location", "") and not api_call:
        return "login"
    if status == 401 and api_call:
        return "login"
    if status in (403, 404, 410) or (status == 422 and api_call):
        return str(status)
    if status < 400 or status == 422:
        return "ok"
    return f"unexpected {status}"


WEB_CASES = [
    pytest.param(route, name, role, id=f"{name}-{role}")
    for route, name in web_urls()
    if name in WEB
    for role in ROLES
]


@pytest.mark.parametrize(("route", "name", "role"), WEB_CASES)
def test_page_access(route: str, name: str, role: str, api: ApiWorld, objects: Objects) -> None:
    rule = WEB[name]
    url = _fill(route, rule, objects)
    client = api.world.client_for(role)
    response = client.get(url) if rule.method == "GET" else client.post(url, {})
    expected = rule.expect[ROLES.index(role)]
    outcome = _outcome(response, api_call=False)
    assert outcome == expected, f"{rule.method} {url} as {role}: {outcome}, expected {expected}"


def _api_path(path: str, objects: Objects, operation: str = "") -> str:
    one = objects.stuff
    ids = {
        "unit_id": one.unit.pk,
        "scorecard_id": one.perspective.scorecard_id,
        "perspective_id": objects.ids["empty_perspective"],
        "objective_id": one.objective.pk,
        "link_id": one.link.pk,
        "kpi_id": one.kpi.pk,
        "target_id": one.target.pk,
        "measurement_id": one.measurement.pk,
        "initiative_id": one.initiative.pk,
        "task_id": one.task.pk,
        "proposal_id": objects.ids["proposal"],
        "pulse_id": objects.ids["pulse"],
        "risk_id": objects.ids["risk"],
        "funnel_id": objects.ids["funnel"],
        "source_id": objects.ids["data_source"],
    }
    for name, key in API_IDS.get(operation, {}).items():
        ids[name] = objects.ids[key]
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


API_CASES = [
    pytest.param(method, path, operation, role, id=f"{operation}-{role}")
    for method, path, operation in api_operations()
    for role in ROLES
]


@pytest.mark.parametrize(("method", "path", "operation", "role"), API_CASES)
def test_api_access(
    method: str,
    path: str,
    operation: str,
    role: str,
    api: ApiWorld,
    objects: Objects,
) -> None:
    client = api.client(role) if role != "anonymous" else JsonClient()
    url = _api_path(path, objects, operation) + API_QUERIES.get(operation, "")
    body = None if method in ("GET", "DELETE") else _bodies(objects.stuff).get(operation, {})
    response = client.request(method, url, body)
    expected = API[operation][ROLES.index(role)]
    outcome = _outcome(response, api_call=True)
    assert outcome == expected, f"{method} {url} as {role}: {outcome}, expected {expected}"


# --- The MCP server's tools (docs/mcp.md): the same roles as the REST API -----------------

#: Each tool's arguments against the world's scorecard, and what each persona gets.
MCP: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "list_scorecards": ({}, API_LIST),
    "read_scores": ({"scorecard": "company"}, API_READ),
    "explain_kpi": ({"kpi": "company/nps"}, API_READ),
    "list_attention": ({"scorecard": "company"}, API_READ),
    "record_value": (
        {"kpi": "company/nps", "period_start": "2026-01-01", "value": 61},
        API_CONTRIBUTE,
    ),
}


def test_every_mcp_tool_has_a_rule() -> None:
    # In a thread of its own: a browser test in the same worker may leave an event loop
    # running in this one, where asyncio.run() refuses to start.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        tools = pool.submit(asyncio.run, build_server().list_tools()).result()
    listed = {tool.name for tool in tools}
    assert listed == set(MCP), (
        f"tools without a rule: {listed - set(MCP)}; stale: {set(MCP) - listed}"
    )


def _mcp_outcome(message: str) -> str:
    for start, outcome in (
        ("Not authenticated", "login"),
        ("Forbidden", "403"),
        ("Not found", "404"),
    ):
        if message.startswith(start):
            return outcome
    return message


@pytest.mark.parametrize(
    ("tool", "role"), [pytest.param(t, r, id=f"mcp-{t}-{r}") for t in MCP for r in ROLES]
)
def test_mcp_access(tool: str, role: str, api: ApiWorld, stuff: Stuff) -> None:
    arguments, expect = MCP[tool]
    try:
        access = access_for_token(api.tokens.get(role))
        getattr(mcp_tools, tool)(access, **arguments)
        outcome = "ok"
    except Refused as refused:
        outcome = _mcp_outcome(str(refused))
    expected = expect[ROLES.index(role)]
    assert outcome == expected, f"MCP {tool} as {role}: {outcome}, expected {expected}"
