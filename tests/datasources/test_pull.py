"""Pulling values from real sources: SQLite, PostgreSQL and CSV/JSON over HTTP.

Each run is all or nothing and read-only, writes through the same service as any
other entry (approvals, corrections kept as history), and leaves a run in the log.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from scorecard.audit.models import Change
from scorecard.datasources import readers, services
from scorecard.datasources.models import Connection, DataSource, Run
from scorecard.imports.values_export import export_values
from scorecard.interchange.document_export import document_export
from scorecard.kpis.models import Measurement

from .conftest import Kpis, WebSource


def sql_source(world: Any, url: str, query: str, **fields: Any) -> DataSource:
    connection = services.connection_save(
        organization=world.organization, name=fields.pop("connection_name", "Finance"),
        kind="sql", url=url,
    )  # fmt: skip
    return services.source_save(
        organization=world.organization, connection=connection, scorecard=world.scorecard,
        name=fields.pop("name", "Monthly sales"), query=query, **fields,
    )  # fmt: skip


def current(kpi: Any) -> dict[str, float]:
    return {
        m.period_start.isoformat(): m.value
        for m in Measurement.objects.filter(kpi=kpi, superseded_at__isnull=True)
    }


ALL_ROWS = "SELECT kpi AS kpi_code, month AS period, amount AS value FROM sales"


# --- the SQL check ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "refusal"),
    [
        ("SELECT 1", None),
        ("select month, amount from sales where amount > 0;", None),
        ("WITH s AS (SELECT * FROM sales) SELECT month, amount FROM s", None),
        ("-- the sales\nSELECT month, amount FROM sales", None),
        ("", "Write a query"),
        ("DELETE FROM sales", "this statement is DELETE"),
        ("SELECT 1; DELETE FROM sales", "Give one statement, not 2"),
        ("WITH s AS (SELECT 1) DELETE FROM sales", "this statement is DELETE"),
        ("UPDATE sales SET amount = 0", "this statement is UPDATE"),
        ("DROP TABLE sales", "this statement is DROP"),
        ("SELECT * INTO copy FROM sales", "contains INTO"),
        ("SELECT * FROM sales FOR UPDATE", "contains UPDATE"),
        ("PRAGMA writable_schema = 1", "this statement is PRAGMA"),
    ],
)
def test_only_a_single_select_may_be_run(query: str, refusal: str | None) -> None:
    if refusal is None:
        assert readers.sql_check(query).lower().startswith(("select", "with", "--"))
    else:
        with pytest.raises(ValueError, match=refusal):
            readers.sql_check(query)


# --- SQLite -----------------------------------------------------------------------------


def test_a_sqlite_source_fills_values_then_corrects_them_with_history(
    world: Any, kpis: Kpis, sqlite_file: Path
) -> None:
    source = sql_source(world, f"sqlite:///{sqlite_file}", ALL_ROWS)
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert (run.ok, run.rows_read, run.new, run.corrected, run.unchanged) == (True, 4, 4, 0, 0)
    assert current(kpis.revenue) == {"2026-08-01": 410.5, "2026-09-01": 455.0, "2026-10-01": 498.25}
    assert current(kpis.nps) == {"2026-10-01": 47.0}

    # Nothing changed at the source: nothing changes here.
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert (run.new, run.corrected, run.unchanged) == (0, 0, 4)

    # Finance corrects October: the correction is kept as history.
    with sqlite3.connect(sqlite_file) as db:
        db.execute("UPDATE sales SET amount = 501 WHERE month = '2026-10-01' AND kpi = 'revenue'")
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert (run.new, run.corrected, run.unchanged) == (0, 1, 3)
    october = Measurement.objects.filter(kpi=kpis.revenue, period_start=dt.date(2026, 10, 1))
    assert sorted(m.value for m in october) == [498.25, 501.0]
    assert october.get(superseded_at__isnull=True).note == "From the data source “Monthly sales”"
    assert Change.objects.filter(action=Change.Action.CORRECTED).count() == 1
    assert Run.objects.filter(source=source).count() == 3


def test_a_source_for_one_kpi_reads_period_and_value(
    world: Any, kpis: Kpis, sqlite_file: Path
) -> None:
    source = sql_source(
        world, f"sqlite:///{sqlite_file}",
        "SELECT month, amount FROM sales WHERE kpi = 'revenue'", kpi=kpis.revenue,
    )  # fmt: skip
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert run.ok and run.new == 3
    assert current(kpis.revenue)["2026-09-01"] == 455.0


def test_the_preview_shows_each_row_and_writes_nothing(
    world: Any, kpis: Kpis, sqlite_file: Path
) -> None:
    Measurement.objects.create(
        kpi=kpis.revenue, period_start=dt.date(2026, 9, 1), value=450,
        recorded_at=dt.datetime(2026, 10, 2, tzinfo=dt.UTC),
    )  # fmt: skip
    source = sql_source(world, f"sqlite:///{sqlite_file}", ALL_ROWS)
    run, outcome = services.run_source(source, trigger=Run.Trigger.PREVIEW, dry_run=True)
    states = [
        (p.kpi.code, p.period_start.isoformat(), p.value, p.state, p.current) for p in outcome.plans
    ]
    assert states == [
        ("revenue", "2026-08-01", 410.5, "new", None),
        ("revenue", "2026-09-01", 455.0, "corrected", 450.0),
        ("revenue", "2026-10-01", 498.25, "new", None),
        ("nps", "2026-10-01", 47.0, "new", None),
    ]
    assert run.dry_run and (run.new, run.corrected) == (3, 1)
    assert Measurement.objects.count() == 1
    assert DataSource.objects.get().last_run_at is None


def test_values_that_need_approval_wait_for_the_owner(
    world: Any, kpis: Kpis, sqlite_file: Path
) -> None:
    kpis.revenue.values_need_approval = True
    kpis.revenue.owner = world.editor
    kpis.revenue.save()
    source = sql_source(world, f"sqlite:///{sqlite_file}", ALL_ROWS)
    run, _ = services.run_source(source, trigger=Run.Trigger.SCHEDULE)
    assert run.ok
    revenue = Measurement.objects.filter(kpi=kpis.revenue)
    assert {m.approval for m in revenue} == {Measurement.Approval.PENDING}
    assert Measurement.objects.get(kpi=kpis.nps).approval == Measurement.Approval.APPROVED


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "SELECT month, amount, kpi FROM salez",
            "The database refused the query: no such table: salez",
        ),
        ("SELECT 'turnover', month, amount FROM sales", "no KPI has the code “turnover”"),
        ("SELECT kpi, 'October', amount FROM sales", "'October' is not a date"),
        ("SELECT kpi, month, 'lots' FROM sales", "'lots' is not a number"),
        (
            "SELECT kpi, '2026-10-15', amount FROM sales",
            "does not start a period of “Revenue”; that period starts on 1 Oct 2026",
        ),
        ("SELECT kpi, month FROM sales", "should have the columns (kpi_code, period, value)"),
    ],
)
def test_bad_rows_give_clear_errors_and_nothing_is_written(
    world: Any, kpis: Kpis, sqlite_file: Path, query: str, message: str
) -> None:
    source = sql_source(world, f"sqlite:///{sqlite_file}", query)
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert not run.ok
    shown = run.message + " ".join(e["message"] for e in run.errors)
    assert message in shown
    assert Measurement.objects.count() == 0


def test_one_bad_row_among_good_ones_writes_nothing(
    world: Any, kpis: Kpis, sqlite_file: Path
) -> None:
    with sqlite3.connect(sqlite_file) as db:
        db.execute("INSERT INTO sales VALUES ('2026-11-01', 'n/a', 'revenue')")
    source = sql_source(world, f"sqlite:///{sqlite_file}", ALL_ROWS)
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert not run.ok and run.rows_read == 5 and run.error_count == 1
    assert [(e["row"], e["column"], e["message"]) for e in run.errors] == [
        (5, "value", "'n/a' is not a number")
    ]
    assert run.message == "Problems in the rows: 1. Nothing was written."
    assert Measurement.objects.count() == 0


def test_too_many_rows_and_a_slow_query_are_stopped(
    world: Any, kpis: Kpis, sqlite_file: Path, settings: Any
) -> None:
    settings.SCORECARD_DATA_SOURCE_MAX_ROWS = 3
    source = sql_source(world, f"sqlite:///{sqlite_file}", ALL_ROWS)
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert "more than 3 rows" in run.message and not run.ok
    settings.SCORECARD_DATA_SOURCE_TIMEOUT = 1
    source.query = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    )
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert run.message == (
        "The query took longer than 1 s and was stopped (SCORECARD_DATA_SOURCE_TIMEOUT)."
    )
    assert Measurement.objects.count() == 0


def test_a_sqlite_source_is_opened_read_only(
    world: Any, kpis: Kpis, sqlite_file: Path, monkeypatch: Any
) -> None:
    # Even a statement that slipped past the check could not write.
    monkeypatch.setattr(readers, "sql_check", lambda query: query)
    with pytest.raises(readers.ReadError, match="tried to write; data sources only read"):
        readers.read_sql(f"sqlite:///{sqlite_file}", "INSERT INTO sales VALUES (1, 2, 3)")
    with sqlite3.connect(sqlite_file) as db:
        assert db.execute("SELECT count(*) FROM sales").fetchone() == (4,)
    # A missing file is not created.
    with pytest.raises(readers.ReadError, match="cannot be opened"):
        readers.read_sql(f"sqlite:///{sqlite_file.parent / 'missing.db'}", "SELECT 1")
    assert not (sqlite_file.parent / "missing.db").exists()


@pytest.mark.parametrize(
    ("kind", "url", "message"),
    [
        ("sql", "not a url", "This is not a database URL"),
        ("sql", "oracle://u:p@host/db", "Databases of the kind “oracle” are not supported"),
        ("sql", "sqlite://", "Give the path of the SQLite file"),
        ("http", "ftp://example.com/values.csv", "Give a web address starting with https://"),
        ("http", "https://example.com:99999/x", "port"),
    ],
)
def test_bad_addresses_are_refused_when_saved(
    world: Any, kind: str, url: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        services.connection_save(
            organization=world.organization, name="X", kind=kind, url=url, http_format="csv"
        )
    assert Connection.objects.count() == 0


def test_a_delete_statement_is_refused_when_saved_and_when_run(
    world: Any, kpis: Kpis, sqlite_file: Path
) -> None:
    with pytest.raises(ValidationError, match="this statement is DELETE"):
        sql_source(world, f"sqlite:///{sqlite_file}", "DELETE FROM sales")
    source = sql_source(world, f"sqlite:///{sqlite_file}", ALL_ROWS, connection_name="Other")
    DataSource.objects.filter(pk=source.pk).update(query="DELETE FROM sales")
    source.refresh_from_db()
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert "this statement is DELETE" in run.message and not run.ok
    with sqlite3.connect(sqlite_file) as db:
        assert db.execute("SELECT count(*) FROM sales").fetchone() == (4,)


# --- PostgreSQL -------------------------------------------------------------------------


def test_a_postgresql_source_is_read_read_only_with_a_timeout(
    world: Any, kpis: Kpis, pg_source_url: str, settings: Any
) -> None:
    source = sql_source(
        world, pg_source_url, "SELECT code, period, amount AS value FROM kpi_values"
    )
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert (run.ok, run.new) == (True, 3), run.message
    assert current(kpis.revenue) == {"2026-09-01": 455.0, "2026-10-01": 498.25}
    # The session is read-only: even a SELECT that writes (nextval) is refused.
    source.query = "SELECT 'nps', date '2026-11-01', nextval('counter')"
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert run.message == "The query tried to write; data sources only read. Nothing was changed."
    settings.SCORECARD_DATA_SOURCE_TIMEOUT = 1
    source.query = "SELECT 'nps', date '2026-11-01', 1 FROM pg_sleep(5)"
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert "took longer than 1 s" in run.message
    source.query = "SELECT code, period, amount FROM missing_table"
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert 'relation "missing_table" does not exist' in run.message
    assert Measurement.objects.count() == 3


# --- HTTP -------------------------------------------------------------------------------


def http_source(world: Any, url: str, fmt: str, **fields: Any) -> DataSource:
    connection = services.connection_save(
        organization=world.organization, name=fields.pop("connection_name", "Web"),
        kind="http", url=url, http_format=fmt, headers=fields.pop("headers", ""),
    )  # fmt: skip
    return services.source_save(
        organization=world.organization, connection=connection, scorecard=world.scorecard,
        name=fields.pop("name", "From the web"), **fields,
    )  # fmt: skip


def test_csv_from_a_web_address(world: Any, kpis: Kpis, web: WebSource) -> None:
    source = http_source(world, web.url + "/values.csv", "csv")
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert (run.ok, run.new) == (True, 2), run.message
    assert current(kpis.revenue) == {"2026-09-01": 455.0, "2026-10-01": 498.25}


def test_json_from_a_web_address_with_mapped_columns(
    world: Any, kpis: Kpis, web: WebSource
) -> None:
    source = http_source(
        world, web.url + "/values.json", "json", kpi=kpis.revenue, records_path="data.items",
        period_column="month", value_column="total",
    )  # fmt: skip
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert run.ok and current(kpis.revenue) == {"2026-10-01": 498.25}
    source.records_path = "data.rows"
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert run.message == "The JSON has no “rows” on the path “data.rows”."


def test_headers_are_sent_and_answers_checked(world: Any, kpis: Kpis, web: WebSource) -> None:
    source = http_source(
        world, web.url + "/private", "csv", headers="Authorization: Bearer tok-Sec-77"
    )
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert run.ok and web.seen_headers[-1]["Authorization"] == "Bearer tok-Sec-77"
    missing = http_source(world, web.url + "/nothing.csv", "csv", connection_name="W2", name="N")
    run, _ = services.run_source(missing, trigger=Run.Trigger.MANUAL)
    assert run.message == "The server answered 404 Not Found."


def test_web_addresses_outside_the_allow_list_are_refused(
    world: Any, kpis: Kpis, web: WebSource, settings: Any
) -> None:
    source = http_source(world, web.url + "/values.csv", "csv")
    settings.SCORECARD_DATA_SOURCE_ALLOW_HOSTS = []
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert run.message.startswith("Refused: this address is not on the internet")
    assert web.seen_headers == [] and Measurement.objects.count() == 0


def test_large_and_slow_answers_are_stopped(
    world: Any, kpis: Kpis, web: WebSource, settings: Any
) -> None:
    settings.SCORECARD_DATA_SOURCE_MAX_BYTES = 20
    source = http_source(world, web.url + "/values.csv", "csv")
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert run.message == "The answer is larger than 20 bytes (SCORECARD_DATA_SOURCE_MAX_BYTES)."
    settings.SCORECARD_DATA_SOURCE_MAX_BYTES = 10_000
    settings.SCORECARD_DATA_SOURCE_TIMEOUT = 1
    slow = http_source(world, web.url + "/slow", "csv", connection_name="Slow", name="Slow")
    run, _ = services.run_source(slow, trigger=Run.Trigger.MANUAL)
    assert run.message == "The server did not answer within 1 s."
    assert Measurement.objects.count() == 0


# --- secrets ----------------------------------------------------------------------------


def test_secrets_are_encrypted_and_never_shown_logged_or_exported(
    world: Any, kpis: Kpis, web: WebSource, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    source = http_source(
        world, web.url + "/private?key=qry-Sec-55", "csv",
        headers="Authorization: Bearer tok-Sec-77",
    )  # fmt: skip
    connection = source.connection
    assert connection.shown_url == web.url + "/private?…"
    assert "tok-Sec-77" not in connection.secret and "qry-Sec-55" not in connection.secret
    services.run_source(source, trigger=Run.Trigger.MANUAL)
    # A database password in a driver's message is scrubbed too.
    db = services.connection_save(
        organization=world.organization, name="Warehouse", kind="sql",
        url="postgresql://reader:pw-Sec-42@127.0.0.1:1/warehouse",
    )  # fmt: skip
    assert db.shown_url == "postgresql+psycopg://reader:***@127.0.0.1:1/warehouse"
    broken = services.source_save(
        organization=world.organization, connection=db, scorecard=world.scorecard,
        name="Warehouse sales", query="SELECT 1",
    )  # fmt: skip
    run, _ = services.run_source(broken, trigger=Run.Trigger.MANUAL)
    assert run.message.startswith("The database cannot be reached")
    values = io.StringIO()
    export_values(scorecard=world.scorecard, fmt="csv", out=values)
    assert "498.25" in values.getvalue()
    everything = [
        caplog.text,
        document_export(organization=world.organization).text,
        values.getvalue(),
        str(list(Run.objects.values())),
        str(list(Connection.objects.values("shown_url", "name"))),
    ]
    for text in everything:
        for secret in ("tok-Sec-77", "qry-Sec-55", "pw-Sec-42"):
            assert secret not in text


def test_a_changed_key_says_the_secret_cannot_be_read(
    world: Any, kpis: Kpis, web: WebSource, settings: Any
) -> None:
    source = http_source(world, web.url + "/values.csv", "csv")
    settings.SCORECARD_DATA_SOURCE_KEY = "another key"
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert "stored secret cannot be read" in run.message
    # Rotation: the new key first, the old one still decrypts.
    settings.SCORECARD_DATA_SOURCE_KEY = f"another key,{settings.SECRET_KEY}"
    run, _ = services.run_source(source, trigger=Run.Trigger.MANUAL)
    assert run.ok


# --- the command ------------------------------------------------------------------------


def test_scorecard_pull_dry_run_then_for_real(
    world: Any, kpis: Kpis, sqlite_file: Path, capsys: Any
) -> None:
    source = sql_source(world, f"sqlite:///{sqlite_file}", ALL_ROWS)
    call_command("pull", source="Monthly sales", dry_run=True)
    out = capsys.readouterr().out
    assert "Monthly sales: 4 rows read; would write 4 new, 0 corrected; 0 unchanged." in out
    assert "row 2: revenue 2026-09-01 455 (new)" in out
    assert Measurement.objects.count() == 0
    call_command("pull", source=str(source.pk))
    assert Measurement.objects.count() == 4
    with pytest.raises(CommandError, match="No data source is called “Nope”"):
        call_command("pull", source="Nope")
