"""Forms for structure editing and action plans.

Forms parse and check what a person typed; the writes (and the rules that need the
database or the engine) live in the services, whose ValidationErrors the views put
back next to the fields they name.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from scorecard.initiatives.models import Initiative, Task
from scorecard.kpis.models import (
    Aggregation,
    FormulaMode,
    Indicator,
    Interval,
    Kpi,
    Optimization,
    TargetAggregation,
    UnitRollup,
)
from scorecard.kpis.numbers import decimal_comma, number_from_text
from scorecard.limits import TEXT_MAX
from scorecard.organizations.models import Organization, Role, Unit
from scorecard.presentation.numbers import plain_number
from scorecard.strategy.models import Objective, Perspective, Scorecard

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: Thousands separators people type: "1,600,000", "1 600 000", "1_600_000".
_GROUPED = re.compile(r"^[+-]?\d{1,3}([ ,_\u00a0\u202f]\d{3})+(\.\d+)?$")
WEIGHT_MESSAGE = _("A weight must be greater than zero.")


class PlainNumberField(forms.FloatField):
    """A number shown as people write it (1600000, not 1600000.0) and read with or without
    thousands separators (1,600,000 · 1 600 000); a decimal point is a point."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, float | int) and not isinstance(value, bool):
            return plain_number(value)
        return value

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip()
            if value and decimal_comma():
                # The shared parser: 1.600.000 · 1,5 in German, French, Spanish.
                try:
                    value = str(number_from_text(value.replace("_", "")))
                except ValueError as exc:
                    raise forms.ValidationError(str(exc), code="invalid") from None
            elif _GROUPED.match(value):
                value = re.sub(r"[ ,_\u00a0\u202f]", "", value)
        return super().to_python(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # Free text (not type=number): min/max/step attributes would only confuse browsers.
        return {}


class _Form(forms.Form):
    """Our forms: labels sit above their fields, so no trailing colon."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def people(organization: Organization | int) -> QuerySet[Any]:
    """Members of ``organization``: the only people a choice field may offer."""
    org_id = organization if isinstance(organization, int) else organization.pk
    return (
        get_user_model()
        .objects.filter(memberships__organization_id=org_id)
        .order_by("first_name", "last_name", "username")
    )


class PersonChoiceField(forms.ModelChoiceField):
    """A member, shown by full name with the user name for people sharing a name."""

    def label_from_instance(self, obj: Any) -> str:
        full = obj.get_full_name()
        return f"{full} ({obj.username})" if full else obj.username


def _person(label: Any, help_text: Any = "") -> PersonChoiceField:
    return PersonChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=label,
        help_text=help_text,
        empty_label=_("— nobody —"),
    )


def _positive_weight(value: float | None) -> float:
    if value is None or not value > 0:
        raise forms.ValidationError(WEIGHT_MESSAGE)
    return value


# Organization, units and members ----------------------------------------------------


class UnitForm(_Form):
    """A new department or team under a parent unit."""

    name = forms.CharField(max_length=200, label=_("Name"))
    parent = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=_("Part of"), help_text=_("The unit it belongs to.")
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = organization.units.order_by("name")
        if not units.exists():
            del self.fields["parent"]  # the first unit is the top of the tree
        else:
            self.fields["parent"].queryset = units  # type: ignore[attr-defined]


class UnitEditForm(_Form):
    """Rename a unit or hang it under another parent (the top unit keeps its place)."""

    name = forms.CharField(max_length=200, label=_("Name"))
    parent = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=_("Part of"), required=False
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if unit.parent_id is None:
            del self.fields["parent"]
        else:
            # The service refuses units inside the branch too; this keeps the list honest.
            self.fields["parent"].queryset = (  # type: ignore[attr-defined]
                Unit.objects.filter(organization_id=unit.organization_id)
                .exclude(pk=unit.pk)
                .order_by("name")
            )
            self.fields["parent"].required = True


class MemberRoleForm(_Form):
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))


# Scorecards and perspectives --------------------------------------------------------


class NewScorecardForm(_Form):
    """A unit's new scorecard, optionally cascaded from a parent scorecard."""

    name = forms.CharField(max_length=200, label=_("Name"))
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Unit"))
    parent = forms.ModelChoiceField(
        queryset=Scorecard.objects.none(),
        required=False,
        label=_("Cascaded from"),
        empty_label=_("— none: a top-level scorecard —"),
    )
    vision = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=TEXT_MAX,
        label=_("Vision"),
    )
    mission = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_MAX,
        label=_("Mission"),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = organization.units.order_by("name")  # type: ignore[attr-defined]
        self.fields["parent"].queryset = organization.scorecards.order_by("name")  # type: ignore[attr-defined]


