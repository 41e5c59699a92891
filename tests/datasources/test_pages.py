"""The data source pages, through real requests: admins set up, preview and pull; the
secrets never come back to the browser; other roles cannot manage sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse

from scorecard.api.services import api_token_create
from scorecard.datasources.models import Connection, DataSource, Run
from scorecard.kpis.models import Measurement

from .conftest import Kpis, WebSource

ORG = "northwind"


def test_an_admin_sets_up_previews_and_pulls_a_source(
    world: Any, kpis: Kpis, sqlite_file: Path
) -> None:
    client = world.client_for("admin")
    listing = reverse("datasource_list", args=[ORG])
    response = client.post(
        listing, {"name": "Finance", "kind": "sql", "url": f"sqlite:///{sqlite_file}"}
    )
    assert response.status_code == 302
    connection = Connection.objects.get()
    response = client.post(
        reverse("datasource_new", args=[ORG]),
        {
            "name": "Monthly sales", "connection": connection.pk, "scorecard": world.scorecard.pk,
            "query": "SELECT kpi, month, amount FROM sales", "schedule": "kpi", "active": "on",
        },
    )  # fmt: skip
    source = DataSource.objects.get()
    assert response["Location"] == reverse("datasource_detail", args=[ORG, source.pk])

    page = client.post(reverse("datasource_preview", args=[ORG, source.pk])).content.decode()
    assert "Preview: what a pull would write" in page and "Nothing has been written." in page
    assert "410.5" in page and page.count(">new</span>") == 4
    assert Measurement.objects.count() == 0

    response = client.post(reverse("datasource_run", args=[ORG, source.pk]), follow=True)
    page = response.content.decode()
    assert "Pulled “<bdi>Monthly sales</bdi>”: 4 new, 0 corrected, 0 unchanged." in page
    assert Measurement.objects.count() == 4
    assert [r.trigger for r in Run.objects.all()] == ["manual", "preview"]


def test_bad_inputs_on_the_pages_say_what_is_wrong(
    world: Any, kpis: Kpis, sqlite_file: Path
) -> None:
    client = world.client_for("admin")
    response = client.post(
        reverse("datasource_list", args=[ORG]), {"name": "X", "kind": "sql", "url": "nope"}
    )
    assert response.status_code == 422
    assert "This is not a database URL" in response.content.decode()
    client.post(
        reverse("datasource_list", args=[ORG]),
        {"name": "Finance", "kind": "sql", "url": f"sqlite:///{sqlite_file}"},
    )
    response = client.post(
        reverse("datasource_new", args=[ORG]),
        {
            "name": "Wipe", "connection": Connection.objects.get().pk, "kpi": kpis.revenue.pk,
            "query": "DELETE FROM sales", "schedule": "kpi",
        },
    )  # fmt: skip
    assert response.status_code == 422
    assert "this statement is DELETE" in response.content.decode()
    assert not DataSource.objects.exists()


def test_secrets_are_never_sent_back(world: Any, kpis: Kpis, web: WebSource) -> None:
    client = world.client_for("admin")
    client.post(
        reverse("datasource_list", args=[ORG]),
        {
            "name": "Web", "kind": "http", "http_format": "csv",
            "url": web.url + "/private?key=qry-Sec-55",
            "headers": "Authorization: Bearer tok-Sec-77",
        },
    )  # fmt: skip
    connection = Connection.objects.get()
    # Saving with blank address and headers keeps them.
    edit = reverse("datasource_connection", args=[ORG, connection.pk])
    page = client.get(edit).content.decode()
    assert "••• stored; leave blank to keep" in page
    client.post(edit, {"name": "Web feed", "kind": "http", "http_format": "csv"})
    client.post(
        reverse("datasource_new", args=[ORG]),
        {"name": "Feed", "connection": connection.pk, "scorecard": world.scorecard.pk,
         "schedule": "manual"},
    )  # fmt: skip
    source = DataSource.objects.get()
    client.post(reverse("datasource_run", args=[ORG, source.pk]))
    assert Measurement.objects.count() == 2  # the stored address and token still work
    # A refused address with a bad URL does not echo the secret either.
    response = client.post(
        edit,
        {
            "name": "Web feed",
            "kind": "http",
            "http_format": "xml",
            "url": "https://x/?t=qry-Sec-99",
        },
    )
    assert response.status_code == 422
    pages = [
        client.get(reverse("datasource_list", args=[ORG])).content.decode(),
        client.get(edit).content.decode(),
        client.get(reverse("datasource_detail", args=[ORG, source.pk])).content.decode(),
        client.post(reverse("datasource_preview", args=[ORG, source.pk])).content.decode(),
        response.content.decode(),
    ]
    for page in pages:
        for secret in ("tok-Sec-77", "qry-Sec-55", "qry-Sec-99"):
            assert secret not in page


def test_editors_and_viewers_cannot_manage_sources(world: Any, kpis: Kpis) -> None:
    for role in ("editor", "viewer", "contributor"):
        client = world.client_for(role)
        response = client.post(
            reverse("datasource_list", args=[ORG]),
            {"name": "Mine", "kind": "sql", "url": "sqlite:////tmp/x.db"},
        )
        assert response.status_code == 403
    assert (
        world.client_for("outsider").get(reverse("datasource_list", args=[ORG])).status_code == 404
    )
    assert not Connection.objects.exists()


def test_the_api_lists_sources_without_secrets_and_pulls_for_admins(
    world: Any, kpis: Kpis, web: WebSource
) -> None:
    client = world.client_for("admin")
    client.post(
        reverse("datasource_list", args=[ORG]),
        {
            "name": "Web", "kind": "http", "http_format": "csv",
            "url": web.url + "/private?key=qry-Sec-55",
            "headers": "Authorization: Bearer tok-Sec-77",
        },
    )  # fmt: skip
    client.post(
        reverse("datasource_new", args=[ORG]),
        {"name": "Feed", "connection": Connection.objects.get().pk,
         "scorecard": world.scorecard.pk, "schedule": "manual"},
    )  # fmt: skip
    source = DataSource.objects.get()

    def call(role: str, method: str, path: str, body: Any = None) -> Any:
        _, token = api_token_create(
            user=getattr(world, role), organization=world.organization, name=f"t-{method}"
        )
        api = Client(headers={"Authorization": f"Bearer {token}"})
        if method == "GET":
            return api.get(path)
        return api.post(path, json.dumps(body), content_type="application/json")

    listing = call("admin", "GET", "/api/v1/data-sources")
    assert listing.status_code == 200
    [item] = listing.json()
    assert item["address"] == web.url + "/private?…" and item["name"] == "Feed"
    dry = call("admin", "POST", f"/api/v1/data-sources/{source.pk}/pull", {"dry_run": True})
    assert dry.json()["new"] == 2 and dry.json()["dry_run"] is True
    assert Measurement.objects.count() == 0
    pulled = call("admin", "POST", f"/api/v1/data-sources/{source.pk}/pull", {})
    assert (pulled.json()["ok"], pulled.json()["new"]) == (True, 2)
    runs = call("admin", "GET", f"/api/v1/data-sources/{source.pk}/runs")
    assert [r["trigger"] for r in runs.json()] == ["manual", "preview"]
    for answer in (listing, dry, pulled, runs):
        text = answer.content.decode()
        assert "tok-Sec-77" not in text and "qry-Sec-55" not in text
    assert call("editor", "GET", "/api/v1/data-sources").json() == []
    refused = call("editor", "POST", f"/api/v1/data-sources/{source.pk}/pull", {})
    assert refused.status_code == 403
