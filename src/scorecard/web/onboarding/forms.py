"""Forms of the set-up wizard."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scorecard.onboarding.services import STARTERS, default_language

from ..forms import _Form


class SetupForm(_Form):
    """The organization, its top unit and what the first scorecard starts from."""

    name = forms.CharField(
        max_length=200, label=_("Organization name"), help_text=_("e.g. Northwind Outdoor")
    )
    unit_name = forms.CharField(
        max_length=200,
        required=False,
        label=_("Top unit"),
        help_text=_(
            "The whole organization as the top of the unit tree; departments go under "
            "it later. Empty: the organization's name."
        ),
    )
    starter = forms.ChoiceField(
        label=_("First scorecard"),
        widget=forms.RadioSelect,
        choices=[(s.key, s.label) for s in STARTERS],
        initial=STARTERS[0].key,
    )
    scorecard_name = forms.CharField(
        max_length=200,
        required=False,
        label=_("Scorecard name"),
        help_text=_("Empty: “<top unit> scorecard”, or the starter's own name."),
    )

    language = forms.ChoiceField(
        label=_("Language of the scorecard"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_(
            "The language of the perspectives, objectives and KPIs it starts with; "
            "rename them freely afterwards."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = default_language()

    def starters(self) -> list[dict[str, Any]]:
        """The choices with their one-line descriptions, for the template."""
        chosen = self["starter"].value() or STARTERS[0].key
        return [
            {
                "key": s.key,
                "label": s.label,
                "description": s.description,
                "checked": s.key == chosen,
            }
            for s in STARTERS
        ]


class FirstAdminForm(SetupForm):
    """On a fresh install: the first person's account as well."""

    username = forms.CharField(max_length=150, label=_("Your user name"))
    email = forms.EmailField(
        max_length=254,
        required=False,
        label=_("Your e-mail"),
        help_text=_("For password resets; optional."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = [
        "username",
        "email",
        "password1",
        "password2",
        "name",
        "unit_name",
        "starter",
        "scorecard_name",
        "language",
    ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", gettext("The two passwords differ."))
        return data
