"""Health check pages: a scorecard's findings with links to fix them, SMART checklists
for objective and initiative pages, and the reminder snooze page.

Views are thin: they check access, call scorecard.reviews (health, selectors,
services) and render. The links to fix a finding are built here because only the
web layer knows its URLs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from scorecard import clock
from scorecard.engine.quality import Finding, Severity, Subject
from scorecard.health import checks as health_checks
from scorecard.initiatives.models import Initiative
from scorecard.organizations.models import Membership
from scorecard.presentation.findings import translated
from scorecard.reviews.selectors import snooze_for
from scorecard.reviews.services import MAX_SNOOZE_DAYS, reminders_resume, reminders_snooze
from scorecard.strategy.models import Objective, Scorecard

from ..access import scorecard_for

SEVERITY_LABELS = {
    Severity.ERROR: (
        gettext_lazy("Errors"),
        gettext_lazy("These make numbers wrong or impossible to compute."),
    ),
    Severity.WARNING: (
        gettext_lazy("Warnings"),
        gettext_lazy("These weaken the scorecard: fix them soon."),
    ),
    Severity.INFO: (
        gettext_lazy("Suggestions"),
        gettext_lazy("Good practice that is missing; worth a look when there is time."),
    ),
}
SUBJECT_LABELS = {
    Subject.SCORECARD: gettext_lazy("Scorecard"),
    Subject.PERSPECTIVE: gettext_lazy("Perspective"),
    Subject.OBJECTIVE: gettext_lazy("Objective"),
    Subject.KPI: gettext_lazy("KPI"),
    Subject.INITIATIVE: gettext_lazy("Initiative"),
}


@dataclass(frozen=True)
class Fix:
    """A finding as a page shows it: where the thing is and where to fix it."""

    finding: Finding
    kind: str
    open_url: str
    fix_url: str
    fix_label: str
    #: The finding's sentence and its fix in the active language.
    message: str = ""
    hint: str = ""
    #: The subject in the checklist's test ("KPI" links the KPI's name), never translated.
    subject: str = ""


def fix_for(finding: Finding, scorecard: Scorecard, *, can_edit: bool, can_record: bool) -> Fix:
    """The links of one finding: the page of the thing, and the form that fixes it
    (only for members allowed to use that form)."""
    args = [scorecard.organization.slug, scorecard.slug]
    key, field = finding.key, finding.field
    open_url, fix_url, label = "", "", ""
    if finding.subject is Subject.KPI:
        open_url = reverse("kpi_detail", args=[*args, key])
        if field == "values":
            if can_record:
                fix_url, label = open_url + "#entry", gettext("Enter values")
        elif can_edit:
            fix_url = reverse("kpi_edit", args=[*args, key])
            fix_url += f"#id_{field}" if field and field != "objective" else ""
            label = gettext("Edit the KPI")
    elif finding.subject is Subject.OBJECTIVE:
        open_url = reverse("objective_detail", args=[*args, key])
        if can_edit:
            if field == "kpis":
                fix_url, label = reverse("kpi_new", args=[*args, key]), gettext("Add a KPI")
            elif field == "initiatives":
                fix_url = reverse("initiative_new", args=args) + f"?objective={key}"
                label = gettext("Start an initiative")
            elif field == "links":
                fix_url, label = open_url + "#add-link", gettext("Link it")
            elif field == "weight" and finding.code.startswith("weights."):
                fix_url = open_url + "#kpis-heading"
                label = gettext("Change the KPIs' weights")
            else:
                fix_url = reverse("objective_edit", args=[*args, key]) + f"#id_{field}"
                label = gettext("Edit the objective")
    elif finding.subject is Subject.INITIATIVE:
        open_url = reverse("initiative_detail", args=[*args, key])
        if can_edit:
            if field == "tasks":
                fix_url, label = open_url + "#add-task", gettext("Add tasks")
            else:
                fix_url = reverse("initiative_edit", args=[*args, key]) + f"#id_{field}"
                label = gettext("Edit the initiative")
    elif finding.subject is Subject.PERSPECTIVE:
        open_url = reverse("perspective_list", args=args)
        if can_edit:
            if finding.code == "perspective.empty":
                fix_url = reverse("objective_new", args=args) + f"?perspective={key}"
                label = gettext("Add an objective")
            else:
                fix_url, label = open_url, gettext("Change the weights")
    elif finding.code.startswith("involvement."):  # proposals and adoption (docs/involvement.md)
        open_url = reverse("scorecard_detail", args=args)
        if finding.code == "involvement.top_down":
            fix_url = reverse("proposal_list", args=args)
            label = gettext("See the proposals")
        elif can_edit:
            fix_url, label = reverse("adoption", args=args[:1]), gettext("See who uses it")
    else:
        open_url = reverse("scorecard_detail", args=args)
        if can_edit:
            if finding.code == "scorecard.no_map":
                fix_url = reverse("strategy_map", args=args)
                label = gettext("Open the strategy map")
            elif finding.code.startswith("risk."):
                fix_url = reverse("risk_list", args=args)
                label = gettext("Open the risk register")
            else:
                fix_url = reverse("perspective_list", args=args)
                label = gettext("Change the weights")
    return Fix(
        finding,
        str(SUBJECT_LABELS[finding.subject]),
        open_url,
        fix_url,
        label,
        translated(finding.message),
        translated(finding.fix),
        finding.subject.name,
    )


def _fixes(findings: list[Finding], scorecard: Scorecard, membership: Membership) -> list[Fix]:
    can_edit = membership.allows("editor")
    # Contributors enter values only for their own KPIs; the KPI page says which.
    can_record = membership.allows("contributor")
    return [fix_for(f, scorecard, can_edit=can_edit, can_record=can_record) for f in findings]


@dataclass(frozen=True)
class SuggestionGroup:
    """Suggestions of one kind, listed under one line ("12 KPIs have no description")."""

    code: str
    title: str
    fixes: list[Fix]


GROUP_TITLES = {
    "kpi.no_description": gettext_lazy("KPIs without a description"),
    "kpi.no_unit": gettext_lazy("KPIs without a unit"),
    "kpi.no_data_source": gettext_lazy("KPIs without a data source"),
    "kpi.unused": gettext_lazy("KPIs nobody uses"),
    "objective.no_description": gettext_lazy("Objectives without a description"),
    "objective.no_due_date": gettext_lazy("Objectives without a due date"),
    "objective.no_leading": gettext_lazy("Objectives without a leading KPI (a driver)"),
    "objective.no_lagging": gettext_lazy("Objectives without a lagging KPI (an outcome)"),
    "objective.not_on_map": gettext_lazy("Objectives not linked on the strategy map"),
    "initiative.no_description": gettext_lazy("Initiatives without a description"),
    "initiative.no_progress": gettext_lazy("Initiatives with no tasks and no progress"),
    "weights.sum": gettext_lazy("Weights that nearly add up to a whole"),
}


def _suggestion_groups(fixes: list[Fix]) -> list[SuggestionGroup]:
    groups: dict[str, list[Fix]] = {}
    for fix in fixes:
        groups.setdefault(fix.finding.code, []).append(fix)
    return [
        SuggestionGroup(code, str(GROUP_TITLES.get(code, items[0].message)), items)
        for code, items in groups.items()
    ]


@login_required
@require_GET
def scorecard_health(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The health check of one scorecard: findings by severity with links to fix each."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    today = clock.today()
    report = health_checks.scorecard_health(scorecard=scorecard, today=today)
    sections = []
    for severity, findings in report.by_severity():
        title, intro = SEVERITY_LABELS[severity]
        fixes = _fixes(findings, scorecard, membership)
        sections.append(
            {
                "severity": severity.value,
                "title": str(title),
                "intro": str(intro),
                "fixes": fixes,
                "groups": _suggestion_groups(fixes) if severity is Severity.INFO else [],
            }
        )
    return render(
        request,
        "web/health/scorecard_health.html",
        {
            "scorecard": scorecard,
            "organization": scorecard.organization,
            "membership": membership,
            "can_edit": membership.allows("editor"),
            "report": report,
            "counts": report.counts(),
            "sections": sections,
            "today": today,
        },
    )


# SMART checklists (objective and initiative pages) ---------------------------------------


def _checklist_context(
    checklist: health_checks.Checklist, scorecard: Scorecard, membership: Membership
) -> dict[str, Any]:
    lines = [
        {
            "letter": line.letter,
            "label": line.label,
            "question": line.question,
            "fixes": _fixes(line.missing, scorecard, membership),
        }
        for line in checklist.lines
    ]
    return {"lines": lines, "missing": checklist.missing}


def objective_smart(
    *, objective: Objective, scorecard: Scorecard, membership: Membership
) -> dict[str, Any]:
    """The SMART panel of an objective page (what it and its KPIs lack, with links)."""
    checklist = health_checks.objective_checklist(
        objective=objective, scorecard=scorecard, today=clock.today()
    )
    return _checklist_context(checklist, scorecard, membership)


def initiative_smart(
    *, initiative: Initiative, scorecard: Scorecard, membership: Membership
) -> dict[str, Any]:
    """The SMART panel of an initiative page."""
    checklist = health_checks.initiative_checklist(
        initiative=initiative, scorecard=scorecard, today=clock.today()
    )
    context = _checklist_context(checklist, scorecard, membership)
    context["closed"] = initiative.status not in {"planned", "active", "on_hold"}
    return context


# Reminder snooze -------------------------------------------------------------------------

SNOOZE_CHOICES = [3, 7, 14, 30]


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request: HttpRequest) -> HttpResponse:
    """Pause one's reminder e-mails for some days, or have them again.

    A personal setting: it applies in every organization the person belongs to.
    """
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "resume":
            reminders_resume(user=request.user)
            messages.success(request, gettext("Reminders are on again."))
            return redirect("reminders")
        try:
            snooze = reminders_snooze(user=request.user, days=request.POST.get("days", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                gettext("No reminder e-mails until %(date)s (inclusive).")
                % {"date": dateformat.format(snooze.until, "l j F Y")},
            )
            return redirect("reminders")
    current = snooze_for(user=request.user)
    active = current if current is not None and current.until >= clock.today() else None
    return render(
        request,
        "web/health/reminders.html",
        {
            "snooze": active,
            "choices": SNOOZE_CHOICES,
            "max_days": MAX_SNOOZE_DAYS,
            "error": error,
            "days": request.POST.get("days", "7"),
            "email": getattr(request.user, "email", ""),
        },
        status=422 if error else 200,
    )
