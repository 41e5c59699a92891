"""Review meetings: the numbers are frozen at the meeting and stay the same after new
values; editors keep notes and turn decisions into tasks; everyone reads."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from scorecard.audit.models import Change
from scorecard.initiatives.models import Initiative, Task
from scorecard.kpis import services as kpi_services
from scorecard.kpis.evaluation import scorecard_evaluate
from scorecard.meetings import services
from scorecard.meetings.models import Decision, ReviewMeeting
from tests.factories import (
    InitiativeFactory,
    KpiFactory,
    MeasurementFactory,
    ObjectiveFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HELD = dt.date(2026, 11, 23)
PERSONAS = ["admin", "editor", "contributor", "viewer", "outsider", "anonymous"]


@pytest.fixture
def meeting(card):
    return services.meeting_create(
        scorecard=card.scorecard, title="November review", held_on=HELD, user=card.world.editor
    )


def frozen_value(html: str, code: str) -> str:
    row = re.search(rf'<tr class="kpi" id="frozen-{code}">(.*?)</tr>', html, re.DOTALL)
    assert row is not None, code
    return re.findall(r'<td class="num">(.*?)</td>', row.group(1))[0]


def test_meeting_keeps_a_snapshot_equal_to_the_recomputed_numbers(card, meeting):
    assert meeting.known_at == dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
    assert (meeting.as_of, meeting.view) == (HELD, "period")
    kpis = {
        k["code"]: k
        for p in meeting.snapshot["perspectives"]
        for o in p["objectives"]
        for k in o["kpis"]
    }
    assert (kpis["revenue"]["value"], kpis["cost"]["value"]) == (600, 40)
    assert kpis["revenue"]["window"] == ["2026-10-01", "2026-10-31"]
    again = scorecard_evaluate(
        scorecard=card.scorecard, as_of=meeting.as_of, known_at=meeting.known_at
    )
    assert meeting.snapshot["score"] == again.score
    assert Change.objects.get(kind="meeting").after["title"] == "November review"


def test_meeting_page_shows_the_same_numbers_after_new_values(card, meeting):
    client = card.world.client_for("viewer")
    url = card.url("meeting_detail", meeting.pk)
    before = client.get(url).content.decode()
    assert frozen_value(before, "revenue") == "600\u00a0€"
    score_before = re.search(r'id="meeting-score">(.*?)<', before).group(1)
    # The next day October is corrected and the KPIs are redefined.
    with override_settings(SCORECARD_TODAY="2026-11-24"):
        kpi_services.measurement_record(
            kpi=card.revenue, period_start=dt.date(2026, 10, 1), value=900, user=card.world.editor
        )
        kpi_services.measurement_record(
            kpi=card.cost, period_start=dt.date(2026, 10, 1), value=5, user=card.world.editor
        )
        kpi_services.kpi_update(kpi=card.revenue, target=1000)
        after = client.get(url).content.decode()
        live = client.get(card.url("scorecard_detail")).content.decode()
    assert frozen_value(after, "revenue") == "600\u00a0€"
    assert frozen_value(after, "cost") == "40\u00a0%"
    assert re.search(r'id="meeting-score">(.*?)<', after).group(1) == score_before
    assert "900\u00a0€" in live  # while the scorecard page shows today's numbers
    # Recomputing with the meeting's moment gives the same values too.
    again = scorecard_evaluate(
        scorecard=card.scorecard, as_of=meeting.as_of, known_at=meeting.known_at
    )
    assert again.kpis["revenue"].value == 600 and again.kpis["cost"].value == 40


def test_a_meeting_recorded_later_freezes_the_numbers_at_the_end_of_its_day(card):
    with override_settings(SCORECARD_TODAY="2026-11-25"):
        kpi_services.measurement_record(
            kpi=card.revenue, period_start=dt.date(2026, 10, 1), value=700
        )
        meeting = services.meeting_create(
            scorecard=card.scorecard, title="Late write-up", held_on=HELD, user=card.world.editor
        )
    assert meeting.known_at.date() == HELD
    assert meeting.snapshot["perspectives"][0]["objectives"][0]["kpis"][0]["value"] == 600


def test_bad_meetings_are_refused_with_reasons(card):
    with pytest.raises(ValidationError, match=r"held today or later|day it is held"):
        services.meeting_create(
            scorecard=card.scorecard, title="Next", held_on=HELD + dt.timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="title"):
        services.meeting_create(scorecard=card.scorecard, title="  ", held_on=HELD)
    assert not ReviewMeeting.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reads_and_who_holds_meetings(card, meeting, persona):
    client = card.world.client_for(persona)
    expected_read = {"outsider": 404, "anonymous": 302}.get(persona, 200)
    assert client.get(card.url("meeting_list")).status_code == expected_read
    assert client.get(card.url("meeting_detail", meeting.pk)).status_code == expected_read
    expected_write = {"outsider": 404, "anonymous": 302, "viewer": 403, "contributor": 403}.get(
        persona, 302
    )
    response = client.post(
        card.url("meeting_list"), {"title": "Ad hoc", "held_on": "2026-11-23", "view": "period"}
    )
    assert response.status_code == expected_write
    response = client.post(card.url("meeting_notes", meeting.pk), {"notes": f"by {persona}"})
    assert response.status_code == expected_write
    meeting.refresh_from_db()
    assert (meeting.notes == f"by {persona}") == (persona in {"admin", "editor"})


def test_viewer_reads_notes_and_decisions_without_forms(card, meeting):
    services.meeting_notes_set(
        meeting=meeting, notes="Revenue <b>behind</b>", user=card.world.editor
    )
    services.decision_add(
        meeting=meeting, text="Call the top ten dealers", owner=card.world.contributor
    )
    html = (
        card.world.client_for("viewer").get(card.url("meeting_detail", meeting.pk)).content.decode()
    )
    assert "Revenue &lt;b&gt;behind&lt;/b&gt;" in html
    assert "Call the top ten dealers" in html
    assert "Add a decision" not in html and "Save notes" not in html
    listing = card.world.client_for("viewer").get(card.url("meeting_list")).content.decode()
    assert "November review" in listing and "Hold a review" not in listing
    scorecard_page = (
        card.world.client_for("viewer").get(card.url("scorecard_detail")).content.decode()
    )
    assert card.url("meeting_list") in scorecard_page


def test_notes_keep_their_earlier_versions_in_the_history(card, meeting):
    services.meeting_notes_set(meeting=meeting, notes="first", user=card.world.editor)
    services.meeting_notes_set(meeting=meeting, notes="second", user=card.world.admin)
    last = Change.objects.filter(kind="meeting").order_by("id").last()
    assert (last.before, last.after, last.actor) == (
        {"notes": "first"},
        {"notes": "second"},
        card.world.admin,
    )


def test_a_decision_becomes_a_task_in_decisions_from_reviews(card, meeting):
    client = card.world.client_for("editor")
    response = client.post(
        card.url("meeting_decision", meeting.pk),
        {"text": "Price review", "owner": card.world.contributor.pk, "deadline": "2026-12-15",
         "objective": card.objective.pk},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = Decision.objects.get()
    task = decision.task
    assert (task.name, task.assignee, task.deadline) == (
        "Price review",
        card.world.contributor,
        dt.date(2026, 12, 15),
    )
    initiative = task.initiative
    assert initiative.name == "Decisions from reviews"
    assert list(initiative.objectives.all()) == [card.objective]
    # A second decision for the same objective goes to the same initiative.
    services.decision_add(
        meeting=meeting, text="Second", owner=card.world.viewer, objective=card.objective
    )
    assert Initiative.objects.filter(name="Decisions from reviews").count() == 1
    # Without an objective: one without objectives.
    services.decision_add(meeting=meeting, text="Third", owner=card.world.viewer)
    assert Initiative.objects.filter(name="Decisions from reviews").count() == 2
    assert Task.objects.filter(assignee=card.world.contributor).get().decisions.get() == decision
    html = client.get(card.url("meeting_detail", meeting.pk)).content.decode()
    assert "Price review" in html and "Decisions from reviews" in html


def test_a_decision_can_go_to_a_chosen_initiative(card, meeting):
    initiative = InitiativeFactory(scorecard=card.scorecard, name="Dealer push")
    decision = services.decision_add(
        meeting=meeting, text="Add two dealers", owner=card.world.editor, initiative=initiative
    )
    assert decision.task.initiative == initiative
    assert not Initiative.objects.filter(name="Decisions from reviews").exists()


def test_bad_decisions_are_refused_and_nothing_is_stored(card, meeting):
    client = card.world.client_for("editor")
    url = card.url("meeting_decision", meeting.pk)
    response = client.post(url, {"text": "", "owner": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required" in html
    other_initiative = InitiativeFactory(name="Elsewhere")
    response = client.post(
        url, {"text": "X", "owner": card.world.editor.pk, "initiative": other_initiative.pk}
    )
    assert response.status_code == 422
    stranger = UserFactory(username="stranger")
    with pytest.raises(ValidationError, match="member"):
        services.decision_add(meeting=meeting, text="X", owner=stranger)
    assert not Decision.objects.exists() and not Task.objects.exists()


def test_meeting_and_list_pages_take_a_constant_number_of_queries(card, meeting):
    client = card.world.client_for("editor")
    services.decision_add(meeting=meeting, text="One", owner=card.world.viewer)

    def counts():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as detail:
            assert client.get(card.url("meeting_detail", meeting.pk)).status_code == 200
        with CaptureQueriesContext(connection) as listing:
            assert client.get(card.url("meeting_list")).status_code == 200
        return len(detail), len(listing)

    small = counts()
    assert small[0] <= 18 and small[1] <= 10
    for n in range(12):
        objective = ObjectiveFactory(perspective=card.objective.perspective, code=f"o{n}")
        kpi = KpiFactory(objective=objective, code=f"k{n}")
        MeasurementFactory(kpi=kpi, period_start=dt.date(2026, 10, 1), value=n)
        services.decision_add(meeting=meeting, text=f"Decision {n}", owner=card.world.contributor)
        InitiativeFactory(scorecard=card.scorecard)
    with override_settings(SCORECARD_TODAY="2026-11-23"):
        for n in range(5):
            services.meeting_create(scorecard=card.scorecard, title=f"R{n}", held_on=HELD)
    assert counts() == small


def test_meeting_list_shows_the_score_then_and_the_decisions(card, meeting):
    services.decision_add(meeting=meeting, text="One", owner=card.world.viewer)
    services.decision_add(meeting=meeting, text="Two", owner=card.world.viewer)
    empty = services.meeting_create(scorecard=card.scorecard, title="Quiet one", held_on=HELD)
    html = card.world.client_for("viewer").get(card.url("meeting_list")).content.decode()
    row = re.search(rf'<tr id="meeting-{meeting.pk}">(.*?)</tr>', html, re.DOTALL).group(1)
    cells = [re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    score = f"{meeting.snapshot['score'] * 100:.1f}\u00a0%".split()
    status = {"green": "Green", "yellow": "Yellow", "red": "Red"}[meeting.snapshot["status"]]
    # the score then, as on the meeting page, and how much data it rested on
    assert cells[2] == [*score, status, "from", "2", "of", "2", "KPIs"]
    assert cells[3] == ["2"]  # decisions
    quiet = re.search(rf'<tr id="meeting-{empty.pk}">(.*?)</tr>', html, re.DOTALL).group(1)
    assert re.findall(r'<td class="num">(.*?)</td>', quiet) == ["0"]


def test_the_history_reads_a_meeting_in_words(card, meeting):
    services.meeting_notes_set(meeting=meeting, notes="Agreed", user=card.world.editor)
    html = card.world.client_for("viewer").get(card.url("scorecard_history")).content.decode()
    # (a name's isolation, <bdi>, is no gap in the sentence)
    text = re.sub(r"<[^>]+>", " ", re.sub(r"</?bdi>", "", html))
    text = " ".join(text.replace("\u00a0", " ").split())
    assert "created the review meeting “November review, 23 Nov 2026”" in text
    assert "changed the review meeting “November review, 23 Nov 2026”" in text
    assert "Numbers as known at 23 Nov 2026 12:00" in text
    assert "Numbers as of 23 Nov 2026" in text
    assert "Period Latest period" in text
    assert "(2026-11-23)" not in text and "View period" not in text


def test_the_meetings_report_links_give_the_numbers_known_at_the_meeting(card):
    from io import BytesIO

    from openpyxl import load_workbook

    # Recorded the day after, so its numbers are those known at the end of 22 Nov.
    meeting = services.meeting_create(
        scorecard=card.scorecard, title="Written up late", held_on=dt.date(2026, 11, 22)
    )
    kpi_services.measurement_record(kpi=card.revenue, period_start=dt.date(2026, 10, 1), value=900)
    client = card.world.client_for("viewer")
    html = client.get(card.url("meeting_detail", meeting.pk)).content.decode()
    links = dict(
        (label, href.replace("&amp;", "&"))
        for href, label in re.findall(r'<a href="([^"]*/report\.[a-z]+\?[^"]*)">(\w+)</a>', html)
    )
    assert set(links) == {"PDF", "Excel"} and "known_at=2026-11-22T23" in links["Excel"]

    def revenue_and_numbers(url):
        book = load_workbook(BytesIO(client.get(url).content))
        rows = list(book["Financial"].iter_rows(values_only=True))
        revenue = next(r for r in rows if r[2] == "revenue")
        numbers = next(
            r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0] == "Numbers"
        )
        return revenue[rows[0].index("Value")], numbers

    value, numbers = revenue_and_numbers(links["Excel"])
    assert value == 600
    assert numbers.startswith(
        "As kept by the review meeting “Written up late” (22 Nov 2026, 23:59)"
    )
    value, numbers = revenue_and_numbers(card.url("scorecard_report_xlsx"))
    assert value == 900 and numbers.startswith("Latest:")


@pytest.mark.parametrize(
    ("held_on", "said"),
    [
        ("2026-11-23", "the numbers are kept as they are now."),
        ("2026-11-20", "the numbers are kept as they were known at the end of 20 Nov 2026."),
    ],
)
def test_holding_a_meeting_says_which_numbers_it_keeps(card, held_on, said):
    client = card.world.client_for("editor")
    response = client.post(
        card.url("meeting_list"), {"title": "Check-in", "held_on": held_on, "view": "period"},
        follow=True,
    )  # fmt: skip
    assert f"Held “<bdi>Check-in</bdi>”: {said}" in response.content.decode()