class ScorecardForm(_Form):
    """What a scorecard says and how its scores roll up."""

    name = forms.CharField(max_length=200, label=_("Name"))
    vision = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=TEXT_MAX,
        label=_("Vision"),
    )
    mission = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_MAX,
        label=_("Mission"),
    )
    aggregator = forms.ChoiceField(
        choices=Scorecard.Aggregator.choices,
        label=_("Roll up by"),
        help_text=_("How KPI scores combine into objective, perspective and scorecard scores."),
    )
    missing_policy = forms.ChoiceField(
        choices=Scorecard.MissingPolicy.choices, label=_("Items without data")
    )
    score_cap = forms.FloatField(
        min_value=1.0,
        max_value=10.0,
        label=_("Score cap"),
        help_text=_("The most one item may count in a rollup; 1.0 = 100 %."),
    )
    min_coverage = forms.FloatField(
        min_value=0.0,
        max_value=100.0,
        required=False,
        label=_("Minimum coverage (%)"),
        help_text=_(
            "Least share of the weight that must have data for a score to be shown; "
            "below it a score reads “not enough data”. 0 shows a score from any data."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The scorecard stores a share (0.25); people read and type a percentage (25).
        share = self.initial.get("min_coverage")
        if isinstance(share, int | float):
            self.initial["min_coverage"] = round(share * 100, 4)

    def clean_min_coverage(self) -> float:
        """The percentage as the share the scorecard stores (empty: 0)."""
        value = self.cleaned_data.get("min_coverage")
        return 0.0 if value is None else value / 100


class PerspectiveForm(_Form):
    """Name, kind and weight of a perspective."""

    name = forms.CharField(max_length=200, label=_("Name"))
    kind = forms.ChoiceField(choices=Perspective.Kind.choices, label=_("Kind"))
    weight = forms.FloatField(
        initial=1.0, label=_("Weight"), help_text=_("Relative to the other perspectives (> 0).")
    )

    def clean_weight(self) -> float:
        return _positive_weight(self.cleaned_data.get("weight"))


# Objectives and links ---------------------------------------------------------------


class ObjectiveForm(_Form):
    """An objective in one of the scorecard's perspectives."""

    perspective = forms.ModelChoiceField(
        queryset=Perspective.objects.none(), label=_("Perspective")
    )
    name = forms.CharField(max_length=200, label=_("Name"))
    code = forms.SlugField(
        max_length=80,
        required=False,
        label=_("Code"),
        help_text=_("Short name in links; left empty, it is made from the name."),
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_MAX,
        label=_("Description"),
    )
    owner = _person(_("Owner"), _("Who answers for this objective."))
    weight = forms.FloatField(
        initial=1.0, label=_("Weight"), help_text=_("Relative to the perspective's others (> 0).")
    )
    due_date = forms.DateField(required=False, widget=DATE, label=_("Due date"))

    def __init__(self, *args: Any, scorecard: Scorecard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["perspective"].queryset = scorecard.perspectives.order_by("position", "id")  # type: ignore[attr-defined]
        self.fields["owner"].queryset = people(scorecard.organization_id)  # type: ignore[attr-defined]

    def clean_weight(self) -> float:
        return _positive_weight(self.cleaned_data.get("weight"))


class LinkForm(_Form):
    """A cause → effect arrow from or to the objective on the page.

    The choices are a list the caller already holds (the objective page has every
    objective of the scorecard in memory), so showing the form costs no query.
    """

    DRIVES, DRIVEN_BY = "drives", "driven_by"
    direction = forms.ChoiceField(
        choices=[
            (DRIVES, _("This objective drives …")),
            (DRIVEN_BY, _("This objective is driven by …")),
        ],
        label=_("Direction"),
    )
    other = forms.TypedChoiceField(coerce=int, label=_("Other objective"))

    def __init__(
        self,
        *args: Any,
        candidates: list[Objective],
        perspective_names: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._candidates = {o.pk: o for o in candidates}
        # Grouped by perspective (in map order) so a long list stays easy to scan.
        names = perspective_names or {}
        groups: dict[str, list[tuple[int, str]]] = {}
        for objective in candidates:
            label = names.get(objective.perspective_id, str(_("Objectives")))
            groups.setdefault(label, []).append((objective.pk, objective.name))
        choices: list[Any] = [("", _("— choose —")), *groups.items()]
        self.fields["other"].choices = choices  # type: ignore[attr-defined]

    def clean_other(self) -> Objective:
        return self._candidates[self.cleaned_data["other"]]


# KPIs ---------------------------------------------------------------------------------

# Three to a row: the scale, the target with its weight, where it starts, then the fields
# only some optimizations use.
NUMBER_FIELDS = [
    "minimum", "maximum", "target", "baseline", "tolerance", "band_low", "band_high",
    "red_flag", "weight",
]  # fmt: skip
SCALE_FIELDS = [
    "optimization", "minimum", "maximum", "target", "target_date", "weight", "baseline",
    "baseline_date", "tolerance", "band_low", "band_high", "red_flag",
]  # fmt: skip

#: The KPI form's groups, in the order a person fills them in; ``open`` groups are
#: shown unfolded, the others start folded (and open by themselves when they hold an
#: error or a value).
KPI_FIELDSETS: list[tuple[str, Any, Any, list[str]]] = [
    ("basics", _("Basics"), "", ["name", "unit", "optimization", "target", "code"]),
    (
        "scale",
        _("Scale and target"),
        _(
            "Scores run from the minimum (0 %) to the maximum (100 %). With only a target, "
            "higher-is-better KPIs run from 0 to the target, lower-is-better ones from twice "
            "the target down to the target (docs/scoring.md)."
        ),
        [f for f in SCALE_FIELDS if f not in {"optimization", "target"}],
    ),
    (
        "thresholds",
        _("Thresholds"),
        _(
            "Where the status turns yellow and green, as a share of the score. "
            "Leave both empty for the usual thirds (yellow from 33.3 %, green from 66.7 %)."
        ),
        ["yellow_from", "green_from"],
    ),
    (
        "data",
        _("Data"),
        "",
        [
            "update_interval",
            "time_aggregation",
            "target_aggregation",
            "unit_rollup",
            "indicator",
            "owner",
            "updater",
            "values_need_approval",
            "description",
            "data_source",
        ],
    ),
    (
        "formula",
        _("Formula"),
        _("Only for calculated KPIs: use other KPIs' codes, e.g. deals / leads * 100."),
        ["formula", "formula_mode"],
    ),
]
#: Groups shown unfolded on a new KPI.
KPI_OPEN_GROUPS = {"basics", "scale"}
#: Which scoring types use a field; fields not listed are used by every type. The page
#: hides the others (static/scorecard/kpi-form.js) and the form ignores them.
KPI_FIELDS_BY_TYPE: dict[str, list[str]] = {
    "minimum": ["maximize", "minimize"],
    "maximum": ["maximize", "minimize"],
    "baseline": ["maximize", "minimize"],
    "baseline_date": ["maximize", "minimize"],
    "target": ["maximize", "minimize", "binary_max", "binary_min", "exact",
               "percent_of_target", "goal_red_flag"],
    "target_date": ["maximize", "minimize", "exact", "percent_of_target"],
    "tolerance": ["exact", "band"],
    "band_low": ["band"],
    "band_high": ["band"],
    "red_flag": ["goal_red_flag"],
    "yellow_from": [o for o in Optimization.values if o != "none"],
    "green_from": [o for o in Optimization.values if o != "none"],
}  # fmt: skip
#: One line for every field of the KPI form.
KPI_HELP: dict[str, Any] = {
    "name": _("What is measured, in words people use, e.g. “Orders delivered on time”."),
    "code": _("Short name for formulas and addresses; left empty, it is made from the name."),
    "unit": _("How values are written: %, €, h, customers … (optional)."),
    "optimization": _("How a value becomes a score: higher is better, lower is better, yes/no …"),
    "target": _("Where you want to be each period; alone it is enough for higher/lower is better."),
    "minimum": _("The value that scores 0 % (for lower is better: the best value, 100 %)."),
    "maximum": _("The value that scores 100 % (for lower is better: the worst value, 0 %)."),
    "target_date": _("With a baseline date: targets in between follow a straight path."),
    "weight": _("How much it counts next to the objective's other KPIs (any number above 0)."),
    "baseline": _("Where it started; progress runs from here to the target."),
    "baseline_date": _("When the baseline was measured."),
    "tolerance": _("For “exact” and “band”: how far off still scores something."),
    "band_low": _("For “band”: the lowest value inside the band."),
    "band_high": _("For “band”: the highest value inside the band."),
    "red_flag": _("For “goal and red flag”: the value that is clearly bad."),
    "yellow_from": _("Score from which the status is yellow (empty: 33.3 %)."),
    "green_from": _("Score from which the status is green (empty: 66.7 %)."),
    "update_interval": _("How often a new value comes in."),
    "time_aggregation": _("How a quarter or a year combines its periods' values."),
    "indicator": _("Leading indicators drive results; lagging ones show them."),
    "owner": _("Who answers for the KPI."),
    "updater": _("Who enters the values."),
    "values_need_approval": _(
        "Values entered by anyone but the owner count once the owner approves them."
    ),
    "description": _("Why it matters and how it is measured (optional)."),
    "data_source": _("Where the numbers come from, e.g. “ERP, monthly close” (optional)."),
    "formula": _("For calculated KPIs: other KPIs' codes, e.g. deals / leads * 100."),
    "formula_mode": _("Calculate from the values, or combine the scores."),
    "target_aggregation": _(
        "Automatic: a calculated KPI keeps its own target (a 48 % margin a "
        "month is 48 % a year) or, without one, applies its formula to its inputs' targets; "
        "any other KPI's target adds up like its values."
    ),
    "unit_rollup": _(
        "How this KPI's values in the units below make its value here. Automatic: "
        "ratios rebuilt from their parts, percentages, scores and levels such as NPS "
        "averaged, amounts summed."
    ),
}
#: A code must look like a name in a formula: a letter, then letters, digits and _.
KPI_CODE_MAX = 80


def kpi_code_from_name(name: str, taken: set[str]) -> str:
    """A KPI code from its name: ``Orders on time (%)`` → ``orders_on_time``; unique."""
    # The name as written in ASCII (a sign such as € is left out, not spelt); a name with
    # nothing left, e.g. in another script, gets "kpi".
    base = slugify(name).replace("-", "_")[:60].strip("_") or "kpi"
    if not base[0].isalpha():
        base = "kpi_" + base
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


_STANDARD_BANDS = ["red", "yellow", "green"]
_BAND_COLORS = {"red": "#d64545", "yellow": "#e8b021", "green": "#2e9e5b"}


def _standard_thresholds(raw: Any) -> tuple[float, float] | None:
    """(yellow, green) lower bounds if ``raw`` is the plain red/yellow/green shape."""
    if not isinstance(raw, list) or [b.get("status") for b in raw] != _STANDARD_BANDS:
        return None
    try:
        return float(raw[1]["lower"]), float(raw[2]["lower"])
    except (KeyError, TypeError, ValueError):
        return None


#: Choices an older client may leave out: the model's default is what it meant.
_CHOICES_WITH_DEFAULTS = frozenset(
    {"optimization", "update_interval", "time_aggregation", "indicator", "formula_mode",
     "target_aggregation", "unit_rollup"}
)  # fmt: skip


class KpiForm(forms.ModelForm):
    """Every field of a KPI, grouped; the service checks scales and formulas with the engine."""

    yellow_from = PlainNumberField(
        required=False,
        min_value=0,
        max_value=1000,
        # xgettext:no-python-format
        label=_("Yellow from (% of score)"),
    )
    green_from = PlainNumberField(
        required=False,
        min_value=0,
        max_value=1000,
        # xgettext:no-python-format
        label=_("Green from (% of score)"),
    )

    class Meta:
        model = Kpi
        fields = [
            "name", "code", "description", "unit", "data_source", "optimization", "minimum",
            "maximum", "target", "target_date", "baseline", "baseline_date", "tolerance",
            "band_low", "band_high", "red_flag", "weight", "update_interval",
            "time_aggregation", "indicator", "owner", "updater", "formula", "formula_mode",
            "values_need_approval", "target_aggregation", "unit_rollup",
        ]  # fmt: skip
        labels = {
            "name": _("Name"),
            "code": _("Code"),
            "description": _("Description"),
            "data_source": _("Data source"),
            "minimum": _("Minimum"),
            "maximum": _("Maximum"),
            "baseline": _("Baseline"),
            "baseline_date": _("Baseline date"),
            "tolerance": _("Tolerance"),
            "weight": _("Weight"),
            "owner": _("Owner"),
            "updater": _("Updater"),
            "formula": _("Formula"),
            "optimization": _("Scoring"),
            "unit": _("Unit of measure"),
            "target": _("Target"),
            "target_date": _("Target date"),
            "band_low": _("Band from"),
            "band_high": _("Band to"),
            "red_flag": _("Red flag"),
            "update_interval": _("Updated"),
            "time_aggregation": _("Over time, take the"),
            "target_aggregation": _("Target over a quarter or a year"),
            "unit_rollup": _("Across units below"),
            "indicator": _("Kind of indicator"),
            "formula_mode": _("Calculate"),
            "values_need_approval": _("Values need the owner's approval"),
        }
        help_texts = KPI_HELP
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "formula": forms.TextInput(
                attrs={"placeholder": _("e.g. deals / qualified_leads * 100")}
            ),
            "target_date": DATE,
            "baseline_date": DATE,
        }
        field_classes = {
            "owner": PersonChoiceField,
            "updater": PersonChoiceField,
            **{name: PlainNumberField for name in NUMBER_FIELDS},
        }

    def __init__(self, *args: Any, scorecard: Scorecard, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self._scorecard = scorecard
        self.fields["code"].required = False  # made from the name when left empty
        self.fields["weight"].required = False
        self.fields["yellow_from"].help_text = KPI_HELP["yellow_from"]
        self.fields["green_from"].help_text = KPI_HELP["green_from"]
        for name in ("owner", "updater"):
            field = self.fields[name]
            field.queryset = people(scorecard.organization_id)  # type: ignore[attr-defined]
            field.empty_label = _("— nobody —")  # type: ignore[attr-defined]
        defaults = {
            "optimization": Optimization.MAXIMIZE,
            "update_interval": Interval.MONTH,
            "time_aggregation": Aggregation.SUM,
            "indicator": Indicator.LAGGING,
            "formula_mode": FormulaMode.EQUATION,
            "target_aggregation": TargetAggregation.AUTO,
            "unit_rollup": UnitRollup.AUTO,
        }
        for name, value in defaults.items():
            self.fields[name].initial = value
            # An older client may leave these out; the model's default is what they meant.
            self.fields[name].required = False
        self._custom_thresholds = None
        current = self.instance.thresholds if self.instance.pk else None
        standard = _standard_thresholds(current)
        if standard is not None:
            self.initial.setdefault("yellow_from", round(standard[0] * 100, 4))
            self.initial.setdefault("green_from", round(standard[1] * 100, 4))
        elif current:
            # Bands with their own names come from a scorecard file; keep them as they are.
            self._custom_thresholds = current
            for name in ("yellow_from", "green_from"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("This KPI has custom bands; they stay unchanged.")

    def fieldsets(self) -> list[dict[str, Any]]:
        """The bound fields in their groups, for the template."""
        # The engine's objections are about the scale as a whole (kpi_validate reports them
        # without a field), so they are shown with the scale's fields.
        groups = []
        for key, legend, help_text, names in KPI_FIELDSETS:
            fields = [self[name] for name in names]
            errors = self.non_field_errors() if key == "scale" else []
            is_open = (
                key in KPI_OPEN_GROUPS
                or bool(self.instance.pk)
                or bool(errors)
                or any(f.errors for f in fields)
            )
            groups.append({"legend": legend, "help": help_text, "fields": fields,
                           "errors": errors, "open": is_open})  # fmt: skip
        return groups

    def fields_by_type(self) -> dict[str, list[str]]:
        """For the page's script: which scoring types use which field."""
        return KPI_FIELDS_BY_TYPE

    def clean_weight(self) -> float:
        weight = self.cleaned_data.get("weight")
        return 1.0 if weight is None else _positive_weight(weight)  # empty: counts once

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, field in self.fields.items():
            if name in _CHOICES_WITH_DEFAULTS and not data.get(name):
                data[name] = field.initial
        data["formula"] = (data.get("formula") or "").strip()
        self._code_from_name(data)
        self._default_scale(data)
        yellow, green = data.pop("yellow_from", None), data.pop("green_from", None)
        if self._custom_thresholds is not None:
            data["thresholds"] = self._custom_thresholds
        elif yellow is None and green is None:
            data["thresholds"] = None
        elif yellow is None or green is None:
            self.add_error(
                "green_from" if green is None else "yellow_from",
                _("Give both thresholds, or neither for the usual thirds."),
            )
        elif not yellow < green:
            self.add_error("green_from", _("Green must start above yellow."))
        else:
            data["thresholds"] = [
                {"status": "red", "lower": None, "color": _BAND_COLORS["red"]},
                {"status": "yellow", "lower": yellow / 100, "color": _BAND_COLORS["yellow"]},
                {"status": "green", "lower": green / 100, "color": _BAND_COLORS["green"]},
            ]
        return data

    def _code_from_name(self, data: dict[str, Any]) -> None:
        """An empty code is made from the name (unique in the scorecard)."""
        if (data.get("code") or "").strip() or not data.get("name"):
            return
        taken = set(
            Kpi.objects.filter(scorecard=self._scorecard)
            .exclude(pk=self.instance.pk)
            .values_list("code", flat=True)
        )
        data["code"] = kpi_code_from_name(data["name"], taken)

    def _default_scale(self, data: dict[str, Any]) -> None:
        """A target alone is enough for higher/lower-is-better KPIs (docs/scoring.md).

        Higher is better: the scale runs from 0 to the target. Lower is better: from
        twice the target (0 %) down to the target (100 %). The filled-in end is saved,
        so the KPI page and its edit form show it.
        """
        target, kind = data.get("target"), data.get("optimization")
        if target is None:
            return
        if any(data.get(f) is not None for f in ("minimum", "maximum", "baseline")):
            return  # the person set a scale of their own
        if kind == Optimization.MAXIMIZE and target > 0:
            data["minimum"] = 0.0
        elif kind == Optimization.MINIMIZE and target > 0:
            data["maximum"] = 2 * target
        elif kind == Optimization.MINIMIZE:
            self.add_error(
                "maximum", _("With a target of zero or less, say which value is the worst (0 %).")
            )

    def _post_clean(self) -> None:
        # The service validates the whole KPI (with the engine) before saving; the
        # ModelForm's own model validation would only repeat part of it, without the
        # scorecard, and report unique codes less clearly.
        pass

    def service_fields(self) -> dict[str, Any]:
        """Cleaned data as keyword arguments for kpi_create / kpi_update."""
        return dict(self.cleaned_data)


# Initiatives and tasks ----------------------------------------------------------------


class InitiativeForm(_Form):
    """An action plan and the objectives it serves."""

    name = forms.CharField(max_length=200, label=_("Name"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_MAX,
        label=_("Description"),
    )
    owner = _person(_("Owner"))
    objectives = forms.ModelMultipleChoiceField(
        queryset=Objective.objects.none(),
        required=False,
        label=_("Serves the objectives"),
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(
        choices=Initiative.Status.choices, initial="planned", label=_("Status")
    )
    start_date = forms.DateField(required=False, widget=DATE, label=_("Start date"))
    deadline = forms.DateField(required=False, widget=DATE, label=_("Deadline"))
    budget = forms.DecimalField(
        required=False, min_value=0, max_digits=14, decimal_places=2, label=_("Budget")
    )
    spent = forms.DecimalField(
        required=False, min_value=0, max_digits=14, decimal_places=2, label=_("Spent")
    )
    progress = forms.FloatField(
        required=False,
        min_value=0,
        max_value=100,
        label=_("Progress (%)"),
        help_text=_("Leave empty to use the share of tasks done."),
    )

    def __init__(self, *args: Any, scorecard: Scorecard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people(scorecard.organization_id)  # type: ignore[attr-defined]
        self.fields["objectives"].queryset = scorecard.objectives.order_by(  # type: ignore[attr-defined]
            "perspective__position", "position", "id"
        )

    @staticmethod
    def initial_for(initiative: Initiative) -> dict[str, Any]:
        """The form's starting values for an existing initiative (progress in %)."""
        initial = {name: getattr(initiative, name) for name in INITIATIVE_FIELDS}
        initial["owner"] = initiative.owner_id
        initial["objectives"] = [o.pk for o in initiative.objectives.all()]
        if initiative.progress is not None:
            initial["progress"] = round(initiative.progress * 100, 2)
        return initial

    def service_fields(self) -> dict[str, Any]:
        """Cleaned data for initiative_create / initiative_update (progress as 0–1)."""
        data = dict(self.cleaned_data)
        data["objectives"] = list(data["objectives"])
        if data["progress"] is not None:
            data["progress"] = data["progress"] / 100
        return data


INITIATIVE_FIELDS = [
    "name", "description", "status", "start_date", "deadline", "budget", "spent", "progress",
]  # fmt: skip


class TaskForm(_Form):
    """A step of an initiative."""

    name = forms.CharField(max_length=200, label=_("Task"))
    assignee = _person(_("Assignee"))
    deadline = forms.DateField(required=False, widget=DATE, label=_("Deadline"))

    def __init__(self, *args: Any, scorecard: Scorecard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people(scorecard.organization_id)  # type: ignore[attr-defined]


class TaskStateForm(_Form):
    state = forms.ChoiceField(choices=Task.State.choices, label=_("State"))
