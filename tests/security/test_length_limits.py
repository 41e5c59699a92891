"""Every text people type has a maximum length, on SQLite as on PostgreSQL (issue 19, 5).

SQLite accepted a 4.9 MB objective name and vision; that scorecard's PDF ran for 21
minutes. Names are at most 200 characters, descriptions, visions and missions 10,000:
longer ones are refused with a clear message by forms, the API, documents and the
services alike, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scorecard.initiatives.models import Initiative
from scorecard.initiatives.services import initiative_create
from scorecard.interchange.document import DocumentError, parse_document
from scorecard.kpis.models import Kpi
from scorecard.limits import NAME_MAX, TEXT_MAX
from scorecard.organizations.models import Unit
from scorecard.organizations.services import organization_create, unit_create
from scorecard.strategy.models import Objective, Scorecard
from scorecard.strategy.services import objective_create, scorecard_create, scorecard_update
from tests.api.conftest import ApiWorld
from tests.factories import PerspectiveFactory
from tests.web.test_manage_access import kpi_form

from .test_names_any_script import DOCUMENT

pytestmark = pytest.mark.django_db

LONG_NAME = "N" * (NAME_MAX + 1)
LONG_TEXT = "T" * (TEXT_MAX + 1)


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Unit, Scorecard, Objective, Kpi, Initiative))


def test_the_services_refuse_long_texts_on_every_database(world: Any) -> None:
    mission = world.scorecard.mission
    perspective = PerspectiveFactory(scorecard=world.scorecard)
    before = _counts()
    cases = [
        (lambda: organization_create(name=LONG_NAME), "name"),
        (lambda: unit_create(organization=world.organization, name=LONG_NAME,
                             parent=world.unit), "name"),
        (lambda: scorecard_create(organization=world.organization, unit=world.unit,
                                  name="Long", vision=LONG_TEXT), "vision"),
        (lambda: scorecard_update(scorecard=world.scorecard, mission=LONG_TEXT), "mission"),
        (lambda: objective_create(perspective=perspective, name=LONG_NAME), "name"),
        (lambda: objective_create(perspective=perspective, name="O",
                                  description=LONG_TEXT), "description"),
        (lambda: initiative_create(scorecard=world.scorecard, name="I",
                                   description=LONG_TEXT), "description"),
    ]  # fmt: skip
    for make, field in cases:
        with pytest.raises(ValidationError) as caught:
            make()
        message = caught.value.message_dict[field][0]
        assert "is too long" in message and "at most" in message, message
    assert _counts() == before
    world.scorecard.refresh_from_db()
    assert world.scorecard.mission == mission


def test_the_longest_texts_allowed_are_kept_whole(world: Any) -> None:
    card = scorecard_create(
        organization=world.organization, unit=world.unit, name="L" * NAME_MAX,
        vision="V" * TEXT_MAX, mission="M" * TEXT_MAX,
    )  # fmt: skip
    card.refresh_from_db()
    assert (len(card.name), len(card.vision), len(card.mission)) == (NAME_MAX, TEXT_MAX, TEXT_MAX)


def test_web_forms_refuse_long_texts(world: Any) -> None:
    client = world.client_for("admin")
    perspective = PerspectiveFactory(scorecard=world.scorecard)
    objective = Objective.objects.create(
        scorecard=world.scorecard, perspective=perspective, code="grow", name="Grow"
    )
    before = _counts()
    posts = [
        (reverse("scorecard_new", args=["northwind"]),
         {"name": "X", "unit": world.unit.pk, "vision": LONG_TEXT}),
        (reverse("scorecard_new", args=["northwind"]), {"name": LONG_NAME, "unit": world.unit.pk}),
        (reverse("objective_new", args=["northwind", "company"]),
         {"perspective": perspective.pk, "name": "X", "weight": "1", "description": LONG_TEXT}),
        (reverse("kpi_new", args=["northwind", "company", objective.code]),
         kpi_form(description=LONG_TEXT)),
        (reverse("initiative_new", args=["northwind", "company"]),
         {"name": "X", "description": LONG_TEXT, "status": "planned"}),
        (reverse("unit_new", args=["northwind"]), {"name": LONG_NAME, "parent": world.unit.pk}),
    ]  # fmt: skip
    for url, data in posts:
        answer = client.post(url, data)
        assert answer.status_code == 422, (url, answer.status_code)
        assert "at most" in answer.content.decode(), url
    assert _counts() == before


V1 = "/api/v1"


def test_the_api_refuses_long_texts(api: ApiWorld) -> None:
    world = api.world
    client = api.client("admin")
    perspective = PerspectiveFactory(scorecard=world.scorecard)
    objective = Objective.objects.create(
        scorecard=world.scorecard, perspective=perspective, code="o", name="O"
    )
    before = _counts()
    posts = [
        ("scorecards", {"unit": world.unit.pk, "name": "X", "vision": LONG_TEXT}, "vision"),
        ("scorecards", {"unit": world.unit.pk, "name": LONG_NAME}, "name"),
        ("objectives", {"perspective": perspective.pk, "name": "X",
                        "description": LONG_TEXT}, "description"),
        ("kpis", {"objective": objective.pk, "code": "k", "name": "K", "minimum": 0,
                  "maximum": 9, "description": LONG_TEXT}, "description"),
        ("initiatives", {"scorecard": world.scorecard.pk, "name": LONG_NAME}, "name"),
        ("units", {"parent": world.unit.pk, "name": LONG_NAME}, "name"),
    ]  # fmt: skip
    for path, body, field in posts:
        answer = client.post(f"{V1}/{path}", body)
        assert answer.status_code == 422, (path, answer.content[:300])
        assert any(e["loc"][-1] == field for e in answer.json()["errors"]), answer.json()
    patched = client.patch(f"{V1}/scorecards/{world.scorecard.pk}", {"mission": LONG_TEXT})
    assert patched.status_code == 422
    assert _counts() == before


@pytest.mark.parametrize("field", ["name", "vision"])
def test_documents_refuse_long_texts(field: str) -> None:
    text = DOCUMENT.format(name="Acme")
    text = text.replace('vision: "Acme"', f'vision: "{LONG_TEXT if field == "vision" else "ok"}"')
    if field == "name":
        text = text.replace('name: "Acme"\n    vision', f'name: "{LONG_NAME}"\n    vision')
    with pytest.raises(DocumentError, match="too long"):
        parse_document(text)
