"""Scorecards, perspectives, objectives and cause-effect links: editors change them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scorecard.analysis.selectors import items_of_objective
from scorecard.kpis.models import Measurement
from scorecard.organizations.models import Membership
from scorecard.reviews.services import usage_record_view
from scorecard.risks.selectors import risks_for_objective
from scorecard.strategy.models import Objective, ObjectiveLink, Perspective, Scorecard
from scorecard.strategy.services import (
    link_create,
    link_delete,
    objective_create,
    objective_delete,
    objective_move,
    objective_update,
    perspective_create,
    perspective_delete,
    perspective_move,
    perspective_update,
    scorecard_create,
    scorecard_delete,
    scorecard_update,
)

from .. import panels
from ..alerts.views import watch_panel
from ..forms import LinkForm, NewScorecardForm, ObjectiveForm, PerspectiveForm, ScorecardForm
from ..health.views import objective_smart
from . import selectors
from .common import (
    EDIT,
    READ,
    apply_errors,
    base_context,
    confirm_page,
    form_page,
    is_htmx,
    organization_for,
    period_from_query,
    safe_next,
    scorecard_for,
)

# Scorecards ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Editors start a unit's scorecard; it begins with the four classic perspectives."""
    organization, membership = organization_for(request, org_slug, EDIT)
    unit = organization.units.filter(slug=request.GET.get("unit", "")).first()
    form = NewScorecardForm(request.POST or None, organization=organization, initial={"unit": unit})
    if request.method == "POST" and form.is_valid():
        try:
            scorecard = scorecard_create(organization=organization, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Created “%(name)s” with four perspectives.") % {"name": scorecard.name}
            )
            return redirect("scorecard_detail", org_slug, scorecard.slug)
    return form_page(
        request, form, context=base_context(organization, membership), title=_("New scorecard"),
        submit=_("Create scorecard"), cancel_url=reverse("organization_detail", args=[org_slug]),
        intro=_("It starts with the four classic perspectives: financial, customer, internal "
        "processes, learning & growth. You can rename, reorder or remove them."),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_edit(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Rename a scorecard, write its vision and mission, choose how scores roll up."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    title = _("Edit “%(name)s”") % {"name": scorecard.name}
    initial = {name: getattr(scorecard, name) for name in ScorecardForm.base_fields}
    form = ScorecardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            scorecard_update(scorecard=scorecard, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved the scorecard."))
            return redirect("scorecard_detail", org_slug, sc_slug)
    return form_page(
        request, form, context=_context(scorecard, membership), title=title,
        cancel_url=reverse("scorecard_detail", args=[org_slug, sc_slug]),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_delete_view(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Delete a scorecard after listing everything that goes with it."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    if request.method == "POST":
        scorecard_delete(scorecard=scorecard)
        messages.success(request, _("Deleted the scorecard “%(name)s”.") % {"name": scorecard.name})
        return redirect("organization_detail", org_slug)
    counts = selectors.scorecard_losses(scorecard=scorecard)
    losses = [
        ngettext("%(count)s perspective", "%(count)s perspectives", counts["perspectives"]),
        ngettext(
            "%(count)s objective with its cause-effect links",
            "%(count)s objectives with their cause-effect links",
            counts["objectives"],
        ),
        ngettext(
            "%(count)s KPI with its targets", "%(count)s KPIs with their targets", counts["kpis"]
        ),
        ngettext("%(count)s recorded value", "%(count)s recorded values", counts["values"]),
        ngettext(
            "%(count)s initiative with its tasks",
            "%(count)s initiatives with their tasks",
            counts["initiatives"],
        ),
    ]
    keys = ["perspectives", "objectives", "kpis", "values", "initiatives"]
    losses = [words % {"count": counts[key]} for words, key in zip(losses, keys, strict=True)]
    if counts["children"]:
        losses.append(
            ngettext(
                "the link from %(count)s cascaded scorecard (it stays, as a top-level scorecard)",
                "the link from %(count)s cascaded scorecards (they stay, as top-level scorecards)",
                counts["children"],
            )
            % {"count": counts["children"]}
        )
    return confirm_page(
        request, context=_context(scorecard, membership), thing="scorecard",
        name=scorecard.name, losses=losses,
        cancel_url=reverse("scorecard_detail", args=[org_slug, sc_slug]),
    )  # fmt: skip


def _context(scorecard: Scorecard, membership: Membership) -> dict[str, object]:
    return base_context(scorecard.organization, membership, scorecard)


# Perspectives (and the order of objectives within them) ------------------------------


def _structure_response(
    request: HttpRequest, scorecard: Scorecard, membership: Membership
) -> HttpResponse:
    """The structure page, or just its table for htmx (the same partial either way)."""
    context = {
        **_context(scorecard, membership),
        "structure": selectors.scorecard_structure(scorecard=scorecard),
    }
    template = "web/manage/_structure.html" if is_htmx(request) else "web/manage/perspectives.html"
    return render(request, template, context)


@login_required
@require_GET
def perspective_list(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Perspectives in map order with their objectives: rename, re-weigh, reorder, delete."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, READ)
    return _structure_response(request, scorecard, membership)


def _perspective(scorecard: Scorecard, pk: int) -> Perspective:
    found = Perspective.objects.filter(scorecard=scorecard, pk=pk).first()
    if found is None:
        raise Http404("No such perspective.")
    return found


@login_required
@require_http_methods(["GET", "POST"])
def perspective_new(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Add a perspective at the bottom of the map."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    form = PerspectiveForm(request.POST or None, initial={"kind": "other", "weight": 1})
    if request.method == "POST" and form.is_valid():
        try:
            perspective = perspective_create(scorecard=scorecard, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Added the perspective “%(name)s”.") % {"name": perspective.name}
            )
            return redirect("perspective_list", org_slug, sc_slug)
    return form_page(
        request, form, context=_context(scorecard, membership), title=_("New perspective"),
        submit=_("Add perspective"),
        cancel_url=reverse("perspective_list", args=[org_slug, sc_slug]),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def perspective_edit(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Rename or re-weigh a perspective, or change its kind."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    perspective = _perspective(scorecard, pk)
    title = _("Edit the perspective “%(name)s”") % {"name": perspective.name}
    initial = {"name": perspective.name, "kind": perspective.kind, "weight": perspective.weight}
    form = PerspectiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            perspective_update(perspective=perspective, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Saved the perspective “%(name)s”.") % {"name": perspective.name}
            )
            return redirect("perspective_list", org_slug, sc_slug)
    return form_page(
        request, form, context=_context(scorecard, membership), title=title,
        cancel_url=reverse("perspective_list", args=[org_slug, sc_slug]),
    )  # fmt: skip


@login_required
@require_POST
def perspective_move_view(
    request: HttpRequest, org_slug: str, sc_slug: str, pk: int
) -> HttpResponse:
    """Move a perspective up or down the map (htmx swaps the structure table)."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    perspective_move(perspective=_perspective(scorecard, pk), up=request.POST.get("to") == "up")
    if is_htmx(request):
        return _structure_response(request, scorecard, membership)
    return redirect("perspective_list", org_slug, sc_slug)


@login_required
@require_http_methods(["GET", "POST"])
def perspective_delete_view(
    request: HttpRequest, org_slug: str, sc_slug: str, pk: int
) -> HttpResponse:
    """Delete an empty perspective; one with objectives is refused and nothing is lost."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    perspective = _perspective(scorecard, pk)
    problem = ""
    if request.method == "POST":
        try:
            perspective_delete(perspective=perspective)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            messages.success(
                request, _("Deleted the perspective “%(name)s”.") % {"name": perspective.name}
            )
            return redirect("perspective_list", org_slug, sc_slug)
    else:
        count = perspective.objectives.count()
        if count:
            problem = ngettext(
                "“%(name)s” still has %(count)s objective; move or delete it first.",
                "“%(name)s” still has %(count)s objectives; move or delete them first.",
                count,
            ) % {"name": perspective.name, "count": count}
    return confirm_page(
        request, context=_context(scorecard, membership), thing="perspective",
        name=perspective.name, losses=[], problem=problem,
        cancel_url=reverse("perspective_list", args=[org_slug, sc_slug]),
    )  # fmt: skip


# Objectives ---------------------------------------------------------------------------


def _objective(scorecard: Scorecard, code: str) -> Objective:
    found = Objective.objects.filter(scorecard=scorecard, code=code).first()
    if found is None:
        raise Http404("No such objective.")
    return found


def _objective_response(
    request: HttpRequest,
    scorecard: Scorecard,
    membership: Membership,
    code: str,
    *,
    link_form: LinkForm | None = None,
) -> HttpResponse:
    as_of, view, problems = period_from_query(request)
    page = selectors.objective_page(scorecard=scorecard, code=code, as_of=as_of, view=view)
    if page is None:
        raise Http404("No such objective.")
    usage_record_view(user=request.user, objective=page.objective)  # the health check's usage
    if link_form is None:
        link_form = LinkForm(candidates=page.candidates, perspective_names=page.perspective_names)
    return render(
        request,
        "web/manage/objective.html",
        {**_context(scorecard, membership), "page": page, "link_form": link_form,
         "param_errors": problems, "risks": risks_for_objective(objective=page.objective),
         "origins": items_of_objective(objective=page.objective),
         "smart": objective_smart(objective=page.objective, scorecard=scorecard,
                                  membership=membership),
         "comments_panel": panels.comments_panel(scorecard, membership, page.objective),
         "watch": watch_panel(request, scorecard.organization, "objective", page.objective),
         "alignment_panel": panels.alignment_panel(
             scorecard.organization, page.objective, as_of=as_of, view=view,
             can_edit=membership.allows(EDIT))},
        status=422 if link_form.errors else 200,
    )  # fmt: skip


@login_required
@require_GET
def objective_detail(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """An objective: its facts and score, KPIs, causes and effects, and initiatives."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, READ)
    return _objective_response(request, scorecard, membership, code)


@login_required
@require_http_methods(["GET", "POST"])
def objective_new(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Add an objective to one of the scorecard's perspectives."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    chosen = scorecard.perspectives.filter(pk=_int(request.GET.get("perspective"))).first()
    form = ObjectiveForm(
        request.POST or None, scorecard=scorecard, initial={"perspective": chosen, "weight": 1}
    )
    if request.method == "POST" and form.is_valid():
        try:
            objective = objective_create(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Added the objective “%(name)s”.") % {"name": objective.name}
            )
            return redirect("objective_detail", org_slug, sc_slug, objective.code)
    return form_page(
        request, form, context=_context(scorecard, membership),
        title=_("New objective in %(name)s") % {"name": scorecard.name}, submit=_("Add objective"),
        cancel_url=reverse("scorecard_detail", args=[org_slug, sc_slug]),
    )  # fmt: skip


def _int(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() else 0


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Change an objective's perspective, name, description, owner, weight or due date."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    objective = _objective(scorecard, code)
    title = _("Edit the objective “%(name)s”") % {"name": objective.name}
    initial = {
        "perspective": objective.perspective_id, "name": objective.name, "code": objective.code,
        "description": objective.description, "owner": objective.owner_id,
        "weight": objective.weight, "due_date": objective.due_date,
    }  # fmt: skip
    form = ObjectiveForm(request.POST or None, scorecard=scorecard, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["code"] = data["code"] or objective.code  # an emptied code keeps the old one
        try:
            objective_update(objective=objective, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Saved the objective “%(name)s”.") % {"name": objective.name}
            )
            return redirect("objective_detail", org_slug, sc_slug, objective.code)
    return form_page(
        request, form, context=_context(scorecard, membership), title=title,
        cancel_url=reverse("objective_detail", args=[org_slug, sc_slug, code]),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def objective_delete_view(
    request: HttpRequest, org_slug: str, sc_slug: str, code: str
) -> HttpResponse:
    """Delete an objective after saying which KPIs, values and links go with it."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    objective = _objective(scorecard, code)
    if request.method == "POST":
        objective_delete(objective=objective)
        messages.success(request, _("Deleted the objective “%(name)s”.") % {"name": objective.name})
        return redirect("scorecard_detail", org_slug, sc_slug)
    losses = [
        _("the KPI “%(name)s”") % {"name": name}
        for name in objective.kpis.values_list("name", flat=True)
    ]
    values = Measurement.objects.filter(kpi__objective=objective).count()
    if values:
        losses.append(
            ngettext(
                "%(count)s recorded value of those KPIs",
                "%(count)s recorded values of those KPIs",
                values,
            )
            % {"count": values}
        )
    links = ObjectiveLink.objects.filter(cause=objective).count()
    links += ObjectiveLink.objects.filter(effect=objective).count()
    if links:
        losses.append(
            ngettext("%(count)s cause-effect link", "%(count)s cause-effect links", links)
            % {"count": links}
        )
    return confirm_page(
        request, context=_context(scorecard, membership), thing="objective",
        name=objective.name, losses=losses,
        cancel_url=reverse("objective_detail", args=[org_slug, sc_slug, code]),
    )  # fmt: skip


@login_required
@require_POST
def objective_move_view(
    request: HttpRequest, org_slug: str, sc_slug: str, code: str
) -> HttpResponse:
    """Move an objective up or down within its perspective.

    From the structure page htmx swaps the table; other pages get redirected back.
    """
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    objective_move(objective=_objective(scorecard, code), up=request.POST.get("to") == "up")
    if is_htmx(request):
        return _structure_response(request, scorecard, membership)
    fallback = reverse("scorecard_detail", args=[org_slug, sc_slug]) + f"#objective-{code}"
    return redirect(safe_next(request, fallback))


# Cause-effect links -------------------------------------------------------------------


def _candidates(scorecard: Scorecard, objective: Objective) -> list[Objective]:
    """Objectives a new link may point to: the scorecard's others not linked yet (one query)."""
    linked = (
        ObjectiveLink.objects.filter(cause=objective)
        .values("effect_id")
        .union(ObjectiveLink.objects.filter(effect=objective).values("cause_id"))
    )
    return list(
        Objective.objects.filter(scorecard=scorecard)
        .exclude(pk=objective.pk)
        .exclude(pk__in=[row["effect_id"] for row in linked])
        .order_by("perspective__position", "position", "id")
    )


@login_required
@require_POST
def link_add(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Draw an arrow between this objective and the chosen one, in the chosen direction."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    objective = _objective(scorecard, code)
    data = request.POST.copy()
    # Older forms sent only "effect": this objective drives the chosen one.
    if "effect" in data and "other" not in data:
        data["other"] = request.POST.get("effect", "")
        data["direction"] = LinkForm.DRIVES
    names = dict(Perspective.objects.filter(scorecard=scorecard).values_list("pk", "name"))
    form = LinkForm(data, candidates=_candidates(scorecard, objective), perspective_names=names)
    if form.is_valid():
        other = form.cleaned_data["other"]
        drives = form.cleaned_data["direction"] == LinkForm.DRIVES
        cause, effect = (objective, other) if drives else (other, objective)
        try:
            link_create(cause=cause, effect=effect)
        except ValidationError as exc:
            form.add_error("other", " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("“%(name)s” now drives “%(effect_name)s”.")
                % {"name": cause.name, "effect_name": effect.name},
            )
            return redirect("objective_detail", org_slug, sc_slug, code)
    return _objective_response(request, scorecard, membership, code, link_form=form)


@login_required
@require_POST
def link_remove(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Remove an arrow from the map; back to the objective page it was removed from."""
    scorecard, _membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    link = (
        ObjectiveLink.objects.select_related("cause", "effect")
        .filter(cause__scorecard=scorecard, pk=pk)
        .first()
    )
    if link is None:
        raise Http404("No such link.")
    link_delete(link=link)
    messages.success(
        request,
        _("“%(name)s” no longer drives “%(link_effect_name)s”.")
        % {"name": link.cause.name, "link_effect_name": link.effect.name},
    )
    fallback = reverse("objective_detail", args=[org_slug, sc_slug, link.cause.code])
    return redirect(safe_next(request, fallback))
