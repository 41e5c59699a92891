"""Reading a source's rows: one read-only SQL statement, or CSV/JSON from a web address.

Everything here reads; nothing writes to the source or to our database. Every failure is
a :class:`ReadError` whose message can be shown to people and logged: it never holds the
URL's password or a header (:func:`scrub` removes them from driver messages).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import decimal
import io
import json
import sqlite3
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import sqlparse
from django.conf import settings
from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlparse import tokens as T

from scorecard.engine.text import Text, gettext_noop, message
from scorecard.kpis.sentences import said
from scorecard.webhooks.egress import AddressRefused, guarded_opener

#: The databases we connect to, and the driver to install for each (docs/data-sources.md).
BACKENDS = {
    "postgresql": gettext_noop("psycopg (installed with Scorecard)"),
    "sqlite": gettext_noop("the sqlite3 module (part of Python)"),
    "mysql": gettext_noop("PyMySQL: pip install 'scorecard[mysql]'"),
    "mariadb": gettext_noop("PyMySQL: pip install 'scorecard[mysql]'"),
    "mssql": gettext_noop("pyodbc and Microsoft's ODBC driver: pip install 'scorecard[mssql]'"),
}
ALLOW_SETTING = "SCORECARD_DATA_SOURCE_ALLOW_HOSTS"


class ReadError(Exception):
    """The source could not be read; the message says why, without secrets.

    Its first argument is a sentence (engine ``Text``: English, with its template and
    values) so that a run can keep it and show it in each reader's language; text from
    a driver or a server is one of its values, scrubbed (:func:`scrubbed`).
    """


@dataclass
class Table:
    """What a source gave: column names and rows of cells (numbers, dates or text)."""

    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


def timeout_seconds() -> int:
    return max(1, int(settings.SCORECARD_DATA_SOURCE_TIMEOUT))


def max_rows() -> int:
    return max(1, int(settings.SCORECARD_DATA_SOURCE_MAX_ROWS))


def max_bytes() -> int:
    return max(1, int(settings.SCORECARD_DATA_SOURCE_MAX_BYTES))


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by •••, on one line, at most 300 characters."""
    for secret in sorted({s for s in secrets if s and len(s) >= 3}, key=len, reverse=True):
        text = text.replace(secret, "•••")
    line = " ".join(text.split())
    return line if len(line) <= 300 else line[:299] + "…"


def scrubbed(template: str, secrets: Iterable[str], **values: str) -> Text:
    """A sentence around text from elsewhere (a driver's or server's words), each value
    scrubbed of ``secrets`` as :func:`scrub` does; the words stay as they came. Callers
    mark ``template`` with ``gettext_noop`` so that makemessages collects it."""
    kept = list(secrets)
    return gettext_noop(template, **{name: scrub(value, kept) for name, value in values.items()})


# --- SQL ----------------------------------------------------------------------------------


def sql_check(query: str) -> str:
    """The query if it is one SELECT (or WITH … SELECT) statement; ValueError otherwise."""
    statements = [s for s in sqlparse.parse(query or "") if s.token_first(skip_cm=True)]
    if not statements:
        raise ValueError(
            said(gettext_noop("Write a query: one SELECT statement (or WITH … SELECT)."))
        )
    if len(statements) > 1:
        raise ValueError(
            said(
                gettext_noop(
                    "Give one statement, not %(count)s: a single SELECT (or WITH … SELECT)."
                ),
                count=str(len(statements)),
            )
        )
    statement = statements[0]
    kind = statement.get_type()
    if kind != "SELECT":
        shown = kind if kind != "UNKNOWN" else str(statement.token_first(skip_cm=True)).upper()
        raise ValueError(
            said(
                gettext_noop(
                    "Only a SELECT (or WITH … SELECT) may be run; this statement is %(kind)s. "
                    "Data sources read; they never change the source database."
                ),
                kind=str(shown),
            )
        )
    for token in statement.flatten():
        word = token.normalized.upper()
        writes = token.ttype in (T.Keyword.DML, T.Keyword.DDL) and word != "SELECT"
        if writes or (token.ttype in T.Keyword and word in ("INTO", "FOR UPDATE")):
            raise ValueError(
                said(
                    gettext_noop(
                        "The query contains %(word)s; only reading statements may be run "
                        "(no INSERT, UPDATE, DELETE, SELECT … INTO or FOR UPDATE)."
                    ),
                    word=word,
                )
            )
    return str(statement).strip().rstrip(";").strip()


