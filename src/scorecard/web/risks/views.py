"""The risk register of a scorecard: risks worst first, heat maps before and after
mitigation, and the forms editors add and change risks with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scorecard import clock
from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Membership
from scorecard.risks import selectors, services
from scorecard.risks.models import IMPACT_WORDS, LIKELIHOOD_WORDS, Risk
from scorecard.strategy.models import Objective, Scorecard
from scorecard.web.access import scorecard_for
from scorecard.web.forms import DATE, _Form, _person, people
from scorecard.web.manage.common import apply_errors, base_context, form_page

LIKELIHOODS: list[tuple[Any, Any]] = [
    (n, format_lazy("{} — {}", n, w)) for n, w in LIKELIHOOD_WORDS.items()
]
IMPACTS: list[tuple[Any, Any]] = [
    (n, format_lazy("{} — {}", n, w)) for n, w in IMPACT_WORDS.items()
]
NOT_RATED: list[tuple[Any, Any]] = [("", gettext_lazy("— not rated —"))]


class RiskForm(_Form):
    """A risk and what it threatens and what mitigates it."""

    title = forms.CharField(
        max_length=200, label=gettext_lazy("Title"), help_text=gettext_lazy("What could go wrong?")
    )
    cause = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=gettext_lazy("Cause")
    )
    consequence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=gettext_lazy("Consequence")
    )
    owner = _person("Owner", "Who watches it and acts.")
    likelihood = forms.TypedChoiceField(
        choices=LIKELIHOODS, coerce=int, initial=3, label=gettext_lazy("Likelihood")
    )
    impact = forms.TypedChoiceField(
        choices=IMPACTS, coerce=int, initial=3, label=gettext_lazy("Impact")
    )
    likelihood_after = forms.TypedChoiceField(
        choices=NOT_RATED + LIKELIHOODS, coerce=int, empty_value=None, required=False,
        label=gettext_lazy("Likelihood after mitigation"),
    )  # fmt: skip
    impact_after = forms.TypedChoiceField(
        choices=NOT_RATED + IMPACTS, coerce=int, empty_value=None, required=False,
        label=gettext_lazy("Impact after mitigation"),
    )  # fmt: skip
    objectives = forms.ModelMultipleChoiceField(
        queryset=Objective.objects.none(), required=False,
        label=gettext_lazy("Threatens the objectives"),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    kpis = forms.ModelMultipleChoiceField(
        queryset=Kpi.objects.none(), required=False, label=gettext_lazy("KPIs that indicate it"),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    initiatives = forms.ModelMultipleChoiceField(
        queryset=Initiative.objects.none(), required=False,
        label=gettext_lazy("Mitigating initiatives"),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    review_on = forms.DateField(required=False, widget=DATE, label=gettext_lazy("Review on"))

    def __init__(self, *args: Any, scorecard: Scorecard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["owner"].queryset = people(scorecard.organization_id)
        fields["owner"].label = gettext("Owner")
        fields["owner"].help_text = gettext("Who watches it and acts.")
        fields["objectives"].queryset = scorecard.objectives.order_by(
            "perspective__position", "position", "id"
        )
        fields["kpis"].queryset = Kpi.objects.filter(scorecard=scorecard).order_by("name", "pk")
        fields["initiatives"].queryset = Initiative.objects.filter(scorecard=scorecard).order_by(
            "name", "pk"
        )

    @staticmethod
    def initial_for(risk: Risk) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(risk, name) for name in services.FIELDS}
        initial["owner"] = risk.owner_id
        for name in services.LINKS:
            initial[name] = [item.pk for item in getattr(risk, name).all()]
        return initial


def _context(scorecard: Scorecard, membership: Membership) -> dict[str, Any]:
    return base_context(scorecard.organization, membership, scorecard)


def _risk_or_404(scorecard: Scorecard, pk: int) -> Risk:
    risk = selectors.risk_get(scorecard=scorecard, pk=pk)
    if risk is None:
        raise Http404(gettext("No such risk in this scorecard."))
    return risk


@login_required
@require_GET
def risk_list(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The register: every risk worst first, and the heat maps before and after mitigation."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    risks = list(selectors.risks_of(scorecard=scorecard))
    unmitigated = {
        r.pk for r in risks if r.level in ("high", "critical") and not r.initiatives.all()
    }
    return render(
        request,
        "risks/list.html",
        {**_context(scorecard, membership), "risks": risks, "today": clock.today(),
         "maps": [selectors.heat_map(risks), selectors.heat_map(risks, after=True)],
         "unmitigated": unmitigated, "can_edit": membership.allows("editor")},
    )  # fmt: skip


def _form(
    request: HttpRequest, scorecard: Scorecard, membership: Membership, risk: Risk | None
) -> HttpResponse:
    initial = RiskForm.initial_for(risk) if risk else {}
    form = RiskForm(request.POST or None, scorecard=scorecard, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if risk is None:
                risk = services.risk_create(scorecard=scorecard, **form.cleaned_data)
                messages.success(
                    request, gettext("Added the risk “%(title)s”.") % {"title": risk.title}
                )
            else:
                risk = services.risk_update(risk=risk, **form.cleaned_data)
                messages.success(
                    request, gettext("Saved the risk “%(title)s”.") % {"title": risk.title}
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("risk_list", scorecard.organization.slug, scorecard.slug)
    return form_page(
        request, form, context=_context(scorecard, membership),
        title=gettext("Edit the risk “%(title)s”") % {"title": risk.title} if risk
        else gettext("New risk in %(scorecard)s") % {"scorecard": scorecard.name},
        submit=gettext("Save risk") if risk else gettext("Add risk"),
        cancel_url=reverse("risk_list", args=[scorecard.organization.slug, scorecard.slug]),
        intro=gettext("Rate likelihood and impact from 1 to 5; their product places the risk on "
        "the heat map. Rate them again for the time after the mitigation works."),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def risk_new(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Editors add a risk to the register."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    return _form(request, scorecard, membership, None)


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Editors change a risk, its ratings and links."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    return _form(request, scorecard, membership, _risk_or_404(scorecard, pk))


@login_required
@require_POST
def risk_delete(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Editors remove a risk (its objectives, KPIs and initiatives stay)."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    risk = _risk_or_404(scorecard, pk)
    services.risk_delete(risk=risk)
    messages.success(request, gettext("Removed the risk “%(title)s”.") % {"title": risk.title})
    return redirect("risk_list", org_slug, sc_slug)
