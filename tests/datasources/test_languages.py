"""A run's message and row problems read in the language of whoever opens the source's
page, whatever language the run was made in (a scheduled run is made by the worker in
English); runs kept before sentences were kept read as stored."""

from __future__ import annotations

import datetime as dt
import html
import sqlite3
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation

from scorecard import clock
from scorecard.datasources import readers, services
from scorecard.datasources.models import Run
from scorecard.dates import day_month_year
from scorecard.engine.text import gettext_noop, kept, restored
from scorecard.presentation.findings import translated

from .conftest import Kpis
from .test_pull import sql_source

ORG = "northwind"
N = "\u00a0"  # French puts a no-break space before colons and inside « »


def _page(world: Any, source: Any, language: str) -> str:
    client = world.client_for("admin")
    url = reverse("datasource_detail", args=[ORG, source.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _scheduled_run(world: Any, sqlite_file: Path, query: str) -> tuple[Any, Run]:
    source = sql_source(world, f"sqlite:///{sqlite_file}", query)
    assert services.run_due(now=clock.now()) == {"ok": 0, "failed": 1}
    return source, Run.objects.get(source=source)


def test_a_scheduled_run_s_problems_read_in_german_and_french(
    world: Any, kpis: Kpis, sqlite_file: Path
) -> None:
    with sqlite3.connect(sqlite_file) as db:
        db.execute("INSERT INTO sales VALUES ('2026-11-01', 'n/a', 'revenue')")
        db.execute("INSERT INTO sales VALUES ('2026-11-01', 5, 'turnover')")
    db.close()
    source, run = _scheduled_run(world, sqlite_file, "SELECT kpi, month, amount FROM sales")
    # Kept in English (the admin, the API, the command line) ...
    assert (run.trigger, run.error_count) == (Run.Trigger.SCHEDULE, 2)
    assert run.message == "Problems in the rows: 2. Nothing was written."
    assert [e["message"] for e in run.errors] == [
        "'n/a' is not a number",
        f"no KPI has the code “turnover” in the scorecard “{world.scorecard.name}”",
    ]
    # ... and shown in the reader's language.
    card = html.escape(world.scorecard.name)
    german = _page(world, source, "de")
    assert "Probleme in den Zeilen: 2. Nichts wurde geschrieben." in german
    assert "„n/a“ ist keine Zahl" in german
    assert f"keine Kennzahl hat den Code „turnover“ in der Scorecard „{card}“" in german
    for english in ("Problems in the rows", "is not a number", "no KPI has the code"):
        assert english not in german
    french = _page(world, source, "fr")
    assert f"Problèmes dans les lignes{N}: 2. Rien n'a été écrit." in html.unescape(french)
    assert f"aucun indicateur n'a le code «{N}turnover{N}»" in html.unescape(french)
    assert "n’est pas un nombre" in french and "Problems in the rows" not in french


def test_a_driver_s_words_stay_and_our_sentence_around_them_is_translated(
    world: Any, kpis: Kpis, sqlite_file: Path
) -> None:
    source, run = _scheduled_run(world, sqlite_file, "SELECT kpi, month, amount FROM salez")
    assert run.message == "The database refused the query: no such table: salez"
    page = _page(world, source, "de")
    assert "Die Datenbank hat die Abfrage abgelehnt: no such table: salez" in page
    page = _page(world, source, "es")
    assert "La base de datos rechazó la consulta: no such table: salez" in page


def test_dates_in_a_row_problem_are_written_as_the_reader_s_language_writes_them(
    world: Any, kpis: Kpis, sqlite_file: Path
) -> None:
    source, run = _scheduled_run(
        world, sqlite_file, "SELECT kpi, '2026-10-15', amount FROM sales WHERE kpi = 'nps'"
    )
    assert run.errors[0]["message"] == (
        "15 Oct 2026 does not start a period of “Net promoter score”; "
        "that period starts on 1 Oct 2026"
    )
    with translation.override("de"):
        day, start = day_month_year(dt.date(2026, 10, 15)), day_month_year(dt.date(2026, 10, 1))
    page = html.unescape(_page(world, source, "de"))
    assert (
        f"{day} ist kein Beginn einer Periode von „Net promoter score“; "
        f"diese Periode beginnt am {start}"
    ) in page


def test_an_older_run_kept_only_in_english_still_shows(world: Any, kpis: Kpis) -> None:
    source = sql_source(world, "sqlite:////nowhere.db", "SELECT 1")
    now = timezone.now()
    Run.objects.create(
        source=source, trigger=Run.Trigger.SCHEDULE, started_at=now, finished_at=now,
        error_count=1, message="1 problem in the rows; nothing was written.",
        errors=[{"row": 3, "column": "value", "message": "'x' is not a number"}],
    )  # fmt: skip
    page = html.unescape(_page(world, source, "de"))
    assert "1 problem in the rows; nothing was written." in page
    assert "'x' is not a number" in page


def test_a_preview_reads_in_the_person_s_language(
    world: Any, kpis: Kpis, sqlite_file: Path
) -> None:
    source = sql_source(world, f"sqlite:///{sqlite_file}", "SELECT kpi, month, 'lots' FROM sales")
    client = world.client_for("admin")
    url = reverse("datasource_preview", args=[ORG, source.pk])
    page = client.post(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "„lots“ ist keine Zahl" in page and "is not a number" not in page
    assert Run.objects.get().errors[0]["message"] == "'lots' is not a number"


def test_kept_sentences_hold_no_secret_and_a_broken_one_reads_as_stored() -> None:
    sentence = readers.scrubbed(
        gettext_noop("The database cannot be reached: %(error)s"),
        ["pw-Sec-9"],
        error="password pw-Sec-9 refused",
    )
    assert "pw-Sec-9" not in str(kept(sentence)) and "pw-Sec-9" not in sentence
    assert sentence == "The database cannot be reached: password ••• refused"
    # A template whose values no longer fit it (a value lost) shows the stored English.
    broken = {"template": "row %(row)s of %(kpi)s", "values": {"row": 3}}
    assert restored("row 3 of Revenue", broken) == "row 3 of Revenue"
    with translation.override("de"):
        assert translated(
            restored("", kept(gettext_noop("Problems in the rows: %(count)s.", count=1234)))
        ) == ("Probleme in den Zeilen: 1.234.")