def sql_url(text: str) -> URL:
    """The SQLAlchemy URL of ``text`` (postgres:// means psycopg); ValueError if bad."""
    try:
        url = make_url(text.strip())
    except (ArgumentError, ValueError):
        raise ValueError(
            said(
                gettext_noop(
                    "This is not a database URL; write it like "
                    "postgresql://user:password@host:5432/database or sqlite:////path/to/file.db."
                )
            )
        ) from None
    backend = url.get_backend_name()
    if backend == "postgres" or url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    elif url.drivername in ("mysql", "mariadb"):
        url = url.set(drivername=f"{url.drivername}+pymysql")
    elif url.drivername == "mssql":
        url = url.set(drivername="mssql+pyodbc")
    if url.get_backend_name() not in BACKENDS:
        raise ValueError(
            said(
                gettext_noop(
                    "Databases of the kind “%(kind)s” are not supported; use one of %(kinds)s."
                ),
                kind=backend,
                kinds=", ".join(sorted(BACKENDS)),
            )
        )
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        raise ValueError(
            said(gettext_noop("Give the path of the SQLite file: sqlite:////path/to/file.db."))
        )
    return url


def shown_sql_url(url: URL) -> str:
    """The URL without its password (and without query options, which may hold tokens)."""
    return url.set(password=None, query={}).render_as_string(hide_password=True)


def _engine(url: URL, seconds: int) -> Any:
    backend = url.get_backend_name()
    connect_args: dict[str, Any] = {}
    if backend == "postgresql":
        # The server itself keeps the session read-only and stops long statements.
        connect_args = {
            "connect_timeout": seconds,
            "options": f"-c default_transaction_read_only=on -c statement_timeout={seconds * 1000}",
        }
    elif backend == "sqlite":
        # Opened read-only by SQLite itself (mode=ro); a missing file is not created.
        url = url.set(drivername="sqlite+pysqlite", query={"mode": "ro", "uri": "true"})
        url = url.set(database=f"file:{url.database}")
    elif backend in ("mysql", "mariadb"):
        # The server stops a long statement (below); the client waits a little longer, so
        # that the server's clear "interrupted" answer arrives before the socket gives up.
        connect_args = {"connect_timeout": seconds, "read_timeout": seconds + 5}
    elif backend == "mssql":
        connect_args = {"timeout": seconds}
    engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)

    @event.listens_for(engine, "connect")
    def _read_only(dbapi_connection: Any, _record: Any) -> None:
        if backend == "sqlite":
            dbapi_connection.execute("PRAGMA query_only = ON")
            deadline = time.monotonic() + seconds
            dbapi_connection.set_progress_handler(
                lambda: 1 if time.monotonic() > deadline else 0, 10_000
            )
        elif backend in ("mysql", "mariadb"):
            cursor = dbapi_connection.cursor()
            cursor.execute("SET SESSION TRANSACTION READ ONLY")
            for statement in (
                f"SET SESSION MAX_EXECUTION_TIME = {seconds * 1000}",  # MySQL
                f"SET SESSION max_statement_time = {seconds}",  # MariaDB
            ):
                with contextlib.suppress(Exception):
                    cursor.execute(statement)
            cursor.close()
        elif backend == "mssql":
            dbapi_connection.timeout = seconds

    return engine


