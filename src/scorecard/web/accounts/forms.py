"""Forms of the people pages; the services check what needs the database."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scorecard.organizations.models import Organization, Role, Unit

from ..forms import _Form


def _unit_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Home unit"),
        empty_label=_("— none —"),
        help_text=_("Where the person works; optional."),
    )


def _is_email(value: str) -> bool:
    try:
        forms.EmailField().clean(value)
    except forms.ValidationError:
        return False
    return True


def _is_email_but_for_local_letters(value: str) -> bool:
    """Whether ``value`` is an e-mail address once the letters outside ASCII before its
    @ are replaced (an internationalized address, which most mail servers refuse)."""
    local, at, domain = value.rpartition("@")
    if not at or local.isascii():
        return False
    return _is_email("".join(c if c.isascii() else "x" for c in local) + "@" + domain)


class InviteForm(_Form):
    """Invite one or more people by e-mail address, all with the same role."""

    emails = forms.CharField(
        label=_("E-mail addresses"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "ann@example.com, bo@example.com"}),
        help_text=_(
            "One or more, separated by commas or new lines. Each gets a link that works "
            "once, for 7 days."
        ),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        initial=Role.VIEWER,
        help_text=_(
            "Viewers read; contributors enter values; editors change "
            "the strategy; admins manage people."
        ),
    )
    unit = _unit_field()

    MAX_AT_ONCE = 20

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = organization.units.order_by("name")  # type: ignore[attr-defined]

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(";", ",").replace("\n", ",")
        found = list(dict.fromkeys(e.strip() for e in raw.split(",") if e.strip()))
        if not found:
            raise forms.ValidationError(gettext("Enter at least one e-mail address."))
        if len(found) > self.MAX_AT_ONCE:
            raise forms.ValidationError(
                gettext("At most %(count)s addresses at once.") % {"count": self.MAX_AT_ONCE}
            )
        bad = [e for e in found if not _is_email(e)]
        # Well-formed but for letters outside Latin before the @ (王小明@example.com):
        # valid for mail servers that take such addresses, but most do not, and the
        # invitation could not be delivered; say so rather than "not an address".
        local_script = [e for e in bad if _is_email_but_for_local_letters(e)]
        errors = []
        if local_script:
            errors.append(
                gettext(
                    "Letters other than Latin ones before the @, which most mail servers "
                    "cannot deliver to: %(addresses)s. Ask for another address, or make an "
                    "account for the person."
                )
                % {"addresses": ", ".join(local_script)}
            )
        others = [e for e in bad if e not in local_script]
        if others:
            errors.append(
                gettext("Not an e-mail address: %(addresses)s.") % {"addresses": ", ".join(others)}
            )
        if errors:
            raise forms.ValidationError(errors)
        return found


class NewAccountForm(_Form):
    """An account made by an admin when no e-mail can be sent."""

    username = forms.CharField(
        max_length=150, label=_("User name"), help_text=_("What the person signs in with.")
    )
    first_name = forms.CharField(max_length=150, required=False, label=_("First name"))
    last_name = forms.CharField(max_length=150, required=False, label=_("Last name"))
    email = forms.EmailField(max_length=254, required=False, label=_("E-mail (optional)"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)
    unit = _unit_field()

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = organization.units.order_by("name")  # type: ignore[attr-defined]


class JoinForm(_Form):
    """A new account for the person who opened an invitation."""

    username = forms.CharField(
        max_length=150, label=_("User name"), help_text=_("What you will sign in with.")
    )
    first_name = forms.CharField(max_length=150, required=False, label=_("First name"))
    last_name = forms.CharField(max_length=150, required=False, label=_("Last name"))
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", gettext("The two passwords differ."))
        return data


class AccountForm(_Form):
    """My account: name, e-mail, language and which e-mails I want."""

    first_name = forms.CharField(max_length=150, required=False, label=_("First name"))
    last_name = forms.CharField(max_length=150, required=False, label=_("Last name"))
    email = forms.EmailField(
        max_length=254,
        required=False,
        label=_("E-mail"),
        help_text=_("For password resets, mentions and reminders."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("As my browser asks")), *settings.LANGUAGES],
        required=False,
        help_text=_("The language of pages and e-mails, and how numbers and dates are written."),
    )
    email_mentions = forms.BooleanField(
        required=False, label=_("E-mail me when someone mentions me")
    )
    email_reminders = forms.BooleanField(
        required=False, label=_("Reminder e-mails (values due, overdue tasks)")
    )


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's reset form; the view counts requests before it sends anything."""

    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
