"""The first day of an organization: create it, its top unit, a first scorecard, its admin.

The set-up wizard (web/onboarding) and ``scorecard init`` both call
:func:`organization_setup`. A starter scorecard is a scorecard document in
``starters/`` loaded through the interchange loader, with the organization's own
name, top unit and scorecard name put in its place.

Starters speak every shipped language: ``starters/<key>.yaml`` is English and
``starters/<language>/<key>.yaml`` the same scorecard in German, French or Spanish (the same
codes, units, targets and aggregation — tests/onboarding check it; only names and the
vision differ). The language is the one chosen on the wizard or ``init --language``; it
also names an empty scorecard's four perspectives.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scorecard.interchange.document import DocumentError, OrganizationIn, UnitIn, parse_document
from scorecard.interchange.services import document_load
from scorecard.naming import slug_from
from scorecard.organizations.models import Organization, Role, Unit
from scorecard.organizations.services import membership_set, organization_create
from scorecard.strategy.models import Scorecard
from scorecard.strategy.services import scorecard_create

STARTER_DIR = Path(__file__).resolve().parent / "starters"
EMPTY = "empty"


@dataclass(frozen=True)
class Starter:
    key: str
    label: str | Promise
    description: str | Promise


#: What the first scorecard can start from, in the order the wizard offers it.
STARTERS = [
    Starter(EMPTY, gettext_lazy("An empty Balanced Scorecard"),
            gettext_lazy("The four perspectives (financial, customer, internal processes, "
                         "learning and growth) with nothing in them yet.")),
    Starter("company", gettext_lazy("A company"),
            gettext_lazy("Revenue, margin, customer loyalty, delivery and people: "
                         "6 objectives, 7 KPIs.")),
    Starter("sales", gettext_lazy("A sales team"),
            gettext_lazy("Bookings, new and kept customers, pipeline and coaching: "
                         "5 objectives, 7 KPIs.")),
    Starter("customer-service", gettext_lazy("A customer-service team"),
            gettext_lazy("Satisfaction, first-contact resolution, response times and cost: "
                         "5 objectives, 6 KPIs.")),
    Starter("non-profit", gettext_lazy("A non-profit"),
            gettext_lazy("Mission impact first, then funding, volunteers and learning: "
                         "5 objectives, 6 KPIs.")),
]  # fmt: skip
STARTER_KEYS = [s.key for s in STARTERS]


def setup_languages() -> list[str]:
    """The languages a first scorecard can be made in (the shipped ones)."""
    return [code for code, _name in settings.LANGUAGES]


def default_language() -> str:
    """The active language if shipped, else English."""
    code = (translation.get_language() or settings.LANGUAGE_CODE or "en").split("-")[0]
    return code if code in setup_languages() else "en"


@dataclass(frozen=True)
class SetupResult:
    organization: Organization
    unit: Unit
    scorecard: Scorecard


def _slug(name: str, taken: set[str], fallback: str) -> str:
    """A short name for URLs from ``name``: never empty, never one already taken."""
    base = slug_from(name, max_length=60) or fallback
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organization_setup(
    *,
    name: str,
    unit_name: str = "",
    scorecard_name: str = "",
    starter: str = EMPTY,
    admin: Any,
    language: str = "",
) -> SetupResult:
    """Create an organization with its top unit and first scorecard; ``admin`` runs it.

    ``language`` ("de", "fr", "es", "en"; empty: the active one) names the first
    scorecard's perspectives, objectives and KPIs. Nothing is saved when anything is
    wrong (one transaction).
    """
    language = (language or "").strip()
    if language and language not in setup_languages():
        raise ValidationError(
            {"language": _("Choose one of: %(keys)s.") % {"keys": ", ".join(setup_languages())}}
        )
    with translation.override(language) if language else nullcontext():
        return _setup(
            name=name, unit_name=unit_name, scorecard_name=scorecard_name, starter=starter,
            admin=admin,
        )  # fmt: skip


def _setup(
    *, name: str, unit_name: str, scorecard_name: str, starter: str, admin: Any
) -> SetupResult:
    name, unit_name, scorecard_name = name.strip(), unit_name.strip(), scorecard_name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the organization a name.")
    elif len(name) > 200:
        errors["name"] = _("At most 200 characters.")
    if len(unit_name) > 200:
        errors["unit_name"] = _("At most 200 characters.")
    if len(scorecard_name) > 200:
        errors["scorecard_name"] = _("At most 200 characters.")
    if starter not in STARTER_KEYS:
        errors["starter"] = _("Choose one of: %(keys)s.") % {"keys": ", ".join(STARTER_KEYS)}
    if errors:
        raise ValidationError(errors)
    unit_name = unit_name or name
    org_slug = _slug(name, set(Organization.objects.values_list("slug", flat=True)), "org")
    unit_slug = _slug(unit_name, set(), "top")
    if starter == EMPTY:
        organization = organization_create(name=name, slug=org_slug, root_unit_name=unit_name)
        unit = organization.units.get(parent=None)
        scorecard = scorecard_create(
            organization=organization,
            unit=unit,
            name=scorecard_name or _("%(unit)s scorecard") % {"unit": unit_name},
        )
    else:
        organization, unit, scorecard = _load_starter(
            starter, name=name, slug=org_slug, unit_name=unit_name, unit_slug=unit_slug,
            scorecard_name=scorecard_name, admin=admin,
        )  # fmt: skip
    membership_set(organization=organization, user=admin, role=Role.ADMIN, unit=unit)
    return SetupResult(organization=organization, unit=unit, scorecard=scorecard)


def starter_path(key: str, language: str = "") -> Path:
    """The file of a starter scorecard in ``language`` (empty: the active one; English
    when the language has no version of its own)."""
    if key not in STARTER_KEYS or key == EMPTY:
        raise ValidationError(
            {"starter": _("There is no starter scorecard “%(key)s”.") % {"key": key}}
        )
    language = language or default_language()
    translated = STARTER_DIR / language / f"{key}.yaml"
    return translated if language != "en" and translated.is_file() else STARTER_DIR / f"{key}.yaml"


def starter_text(key: str, language: str = "") -> str:
    """The YAML text of a starter scorecard (in ``language``, else the active one)."""
    return starter_path(key, language).read_text(encoding="utf-8")


def _load_starter(
    key: str, *, name: str, slug: str, unit_name: str, unit_slug: str, scorecard_name: str,
    admin: Any,
) -> tuple[Organization, Unit, Scorecard]:  # fmt: skip
    document = parse_document(starter_text(key))
    cards = [
        card.model_copy(
            update={"unit": unit_slug, **({"name": scorecard_name} if scorecard_name else {})}
        )
        for card in document.scorecards
    ]
    document = document.model_copy(
        update={
            "organization": OrganizationIn(name=name, slug=slug),
            "units": [UnitIn(slug=unit_slug, name=unit_name)],
            "users": [],
            "scorecards": cards,
        }
    )
    try:
        document_load(document=document, loaded_by=admin)
    except DocumentError as exc:  # a starter that no longer loads is our bug; say so plainly
        raise ValidationError(
            {"starter": f"The starter “{key}” could not be loaded: {exc}"}
        ) from exc
    organization = Organization.objects.get(slug=slug)
    unit = organization.units.get(slug=unit_slug)
    scorecard = Scorecard.objects.filter(organization=organization).order_by("pk").first()
    assert scorecard is not None
    return organization, unit, scorecard