def _cell(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return value


def read_sql(url_text: str, query: str) -> Table:
    """Run ``query`` read-only against the database at ``url_text``."""
    try:
        url = sql_url(url_text)
        statement = sql_check(query)
    except ValueError as exc:
        raise ReadError(message(exc)) from None
    secrets = [url_text, url.password or ""]
    seconds, limit = timeout_seconds(), max_rows()
    backend = url.get_backend_name()
    try:
        engine = _engine(url, seconds)
    except (NoSuchModuleError, ModuleNotFoundError, ImportError):
        raise ReadError(_no_driver(backend)) from None
    try:
        with engine.connect() as connection:
            result = connection.exec_driver_sql(statement)
            if not result.returns_rows:
                raise ReadError(
                    gettext_noop("The query returned no rows at all (it is not a SELECT).")
                )
            columns = [str(c) for c in list(result.keys())]
            rows = result.fetchmany(limit + 1)
            connection.rollback()
    except ReadError:
        raise
    except (NoSuchModuleError, ModuleNotFoundError, ImportError):
        raise ReadError(_no_driver(backend)) from None
    except DBAPIError as exc:
        raise ReadError(_db_message(exc, backend, seconds, secrets)) from None
    except SQLAlchemyError as exc:
        raise ReadError(
            scrubbed(
                gettext_noop("The database could not be read: %(error)s"), secrets, error=str(exc)
            )
        ) from None
    finally:
        engine.dispose()
    if len(rows) > limit:
        raise ReadError(
            gettext_noop(
                "The query returned more than %(limit)s rows (SCORECARD_DATA_SOURCE_MAX_ROWS); "
                "narrow it down, e.g. to recent periods.",
                limit=limit,
            )
        )
    return Table(columns, [tuple(_cell(c) for c in row) for row in rows])


def _no_driver(backend: str) -> Text:
    return gettext_noop(
        "The driver for %(backend)s databases is not installed: %(install)s.",
        backend=backend,
        install=BACKENDS[backend],
    )


def _db_message(exc: DBAPIError, backend: str, seconds: int, secrets: list[str]) -> Text:
    original = exc.orig
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(original)
    lowered = str(text).lower()
    if (
        "statement timeout" in lowered
        or "interrupted" in lowered
        or "max_execution_time" in (lowered)
        or "max_statement_time" in lowered
        or "during query (timed out)" in lowered
    ):
        return gettext_noop(
            "The query took longer than %(seconds)s s and was stopped "
            "(SCORECARD_DATA_SOURCE_TIMEOUT).",
            seconds=seconds,
        )
    if "read-only" in lowered or "readonly" in lowered or "read only" in lowered:
        return gettext_noop(
            "The query tried to write; data sources only read. Nothing was changed."
        )
    if isinstance(original, sqlite3.OperationalError) and "unable to open" in lowered:
        return gettext_noop(
            "The SQLite file cannot be opened (does it exist, and may the server read it?)."
        )
    if exc.connection_invalidated or "connect" in lowered:
        return scrubbed(
            gettext_noop("The database cannot be reached: %(error)s"), secrets, error=str(text)
        )
    return scrubbed(
        gettext_noop("The database refused the query: %(error)s"), secrets, error=str(text)
    )


# --- HTTP ---------------------------------------------------------------------------------


_REFUSED = gettext_noop(
    "Refused: this address is not on the internet; an administrator of the server can "
    "allow it with %(setting)s.",
    setting=ALLOW_SETTING,
)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, never followed (it could lead to a refused address)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def http_url_check(text: str) -> str:
    """``text`` if it is an http(s) address with a host; ValueError otherwise."""
    text = text.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            said(gettext_noop("Give a web address starting with https:// (or http://) and a host."))
        )
    try:
        _ = parts.port
    except ValueError:
        raise ValueError(
            said(gettext_noop("The port of this address is not a number from 1 to 65535."))
        ) from None
    return text


def shown_http_url(text: str) -> str:
    """The address without user, password and query string (which may hold tokens)."""
    parts = urlsplit(text)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    query = "?…" if parts.query else ""
    return f"{parts.scheme}://{host}{parts.path}{query}"


