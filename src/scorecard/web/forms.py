"""Forms for creating structure; the writes go through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Aggregation, Indicator, Interval, Kpi, Optimization
from scorecard.strategy.models import Perspective, Scorecard


class _NoColon:
    """Labels without Django's trailing colon (our labels sit above their fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _choices(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    """Limit a choice field to ``queryset`` (e.g. people of this organization only)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class ObjectiveForm(_NoColon, forms.Form):
    """A new objective in one of the scorecard's perspectives."""

    perspective = forms.ModelChoiceField(queryset=Perspective.objects.none())
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False)
    weight = forms.FloatField(initial=1.0, help_text="Relative to the other objectives (> 0).")
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, scorecard: Scorecard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "perspective", scorecard.perspectives.all())
        _choices(
            self,
            "owner",
            get_user_model()
            .objects.filter(memberships__organization=scorecard.organization)
            .order_by("username"),
        )


class KpiForm(_NoColon, forms.ModelForm):
    """A new KPI for an objective (the service validates scales and formulas)."""

    class Meta:
        model = Kpi
        fields = [
            "name", "code", "unit", "description", "optimization", "minimum", "maximum",
            "baseline", "target", "tolerance", "band_low", "band_high", "red_flag", "weight",
            "update_interval", "time_aggregation", "indicator", "formula", "owner", "updater",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "formula": forms.TextInput(attrs={"placeholder": "e.g. deals / qualified_leads * 100"}),
        }

    def __init__(self, *args: Any, scorecard: Scorecard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = (
            get_user_model()
            .objects.filter(memberships__organization=scorecard.organization)
            .order_by("username")
        )
        _choices(self, "owner", people)
        _choices(self, "updater", people)
        self.fields["optimization"].initial = Optimization.MAXIMIZE
        self.fields["update_interval"].initial = Interval.MONTH
        self.fields["time_aggregation"].initial = Aggregation.SUM
        self.fields["indicator"].initial = Indicator.LAGGING

    def clean_weight(self) -> float:
        weight: float = self.cleaned_data["weight"]
        if weight is None or weight <= 0:
            raise forms.ValidationError("A weight must be greater than zero.")
        return weight


class PerspectiveForm(_NoColon, forms.Form):
    """Name, kind and weight of a perspective."""

    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Perspective.Kind.choices)
    weight = forms.FloatField(initial=1.0, help_text="Relative to the other perspectives (> 0).")


class ScorecardForm(_NoColon, forms.Form):
    """What a scorecard says and how it rolls up."""

    name = forms.CharField(max_length=200)
    vision = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    mission = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    aggregator = forms.ChoiceField(choices=Scorecard.Aggregator.choices)
    missing_policy = forms.ChoiceField(
        choices=Scorecard.MissingPolicy.choices, label="Children without data"
    )
    score_cap = forms.FloatField(
        min_value=1.0, max_value=10.0, help_text="1.0 = a child counts at most 100 %."
    )


class InitiativeForm(_NoColon, forms.Form):
    """An action plan and the objectives it serves."""

    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False)
    objectives = forms.ModelMultipleChoiceField(queryset=Perspective.objects.none(), required=False)
    status = forms.ChoiceField(choices=Initiative.Status.choices)
    start_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    deadline = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    budget = forms.DecimalField(required=False, min_value=0, max_digits=14, decimal_places=2)
    spent = forms.DecimalField(required=False, min_value=0, max_digits=14, decimal_places=2)
    progress = forms.FloatField(
        required=False, min_value=0, max_value=1, help_text="0–1; leave empty to use tasks done."
    )

    def __init__(self, *args: Any, scorecard: Scorecard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "owner", _people(scorecard))
        _choices(self, "objectives", scorecard.objectives.order_by("name"))


class TaskForm(_NoColon, forms.Form):
    """A step of an initiative."""

    name = forms.CharField(max_length=200, label="Task")
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False)
    deadline = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, scorecard: Scorecard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "assignee", _people(scorecard))


class UnitForm(_NoColon, forms.Form):
    """A department or team under a parent unit."""

    name = forms.CharField(max_length=200)
    parent = forms.ModelChoiceField(queryset=Perspective.objects.none())

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "parent", organization.units.order_by("name"))


def _people(scorecard: Scorecard) -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(memberships__organization_id=scorecard.organization_id)
        .order_by("username")
    )


class NewScorecardForm(_NoColon, forms.Form):
    """A unit's new scorecard, optionally cascaded from a parent scorecard."""

    name = forms.CharField(max_length=200)
    unit = forms.ModelChoiceField(queryset=Perspective.objects.none())
    parent = forms.ModelChoiceField(
        queryset=Perspective.objects.none(), required=False, label="Cascaded from"
    )
    vision = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    mission = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "unit", organization.units.order_by("name"))
        _choices(self, "parent", organization.scorecards.order_by("name"))


class UnitRenameForm(_NoColon, forms.Form):
    """A unit's new name."""

    name = forms.CharField(max_length=200)
