"""Names in every script: codes and slugs are never empty, pages never break (issue 19, 1).

A scorecard named 战略 or an objective named 增长收入 used to get an empty code: the form
answered 500 after saving, and from then on the scorecard page, the strategy map, the home
page and the alignment view were 500 for every member.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scorecard.initiatives.models import Initiative
from scorecard.interchange.document import DocumentError, parse_document
from scorecard.interchange.services import document_load
from scorecard.kpis.models import Kpi
from scorecard.naming import SLUG_RE, slug_for_name, slug_from
from scorecard.organizations.models import Organization, Unit
from scorecard.strategy.models import Objective, Scorecard
from tests.api.conftest import ApiWorld
from tests.factories import PerspectiveFactory
from tests.web.test_manage_access import kpi_form

pytestmark = pytest.mark.django_db

ORG = "northwind"
#: Chinese, emoji only, Arabic (right to left), combining marks, punctuation only.
NAMES = ["增长收入", "🚀📈", "زيادة الإيرادات", "Cafe\u0301 cre\u0300me", "!!!"]

SLUGS = [
    ("增长收入", "zeng-zhang-shou-ru"),
    ("战略", "zhan-lue"),
    ("زيادة الإيرادات", "zydh-lyrdt"),
    ("Cafe\u0301 cre\u0300me", "cafe-creme"),
    ("Café crème", "cafe-creme"),
    ("🚀📈", "rocket-chart-with-upwards-trend"),
    ("Grow revenue", "grow-revenue"),
    ("!!!", ""),
    ("   ", ""),
]


@pytest.mark.parametrize(("name", "slug"), SLUGS)
def test_slugs_are_ascii_transliterations(name: str, slug: str) -> None:
    assert slug_from(name) == slug


def test_a_name_with_nothing_usable_gets_a_numbered_free_slug(world: Any) -> None:
    cards = Scorecard.objects.filter(organization=world.organization)
    first = slug_for_name("!!!", scope=cards, prefix="scorecard")
    assert first == "scorecard-2"  # the world has one scorecard already
    Scorecard.objects.create(organization=world.organization, unit=world.unit, name="?", slug=first)
    assert slug_for_name("…", scope=cards, prefix="scorecard") == "scorecard-3"
    # Two different names that read alike get -2 rather than a refusal.
    Scorecard.objects.create(
        organization=world.organization, unit=world.unit, name="增长", slug="zeng-zhang"
    )
    assert slug_for_name("增長", scope=cards, prefix="scorecard") == "zeng-zhang-2"


def _pages(client: Any, card: Scorecard) -> None:
    """Every page that lists or shows the organization's names answers 200."""
    urls = [
        reverse("home"),
        reverse("organization_detail", args=[ORG]),
        reverse("alignment", args=[ORG]),
        reverse("scorecard_detail", args=[ORG, card.slug]),
        reverse("strategy_map", args=[ORG, card.slug]),
        reverse("initiative_list", args=[ORG, card.slug]),
    ]
    urls += [
        reverse("objective_detail", args=[ORG, card.slug, code])
        for code in card.objectives.values_list("code", flat=True)
    ]
    urls += [
        reverse("kpi_detail", args=[ORG, card.slug, code])
        for code in card.kpis.values_list("code", flat=True)
    ]
    urls += [
        reverse("unit_detail", args=[ORG, slug])
        for slug in Unit.objects.filter(organization__slug=ORG).values_list("slug", flat=True)
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


@pytest.mark.parametrize("name", NAMES)
def test_every_web_create_path_takes_any_name(world: Any, name: str) -> None:
    client = world.client_for("admin")
    unit = client.post(
        reverse("unit_new", args=[ORG]), {"name": f"{name} unit", "parent": world.unit.pk}
    )
    assert unit.status_code == 302, unit.content.decode()[:2000]
    unit = Unit.objects.get(name=f"{name} unit")
    card = client.post(
        reverse("scorecard_new", args=[ORG]), {"name": name, "unit": unit.pk, "vision": name}
    )
    assert card.status_code == 302, card.content.decode()[:2000]
    card = Scorecard.objects.get(name=name)
    perspective = card.perspectives.order_by("position").first()
    objective = client.post(
        reverse("objective_new", args=[ORG, card.slug]),
        {"perspective": perspective.pk, "name": name, "weight": "1", "description": name},
    )
    assert objective.status_code == 302, objective.content.decode()[:2000]
    objective = Objective.objects.get(scorecard=card, name=name)
    kpi = client.post(
        reverse("kpi_new", args=[ORG, card.slug, objective.code]),
        kpi_form(name=name, code="k1", description=name),
    )
    assert kpi.status_code == 302, kpi.content.decode()[:2000]
    initiative = client.post(
        reverse("initiative_new", args=[ORG, card.slug]),
        {"name": name, "description": name, "objectives": [objective.pk], "status": "planned"},
    )
    assert initiative.status_code == 302, initiative.content.decode()[:2000]
    for slug in [unit.slug, card.slug, objective.code]:
        assert SLUG_RE.match(slug), slug
    assert Initiative.objects.filter(scorecard=card, name=name).exists()
    assert Kpi.objects.filter(scorecard=card, name=name).exists()
    _pages(client, card)
    _pages(world.client_for("viewer"), card)


def test_the_same_name_twice_gets_distinct_codes_only_where_names_differ(world: Any) -> None:
    client = world.client_for("editor")
    perspective = PerspectiveFactory(scorecard=world.scorecard)
    url = reverse("objective_new", args=[ORG, "company"])
    for name in ["增长收入", "增長收入", "🚀", "🎉🎉"]:
        answer = client.post(url, {"perspective": perspective.pk, "name": name, "weight": "1"})
        assert answer.status_code == 302, name
    codes = set(world.scorecard.objectives.values_list("code", flat=True))
    assert codes == {"zeng-zhang-shou-ru", "zeng-zhang-shou-ru-2", "rocket", "tada-tada"}
    again = client.post(url, {"perspective": perspective.pk, "name": "增长收入", "weight": "1"})
    assert again.status_code == 422
    assert "uses the code “zeng-zhang-shou-ru”" in again.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "   ", "This field is required"),
        ("name", "\u3000\u00a0", "This field is required"),
        ("code", "增长", "Enter a valid “slug”"),
        ("code", "bad slug", "Enter a valid “slug”"),
    ],
)
def test_bad_names_and_codes_are_refused_and_nothing_is_saved(
    world: Any, field: str, value: str, message: str
) -> None:
    perspective = PerspectiveFactory(scorecard=world.scorecard)
    data = {"perspective": perspective.pk, "name": "Grow", "weight": "1", field: value}
    answer = world.client_for("editor").post(reverse("objective_new", args=[ORG, "company"]), data)
    assert answer.status_code == 422
    assert message in answer.content.decode()
    assert not Objective.objects.exists()


