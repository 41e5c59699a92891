"""History pages of a scorecard, objective, KPI and initiative: members read them, the
changes read in words, user text is escaped, and the pages take a constant number of
queries whatever the number of changes."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scorecard.audit.context import acting_as
from scorecard.audit.models import Change
from scorecard.history.selectors import PAGE_SIZE
from scorecard.initiatives import services as initiative_services
from scorecard.kpis import services as kpi_services
from scorecard.strategy import services as strategy_services

pytestmark = pytest.mark.django_db

PERSONAS = ["admin", "editor", "contributor", "viewer", "outsider", "anonymous"]
XSS = "<script>alert(1)</script>"


@pytest.fixture
def history(card):
    """Some changes of every kind, made by the editor."""
    with acting_as(card.world.editor):
        strategy_services.objective_update(objective=card.objective, name=f"Grow {XSS}")
        kpi_services.kpi_update(kpi=card.revenue, target=900)
        kpi_services.measurement_record(
            kpi=card.revenue, period_start=dt.date(2026, 10, 1), value=650, user=card.world.editor
        )
        initiative = initiative_services.initiative_create(
            scorecard=card.scorecard, name="Dealer push", objectives=[card.objective]
        )
        initiative_services.task_create(initiative=initiative, name="Call dealers")
    return card, initiative


def urls(card, initiative):
    return [
        card.url("scorecard_history"),
        card.url("objective_history", "grow"),
        card.url("kpi_history", "revenue"),
        card.url("initiative_history", initiative.pk),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_members_read_every_history_outsiders_get_404(history, persona):
    card, initiative = history
    client = card.world.client_for(persona)
    for url in urls(card, initiative):
        response = client.get(url)
        expected = {"outsider": 404, "anonymous": 302}.get(persona, 200)
        assert response.status_code == expected, url


def test_histories_read_in_words_and_escape_user_text(history):
    card, initiative = history
    client = card.world.client_for("viewer")
    editor = card.world.editor.get_full_name()
    kpi_page = client.get(card.url("kpi_history", "revenue")).content.decode()
    revenue = card.url("kpi_detail", "revenue")
    assert (
        f"<strong><bdi>{editor}</bdi></strong> corrected the value of "
        f'<a href="{revenue}">“<bdi>Revenue</bdi>”</a> '
        "for Oct 2026" in kpi_page
    )
    assert '<del><span class="sr-only">was </span>600\u00a0€</del>' in kpi_page
    assert '<span class="sr-only">now </span>650\u00a0€' in kpi_page
    assert (
        "changed the KPI “Revenue”" in re.sub(r"<[^>]+>", "", kpi_page) and "900\u00a0€" in kpi_page
    )
    objective_page = client.get(card.url("objective_history", "grow")).content.decode()
    assert XSS not in objective_page and "Grow &lt;script&gt;" in objective_page
    assert "changed the KPI" in objective_page  # its KPIs' definitions ...
    assert "value of" not in objective_page  # ... but not their values
    initiative_page = client.get(card.url("initiative_history", initiative.pk)).content.decode()
    initiative_text = re.sub(r"<[^>]+>", "", initiative_page)
    assert "created the task “Call dealers”" in initiative_text
    assert "created the initiative “Dealer push”" in initiative_text
    assert f'href="{card.url("initiative_detail", initiative.pk)}"' in initiative_page


def test_scorecard_history_filters_structure_and_values_and_keeps_deleted_items(history):
    card, _ = history
    kpi_id = card.cost.pk
    kpi_services.kpi_delete(kpi=card.cost)
    client = card.world.client_for("viewer")
    everything = client.get(card.url("scorecard_history")).content.decode()
    assert "deleted the KPI “<bdi>Cost</bdi>”" in everything and "value of" in everything
    structure = client.get(card.url("scorecard_history"), {"show": "structure"}).content.decode()
    assert "value of" not in structure and "deleted the KPI" in structure
    values = client.get(card.url("scorecard_history"), {"show": "values"}).content.decode()
    assert "value of" in values and "deleted the KPI" not in values
    assert Change.objects.filter(kind="kpi", object_id=kpi_id, action="deleted").exists()
    bad = client.get(card.url("scorecard_history"), {"show": "<x>", "before": "abc"})
    assert bad.status_code == 200


def test_history_links_on_the_item_pages(history):
    card, initiative = history
    client = card.world.client_for("viewer")
    pages = {
        card.url("kpi_detail", "revenue"): card.url("kpi_history", "revenue"),
        card.url("objective_detail", "grow"): card.url("objective_history", "grow"),
        card.url("initiative_detail", initiative.pk): card.url("initiative_history", initiative.pk),
        card.url("scorecard_detail"): card.url("scorecard_history"),
    }
    for page, link in pages.items():
        assert f'href="{link}"' in client.get(page).content.decode(), page


def test_unknown_items_are_404(card):
    client = card.world.client_for("viewer")
    assert client.get(card.url("kpi_history", "nope")).status_code == 404
    assert client.get(card.url("objective_history", "nope")).status_code == 404
    assert client.get(card.url("initiative_history", 99999)).status_code == 404


def test_history_pages_take_a_constant_number_of_queries_and_page_older_entries(history):
    card, initiative = history
    client = card.world.client_for("viewer")

    def counts():
        out = []
        for url in urls(card, initiative):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx))
        return out

    small = counts()
    assert max(small) <= 10
    with acting_as(card.world.editor):
        for n in range(1, 60):
            kpi_services.measurement_record(
                kpi=card.revenue, period_start=dt.date(2021, 1, 1), value=n
            )
            kpi_services.measurement_record(
                kpi=card.cost, period_start=dt.date(2026, 10, 1), value=n
            )
            initiative_services.task_create(initiative=initiative, name=f"Task {n}")
            strategy_services.objective_update(objective=card.objective, weight=n + 1)
    assert counts() == small
    html = client.get(card.url("scorecard_history")).content.decode()
    assert html.count('class="change ') == PAGE_SIZE
    assert "Older changes" in html
    older = html.split('class="button secondary" href="')[1].split('"')[0].replace("&amp;", "&")
    rest = client.get(card.url("scorecard_history") + older).content.decode()
    total = Change.objects.filter(scorecard_id=card.scorecard.pk).count()
    assert rest.count('class="change ') == min(PAGE_SIZE, total - PAGE_SIZE)

    def ids(page: str) -> list[int]:
        return [int(i) for i in re.findall(r'id="change-(\d+)"', page)]

    assert max(ids(rest)) < min(ids(html))  # the next page continues where this one ends


NAME = "成本 <b>控制</b>"


@pytest.mark.parametrize(
    ("language", "sentence", "period", "values"),
    [
        ("en", "imported the values of", "for Jan 2026 to Mar 2026", "Values"),
        ("de", "· importiert: Werte von", "für Jan 2026 bis Mär 2026", "Werte"),
        ("fr", "a importé les valeurs de", "pour jan. 2026 à mars 2026", "Valeurs"),
    ],
)
def test_an_import_reads_as_one_entry_per_kpi(card, language, sentence, period, values):
    """A file import's new values: one entry per KPI saying who imported how many values
    for which periods, in the reader's language; the KPI's name (any script) escaped."""
    from scorecard.accounts.models import AccountSettings
    from scorecard.kpis.bulkload import measurement_bulk_load

    card.cost.name = NAME
    card.cost.save()
    rows = [(n + 2, card.cost.pk, dt.date(2026, n + 1, 1), 1000.0 * (n + 1), "") for n in range(3)]
    measurement_bulk_load(batches=[rows], kpis={card.cost.pk: card.cost}, user=card.world.editor)
    entries = Change.objects.filter(kind="measurement", kpi_id=card.cost.pk, action="imported")
    assert entries.count() == 1
    AccountSettings.objects.update_or_create(
        user=card.world.viewer, defaults={"language": language}
    )
    client = card.world.client_for("viewer")
    editor = card.world.editor.get_full_name()
    for url in (card.url("kpi_history", "cost"), card.url("scorecard_history") + "?show=values"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert NAME not in page and "成本 &lt;b&gt;控制&lt;/b&gt;" in page
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
        assert f"{editor} {sentence} “ {NAME} ” {period}".replace("“ ", "“").replace(" ”", "”") in (
            text.replace("“ ", "“").replace(" ”", "”")
        ), url
        assert f"{values} 3" in text, url