def read_http(url: str, headers: dict[str, str], fmt: str, records_path: str = "") -> Table:
    """Fetch CSV or JSON from ``url`` (allowed hosts only, time and size limits)."""
    try:
        url = http_url_check(url)
    except ValueError as exc:
        raise ReadError(message(exc)) from None
    secrets = [url, *headers.values(), urlsplit(url).password or "", urlsplit(url).query]
    seconds, limit = timeout_seconds(), max_bytes()
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": "Scorecard data source",
            "Accept": "application/json" if fmt == "json" else "text/csv",
            **headers,
        },
    )
    opener = guarded_opener(_NoRedirect, allow_setting=ALLOW_SETTING)
    try:
        with opener.open(request, timeout=seconds) as response:
            body = response.read(limit + 1)
            charset = response.headers.get_content_charset() or "utf-8"
    except AddressRefused:
        raise ReadError(_REFUSED) from None
    except urllib.error.HTTPError as exc:
        raise ReadError(
            scrubbed(
                gettext_noop("The server answered %(code)s %(reason)s."),
                secrets,
                code=str(exc.code),
                reason=str(exc.reason),
            )
        ) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, AddressRefused):
            raise ReadError(_REFUSED) from None
        if isinstance(exc.reason, TimeoutError):
            raise ReadError(_no_answer(seconds)) from None
        raise ReadError(
            scrubbed(
                gettext_noop("The address cannot be reached: %(error)s"),
                secrets,
                error=str(exc.reason),
            )
        ) from None
    except TimeoutError:
        raise ReadError(_no_answer(seconds)) from None
    except OSError as exc:
        raise ReadError(
            scrubbed(
                gettext_noop("The address cannot be reached: %(error)s"), secrets, error=str(exc)
            )
        ) from None
    if len(body) > limit:
        raise ReadError(
            gettext_noop(
                "The answer is larger than %(limit)s bytes (SCORECARD_DATA_SOURCE_MAX_BYTES).",
                limit=limit,
            )
        )
    try:
        text = body.decode(charset).lstrip("\ufeff")
    except (LookupError, UnicodeDecodeError):
        raise ReadError(
            scrubbed(
                gettext_noop("The answer is not text in %(charset)s."), secrets, charset=charset
            )
        ) from None
    table = parse_json(text, records_path) if fmt == "json" else parse_csv(text)
    if len(table.rows) > max_rows():
        raise ReadError(
            gettext_noop(
                "The answer has more than %(limit)s rows (SCORECARD_DATA_SOURCE_MAX_ROWS).",
                limit=max_rows(),
            )
        )
    return table


def parse_csv(text: str) -> Table:
    """A CSV text with a header row (comma, semicolon or tab, sniffed)."""
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise ReadError(
            gettext_noop("The CSV is empty; it needs a header row and rows of values.")
        ) from None
    except csv.Error as exc:
        raise ReadError(_csv_unreadable(exc)) from None
    rows = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(tuple(row))
            if len(rows) > max_rows():
                break
    except csv.Error as exc:
        raise ReadError(_csv_unreadable(exc)) from None
    return Table([h.strip() for h in header], rows)


def _csv_unreadable(exc: csv.Error) -> Text:
    # Python's csv module words the reason; the answer's contents never reach it.
    return gettext_noop("The CSV cannot be read: %(error)s.", error=scrub(str(exc), []))


def parse_json(text: str, records_path: str = "") -> Table:
    """A JSON list of objects, found at ``records_path`` (dotted keys) if given."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(
            gettext_noop(
                "The answer is not JSON: %(error)s (line %(line)s).",
                error=exc.msg,
                line=str(exc.lineno),
            )
        ) from None
    for key in [k for k in records_path.split(".") if k]:
        if not isinstance(data, dict) or key not in data:
            raise ReadError(
                gettext_noop(
                    "The JSON has no “%(key)s” on the path “%(path)s”.", key=key, path=records_path
                )
            )
        data = data[key]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ReadError(
            gettext_noop(
                "The JSON must be a list of objects such as "
                '[{"period": "2026-10-01", "value": 42}] (set the records path if the list '
                "is inside an object)."
            )
        )
    columns: list[str] = []
    for item in data[: max_rows() + 1]:
        columns.extend(str(k) for k in item if str(k) not in columns)
    rows = [tuple(item.get(c) for c in columns) for item in data[: max_rows() + 1]]
    return Table(columns, rows)


def _no_answer(seconds: int) -> Text:
    return gettext_noop("The server did not answer within %(seconds)s s.", seconds=seconds)


def as_date_or_text(cell: Any) -> Any:
    """Cells as they come: dates stay dates, datetimes become their day."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    return cell