V1 = "/api/v1"


@pytest.mark.parametrize("name", NAMES)
def test_api_creates_take_any_name(api: ApiWorld, name: str) -> None:
    client = api.client("admin")
    unit = client.post(f"{V1}/units", {"parent": api.world.unit.pk, "name": name})
    assert unit.status_code == 201, unit.content
    assert SLUG_RE.match(unit.json()["slug"])
    card = client.post(f"{V1}/scorecards", {"unit": unit.json()["id"], "name": name})
    assert card.status_code == 201, card.content
    assert SLUG_RE.match(card.json()["slug"])
    perspective = client.get(f"{V1}/perspectives", scorecard=card.json()["id"]).json()["items"][0]
    objective = client.post(f"{V1}/objectives", {"perspective": perspective["id"], "name": name})
    assert objective.status_code == 201, objective.content
    assert SLUG_RE.match(objective.json()["code"])
    kpi = client.post(
        f"{V1}/kpis",
        {
            "objective": objective.json()["id"],
            "code": "k1",
            "name": name,
            "minimum": 0,
            "maximum": 9,
        },
    )
    assert kpi.status_code == 201, kpi.content
    _pages(api.world.client_for("admin"), Scorecard.objects.get(pk=card.json()["id"]))


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("scorecards", {"name": "X", "slug": "bad slug"}, "slug"),
        ("scorecards", {"name": "X", "slug": "战略"}, "slug"),
        ("scorecards", {"name": "   "}, "name"),
        ("objectives", {"name": "X", "code": "bad code"}, "code"),
        ("objectives", {"name": "\t"}, "name"),
        ("kpis", {"name": "X", "code": "bad code", "minimum": 0, "maximum": 9}, "code"),
        ("kpis", {"name": "  ", "code": "ok", "minimum": 0, "maximum": 9}, "name"),
        ("units", {"name": "X", "slug": "a/b"}, "slug"),
        ("units", {"name": " "}, "name"),
    ],
)
def test_api_refuses_bad_slugs_codes_and_blank_names(
    api: ApiWorld, path: str, body: dict[str, Any], field: str
) -> None:
    world = api.world
    perspective = PerspectiveFactory(scorecard=world.scorecard)
    objective = Objective.objects.create(
        scorecard=world.scorecard, perspective=perspective, code="o", name="O"
    )
    parents = {
        "scorecards": {"unit": world.unit.pk},
        "objectives": {"perspective": perspective.pk},
        "kpis": {"objective": objective.pk},
        "units": {"parent": world.unit.pk},
    }
    before = (Scorecard.objects.count(), Objective.objects.count(), Kpi.objects.count())
    answer = api.client("admin").post(f"{V1}/{path}", {**parents[path], **body})
    assert answer.status_code in {400, 422}, answer.content
    errors = answer.json()["errors"]
    assert any(error["loc"][-1] == field for error in errors), errors
    assert (Scorecard.objects.count(), Objective.objects.count(), Kpi.objects.count()) == before
    assert Unit.objects.filter(organization=world.organization).count() == 1


