"""Sessions are Django's database sessions, read with SQL written once per process
(scorecard.web.sessions, issue 16): sessions made by Django's own store are read the same,
an expired or signed-out session is never read again (in any worker: it lives only in the
database), and a signed-in page still reads it in one query."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends import db as django_db_sessions
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scorecard.web.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_product_uses_this_store() -> None:
    assert settings.SESSION_ENGINE == "scorecard.web.sessions"


def test_a_session_made_by_djangos_own_store_is_read_the_same() -> None:
    theirs = django_db_sessions.SessionStore()
    theirs.update({"answer": 42, "moment": "2026-12-03"})
    theirs.save()
    ours = SessionStore(session_key=theirs.session_key)
    with CaptureQueriesContext(connection) as queries:
        assert dict(ours.items()) == {"answer": 42, "moment": "2026-12-03"}
    assert len(queries) == 1
    assert ours.session_key == theirs.session_key
    # And what ours writes, Django's reads.
    ours["more"] = True
    ours.save()
    again = django_db_sessions.SessionStore(session_key=theirs.session_key)
    assert again["more"] is True and again["answer"] == 42


def test_an_expired_session_is_not_read_and_its_key_is_forgotten() -> None:
    store = SessionStore()
    store["answer"] = 42
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    stale = SessionStore(session_key=store.session_key)
    assert "answer" not in stale
    assert stale.session_key is None  # a new key is made when it is saved


def test_an_unknown_key_reads_nothing() -> None:
    store = SessionStore(session_key="x" * 32)
    assert dict(store.items()) == {}
    assert store.session_key is None


def test_a_signed_out_session_is_refused_on_the_next_request(world: Any) -> None:
    client = world.client_for("viewer")
    page = "/o/northwind/s/company/"
    assert client.get(page).status_code == 200
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post("/logout/").status_code in (200, 302)
    assert not Session.objects.filter(session_key=cookie).exists()
    # The old cookie, sent again (as another worker would receive it): signed out.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = replay.get(page)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_signed_in_request_still_reads_its_session_in_one_query(world: Any) -> None:
    client = world.client_for("viewer")
    client.get("/o/northwind/s/company/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/o/northwind/s/company/").status_code == 200
    sessions = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]
    assert len(sessions) == 1 and sessions[0].startswith("SELECT")
