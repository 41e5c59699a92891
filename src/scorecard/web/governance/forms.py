"""Forms of the governance pages; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from scorecard import clock
from scorecard.initiatives.models import Initiative
from scorecard.kpis.period_words import VIEW_CHOICES
from scorecard.strategy.models import Objective, Scorecard

from ..forms import PersonChoiceField, people

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.Form):
    """Hold a review meeting: its title, day and the period it looks at."""

    title = forms.CharField(max_length=200, initial=_("Monthly review"), label=_("Title"))
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    as_of = forms.DateField(
        label=_("Numbers as of"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty for the meeting day."),
    )
    view = forms.ChoiceField(label=_("Period"), choices=VIEW_CHOICES, initial="period")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = clock.today()


class NotesForm(forms.Form):
    """The meeting's notes, one text."""

    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
        label=_("Meeting notes"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "notes-%s")
        super().__init__(*args, **kwargs)


class DecisionForm(forms.Form):
    """A decision of the meeting; it becomes a task of the chosen (or a new) initiative."""

    text = forms.CharField(max_length=200, label=_("Decision"))
    owner = PersonChoiceField(queryset=Objective.objects.none(), label=_("Owner"))
    deadline = forms.DateField(required=False, widget=DATE, label=_("Deadline"))
    initiative = forms.ModelChoiceField(
        queryset=Initiative.objects.none(),
        required=False,
        label=_("Initiative"),
        empty_label=_("— “Decisions from reviews” —"),
        help_text=_("Leave empty to collect it under “Decisions from reviews”."),
    )
    objective = forms.ModelChoiceField(
        queryset=Objective.objects.none(),
        required=False,
        empty_label=_("— none —"),
        label=_("For the objective"),
        help_text=_("With no initiative: the “Decisions from reviews” initiative serving it."),
    )

    def __init__(self, *args: Any, scorecard: Scorecard, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "decision-%s")
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = people(scorecard.organization_id)  # type: ignore[attr-defined]
        owner.empty_label = _("— choose —")  # type: ignore[attr-defined]
        self.fields["initiative"].queryset = Initiative.objects.filter(  # type: ignore[attr-defined]
            scorecard=scorecard
        ).order_by("name")
        self.fields["objective"].queryset = Objective.objects.filter(  # type: ignore[attr-defined]
            scorecard=scorecard
        ).order_by("perspective__position", "position", "name")