DOCUMENT = """
version: 1
organization: {{name: "{name}", slug: acme}}
units:
  - {{slug: hq, name: "{name}"}}
scorecards:
  - slug: main
    name: "{name}"
    vision: "{name}"
    unit: hq
    perspectives:
      - name: "{name}"
        objectives:
          - code: grow
            name: "{name}"
            description: "{name}"
            kpis:
              - {{code: sales, name: "{name}", minimum: 0, maximum: 100}}
    initiatives:
      - {{name: "{name}", objectives: [grow]}}
"""


@pytest.mark.parametrize("name", NAMES)
def test_documents_load_any_name(world: Any, name: str) -> None:
    document = parse_document(DOCUMENT.format(name=name))
    document_load(document=document, loaded_by=world.admin)
    card = Scorecard.objects.get(organization__slug="acme")
    assert card.name == name and card.objectives.get().name == name


def test_documents_refuse_blank_names() -> None:
    with pytest.raises(DocumentError, match="name"):
        document_load(document=parse_document(DOCUMENT.format(name="   ")))
    assert not Organization.objects.filter(slug="acme").exists()


def test_services_never_store_an_empty_or_bad_slug(world: Any) -> None:
    from scorecard.organizations.services import organization_create, unit_create
    from scorecard.strategy.services import objective_create, scorecard_create

    for name in NAMES:
        org = organization_create(name=name)
        assert SLUG_RE.match(org.slug) and SLUG_RE.match(org.units.get().slug)
    with pytest.raises(ValidationError, match="may contain only letters"):
        unit_create(organization=world.organization, name="X", parent=world.unit, slug="a b")
    with pytest.raises(ValidationError, match="may contain only letters"):
        scorecard_create(organization=world.organization, unit=world.unit, name="X", slug="战略")
    perspective = PerspectiveFactory(scorecard=world.scorecard)
    with pytest.raises(ValidationError, match="may contain only letters"):
        objective_create(perspective=perspective, name="X", code="增长")
    assert not Objective.objects.exists()


def test_the_migration_repairs_empty_and_bad_slugs(world: Any) -> None:
    from importlib import import_module

    from django.apps import apps

    repair = import_module("scorecard.strategy.migrations.0003_repair_slugs").repair
    broken = [
        Scorecard.objects.create(organization=world.organization, unit=world.unit, name=name,
                                 slug=slug)
        for name, slug in [("战略", ""), ("战略", "zhan lue"), ("🚀", "bad slug")]
    ]  # fmt: skip
    perspective = PerspectiveFactory(scorecard=world.scorecard)
    objective = Objective.objects.create(
        scorecard=world.scorecard, perspective=perspective, name="增长收入", code=""
    )
    repair(apps, None)
    assert [Scorecard.objects.get(pk=c.pk).slug for c in broken] == [
        "zhan-lue", "zhan-lue-2", "rocket"
    ]  # fmt: skip
    assert Objective.objects.get(pk=objective.pk).code == "zeng-zhang-shou-ru"
    assert Scorecard.objects.get(slug="company").name == "Company"  # good ones stay
    _pages(world.client_for("viewer"), Scorecard.objects.get(slug="zhan-lue"))
