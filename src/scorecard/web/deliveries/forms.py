"""The form of a scheduled delivery (choices limited to the organization)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from scorecard.deliveries.models import Book, Delivery
from scorecard.organizations.models import Organization
from scorecard.strategy.models import Objective, Perspective, Scorecard
from scorecard.web.queries import VIEW_LABELS


class DeliveryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    book = forms.ModelChoiceField(
        label=_("A saved briefing book (or choose scorecards below)"),
        queryset=Book.objects.none(),
        required=False,
    )
    scorecards = forms.ModelMultipleChoiceField(
        label=_("Scorecards (one: its report; several: a book of their reports)"),
        queryset=Scorecard.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    recipients = forms.ModelMultipleChoiceField(
        label=_("Send to"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(label=_("How often"), choices=Delivery.Frequency.choices)
    day = forms.IntegerField(
        label=_("Which day"),
        min_value=0,
        max_value=31,
        help_text=_(
            "Monthly: the working day or the day of the month (1, 2 ...); "
            "weekly: 0 = Monday ... 6 = Sunday."
        ),
    )
    hour = forms.IntegerField(label=_("Hour (site time)"), min_value=0, max_value=23, initial=7)
    form = forms.ChoiceField(label=_("As"), choices=Delivery.Form.choices)
    view = forms.ChoiceField(label=_("Period"), choices=VIEW_LABELS, initial="period")

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scorecards: Any = self.fields["scorecards"]
        scorecards.queryset = Scorecard.objects.filter(organization=organization).order_by("name")
        book: Any = self.fields["book"]
        book.queryset = Book.objects.filter(organization=organization)
        recipients: Any = self.fields["recipients"]
        recipients.queryset = (
            get_user_model()
            .objects.filter(memberships__organization=organization, is_active=True)
            .order_by("first_name", "last_name", "username")
        )
        recipients.label_from_instance = lambda u: (
            f"{u.get_full_name() or u.get_username()} <{u.email or 'no e-mail'}>"
        )

    @staticmethod
    def initial_of(delivery: Delivery) -> dict[str, Any]:
        return {
            "name": delivery.name,
            "book": delivery.book,
            "scorecards": list(delivery.scorecards.all()),
            "recipients": list(delivery.recipients.all()),
            "frequency": delivery.frequency,
            "day": delivery.day,
            "hour": delivery.hour,
            "form": delivery.form,
            "view": delivery.view,
        }


class BookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    scorecards = forms.ModelMultipleChoiceField(
        label=_("Scorecards"),
        queryset=Scorecard.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    perspectives = forms.ModelMultipleChoiceField(
        label=_("Only these perspectives (none chosen: all of each scorecard)"),
        queryset=Perspective.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    objectives = forms.ModelMultipleChoiceField(
        label=_("Only these objectives and their KPIs (none chosen for a scorecard: all of it)"),
        queryset=Objective.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    include_map = forms.BooleanField(label=_("The strategy map"), required=False, initial=True)
    include_initiatives = forms.BooleanField(
        label=_("The initiatives"), required=False, initial=True
    )
    include_risks = forms.BooleanField(label=_("The risk register"), required=False)
    include_decisions = forms.BooleanField(
        label=_("The decisions of the latest review meeting"), required=False
    )
    include_commentary = forms.BooleanField(
        label=_("The commentary in words (scorecard and perspectives)"), required=False
    )
    include_kpi_charts = forms.BooleanField(
        label=_("In the PowerPoint deck, a chart of each KPI's history"), required=False
    )
    view = forms.ChoiceField(label=_("Period"), choices=VIEW_LABELS, initial="period")
    as_of = forms.DateField(
        label=_("As of (empty: the day it is made)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    known = forms.ChoiceField(label=_("Numbers"), choices=Book.Known.choices, required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scorecards: Any = self.fields["scorecards"]
        scorecards.queryset = Scorecard.objects.filter(organization=organization).order_by("name")
        perspectives: Any = self.fields["perspectives"]
        perspectives.queryset = (
            Perspective.objects.filter(scorecard__organization=organization)
            .select_related("scorecard")
            .order_by("scorecard__name", "position", "id")
        )
        perspectives.label_from_instance = lambda p: f"{p.scorecard.name}: {p.name}"
        objectives: Any = self.fields["objectives"]
        objectives.queryset = (
            Objective.objects.filter(perspective__scorecard__organization=organization)
            .select_related("perspective__scorecard")
            .order_by("perspective__scorecard__name", "perspective__position", "code", "id")
        )
        # The objective's name first (its code in brackets tells apart two of one name).
        objectives.label_from_instance = lambda o: (
            f"{o.perspective.scorecard.name}: {o.name} ({o.code})"
        )

    @staticmethod
    def initial_of(book: Book) -> dict[str, Any]:
        return {
            "name": book.name,
            "scorecards": list(book.scorecards.all()),
            "perspectives": list(book.perspectives.all()),
            "objectives": list(book.objectives.all()),
            "include_map": book.include_map,
            "include_initiatives": book.include_initiatives,
            "include_risks": book.include_risks,
            "include_decisions": book.include_decisions,
            "include_commentary": book.include_commentary,
            "include_kpi_charts": book.include_kpi_charts,
            "view": book.view,
            "as_of": book.as_of,
            "known": book.known,
        }
