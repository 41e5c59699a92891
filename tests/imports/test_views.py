"""The export downloads and the import pages, driven by real requests per persona."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from scorecard.imports.models import ImportJob
from scorecard.imports.services import STORAGE_FOLDER
from scorecard.kpis.models import Measurement
from scorecard.kpis.services import measurement_record
from tests.factories import KpiFactory, MeasurementFactory

from .conftest import JAN, Card

pytestmark = pytest.mark.django_db

GOOD = b"KPI code,Period,Value,Note\nsales,2026-01-01,41.5,from the ERP\nnps,2026-04-01,12,\n"
BAD = (
    b"KPI code,Period,Value,Note\n"
    b"sales,2026-01-01,41.5,\n"
    b"sales,2026-02-01,abc,\n"
    b"nosuch,2026-01-01,1,\n"
    b"sales,2026-01-01,42,\n"
)


def waiting_files() -> list[str]:
    """The uploaded files waiting in Django's default storage."""
    if not default_storage.exists(STORAGE_FOLDER):
        return []
    return default_storage.listdir(STORAGE_FOLDER)[1]


@pytest.fixture(autouse=True)
def _files_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Uploaded files go to a folder of this test (Django's storage under MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "files"


def url(name: str, card: Card, *args: Any) -> str:
    return reverse(name, args=["northwind", card.world.scorecard.slug, *args])


def upload(client: Client, card: Card, content: bytes, name: str = "values.csv") -> Any:
    return client.post(url("values_import", card), {"file": SimpleUploadedFile(name, content)})


def job_of(response: Any) -> ImportJob:
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-2]))


# --- export --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("editor", 200), ("contributor", 200), ("viewer", 200), ("outsider", 404)],
)
def test_every_member_may_download_the_values(card: Card, persona: str, status: int) -> None:
    measurement_record(kpi=card.sales, period_start=JAN, value=41.5)
    client = card.world.client_for(persona)
    for fmt in ("csv", "xlsx"):
        response = client.get(url("values_export", card, fmt))
        assert response.status_code == status
        if status == 200:
            assert response["Content-Disposition"].startswith("attachment; filename=")
            assert response["Content-Disposition"].endswith(f'.{fmt}"')


def test_anonymous_visitors_are_sent_to_sign_in(card: Card) -> None:
    response = Client().get(url("values_export", card, "csv"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_csv_download_holds_the_values(card: Card, settings: Any) -> None:
    settings.SCORECARD_TODAY = "2026-11-23"
    measurement_record(kpi=card.sales, period_start=JAN, value=41.5, note="=cmd")
    response = card.world.client_for("viewer").get(url("values_export", card, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="northwind-company-values-2026-11-23.csv"'
    )
    assert response.content.decode("utf-8-sig").splitlines() == [
        "KPI code,KPI name,period,value,target,score (%),status,note",
        "sales,Sales,2026-01-01,41.5,100,41.5,yellow,'=cmd",
    ]


def test_the_xlsx_download_is_a_workbook(card: Card) -> None:
    measurement_record(kpi=card.sales, period_start=JAN, value=41.5)
    response = card.world.client_for("viewer").get(url("values_export", card, "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[2]][:4] == ["sales", "Sales", dt.datetime(2026, 1, 1), 41.5]


def test_an_unknown_format_is_not_found(card: Card) -> None:
    assert card.world.client_for("admin").get(url("values_export", card, "pdf")).status_code == 404


def test_the_download_takes_the_same_queries_for_many_kpis(card: Card) -> None:
    client = card.world.client_for("viewer")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("values_export", card, "csv")).status_code == 200
        return len(ctx.captured_queries)

    MeasurementFactory(kpi=card.sales)
    few = queries()
    for n in range(25):
        kpi = KpiFactory(objective=card.sales.objective, code=f"extra_{n}")
        MeasurementFactory(kpi=kpi)
        MeasurementFactory(kpi=kpi, period_start=JAN.replace(month=2))
    assert queries() == few


def test_the_scorecard_page_links_to_the_files(card: Card) -> None:
    page = card.world.client_for("viewer").get(url("scorecard_detail", card)).content.decode()
    assert url("values_export", card, "xlsx") in page and url("values_export", card, "csv") in page
    assert url("values_import", card) not in page  # viewers may not import
    page = card.world.client_for("contributor").get(url("scorecard_detail", card)).content.decode()
    assert url("values_import", card) in page
    # the links are in the page's body, not in its <title>
    title = page.split("<title>")[1].split("</title>")[0]
    assert "values" not in title and "<" not in title


# --- import: who may --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("editor", 200), ("contributor", 200), ("viewer", 403), ("outsider", 404)],
)
def test_who_may_open_the_import_page(card: Card, persona: str, status: int) -> None:
    client = card.world.client_for(persona)
    assert client.get(url("values_import", card)).status_code == status


@pytest.mark.parametrize(("persona", "status"), [("viewer", 403), ("outsider", 404)])
def test_viewers_and_outsiders_cannot_upload(card: Card, persona: str, status: int) -> None:
    response = upload(card.world.client_for(persona), card, GOOD)
    assert response.status_code == status
    assert ImportJob.objects.count() == 0


def test_another_persons_upload_is_not_found(card: Card) -> None:
    job = job_of(upload(card.world.client_for("editor"), card, GOOD))
    admin = card.world.client_for("admin")
    for name in ("values_import_columns", "values_import_preview"):
        assert admin.get(url(name, card, job.pk)).status_code == 404
    assert admin.post(url("values_import_run", card, job.pk)).status_code == 404
    outsider = card.world.client_for("outsider")
    assert outsider.get(url("values_import_preview", card, job.pk)).status_code == 404


def test_the_upload_needs_a_csrf_token(card: Card) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(card.world.editor)
    response = client.post(url("values_import", card), {"file": SimpleUploadedFile("v.csv", GOOD)})
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


# --- import: bad uploads ----------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_and_not_kept(card: Card, settings: Any) -> None:
    settings.SCORECARD_IMPORT_MAX_BYTES = 1000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # a big upload would go to a temporary file
    content = GOOD + b"sales,2026-03-01,1,padding padding padding\n" * 100
    response = upload(card.world.client_for("editor"), card, content, "big.csv")
    assert response.status_code == 413
    assert "“big.csv” is larger than 1000 bytes" in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert not waiting_files()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"%PDF-1.4", "“report.pdf” is neither a .csv nor an .xlsx file."),
        ("latin.csv", "KPI code,Period,Value\nsales,2026-01-01,café\n".encode("latin-1"),
         "The file is not UTF-8 text (byte 0xe9 at position 42 cannot be read)."),
        ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
         "“old.xlsx” is an old Excel 97-2003 workbook (.xls); save it as .xlsx"),
        ("fake.xlsx", b"KPI code,Period,Value\n", "“fake.xlsx” is not an XLSX workbook"),
        ("zip.csv", b"PK\x03\x04rest", "“zip.csv” is a workbook (XLSX), not CSV text."),
        ("empty.csv", b"", "“empty.csv” is empty."),
        ("header.csv", b"KPI code,Period,Value\n", "The file has a header row but no rows"),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_read_gets_a_clear_error(
    card: Card, name: str, content: bytes, message: str
) -> None:
    response = upload(card.world.client_for("editor"), card, content, name)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert not waiting_files()


def test_uploading_nothing_asks_for_a_file(card: Card) -> None:
    response = card.world.client_for("editor").post(url("values_import", card), {})
    assert response.status_code == 422
    assert "Choose a CSV or XLSX file to upload." in response.content.decode()


# --- import: the whole flow ---------------------------------------------------------------------


def test_columns_preview_and_import_of_a_good_file(card: Card) -> None:
    client = card.world.client_for("editor")
    job = job_of(upload(client, card, GOOD))
    assert job.mapping == {"kpi": 0, "period": 1, "value": 2, "note": 3}
    assert job.created_by == card.world.editor

    page = client.get(url("values_import_columns", card, job.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<option value="0" selected>KPI code</option>' in html
    assert '<option value="3" selected>Note</option>' in html
    assert "from the ERP" in html  # the first rows are shown raw

    response = client.post(
        url("values_import_columns", card, job.pk),
        {"kpi": "0", "period": "1", "value": "2", "note": "3"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("values_import_preview", card, job.pk)
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Net promoter score" in html and "1 Apr 2026" in html
    assert "Import 2 rows" in html
    assert Measurement.objects.count() == 0  # nothing written before "Import"

    done = client.post(url("values_import_run", card, job.pk), follow=True)
    html = done.content.decode()
    assert "Imported 2 rows: 2 new values." in html
    stored = sorted(Measurement.objects.values_list("kpi__code", "value", "note"))
    assert stored == [("nps", 12.0, ""), ("sales", 41.5, "from the ERP")]
    assert all(m.recorded_by == card.world.editor for m in Measurement.objects.all())
    job.refresh_from_db()
    assert job.state == "done" and job.report["created"] == 2
    assert not waiting_files()  # the file is gone once imported
    # running it again does nothing more
    client.post(url("values_import_run", card, job.pk))
    assert Measurement.objects.count() == 2


def test_the_file_waits_in_djangos_storage_not_on_the_servers_disk(
    card: Card, settings: Any, tmp_path: Path
) -> None:
    """With a storage that has no local path (S3-like; here Django's in-memory one),
    upload, columns, preview and import all read the file through the storage API."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    client = card.world.client_for("editor")
    job = job_of(upload(client, card, GOOD))
    assert waiting_files() == [job.stored_name]
    assert not (tmp_path / "files").exists()  # nothing on the local disk
    page = client.get(url("values_import_columns", card, job.pk))
    assert "from the ERP" in page.content.decode()
    client.post(
        url("values_import_columns", card, job.pk),
        {"kpi": "0", "period": "1", "value": "2", "note": "3"},
    )
    preview = client.get(url("values_import_preview", card, job.pk)).content.decode()
    assert "Import 2 rows" in preview
    done = client.post(url("values_import_run", card, job.pk), follow=True)
    assert "Imported 2 rows: 2 new values." in done.content.decode()
    assert Measurement.objects.count() == 2
    assert waiting_files() == []


def test_a_bad_file_lists_each_problem_and_imports_nothing(card: Card) -> None:
    client = card.world.client_for("admin")
    job = job_of(upload(client, card, BAD))
    client.post(
        url("values_import_columns", card, job.pk), {"kpi": "0", "period": "1", "value": "2"}
    )
    html = client.get(url("values_import_preview", card, job.pk)).content.decode()
    assert "3 problems to fix in the file" in html
    assert "Row 3, column &#x27;Value&#x27;: &#x27;abc&#x27; is not a number" in html
    assert (
        "Row 4, column &#x27;KPI code&#x27;: no KPI has the code or name &#x27;nosuch&#x27;" in html
    )
    assert "Row 5, column &#x27;Period&#x27;: row 2 already gives &#x27;Sales&#x27;" in html
    # in the table of rows too: the repeat is marked although the row alone is fine
    table = html.split('class="list importpreview"')[1]
    marked = [part.split("</td>")[0] for part in table.split('<tr class="has-error">')[1:]]
    assert [m.split(">")[-1] for m in marked] == ["3", "4", "5"]
    assert "Import 4 rows" not in html
    response = client.post(url("values_import_run", card, job.pk), follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert Measurement.objects.count() == 0


def test_a_mapping_without_the_value_column_is_refused(card: Card) -> None:
    client = card.world.client_for("admin")
    job = job_of(upload(client, card, GOOD))
    response = client.post(
        url("values_import_columns", card, job.pk), {"kpi": "0", "period": "0", "value": ""}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Column &#x27;KPI code&#x27; is already used for the KPI code." in html
    assert "Choose the column that holds the value." in html


def test_an_xlsx_file_goes_through_the_flow(card: Card, tmp_path: Path) -> None:
    from .conftest import write_xlsx

    path = write_xlsx(
        tmp_path / "v.xlsx", [["sales", JAN, 41.5, None]], ["Code", "Month", "Actual"]
    )
    client = card.world.client_for("editor")
    job = job_of(upload(client, card, path.read_bytes(), "v.xlsx"))
    assert (job.file_format, job.mapping) == (
        "xlsx",
        {"kpi": 0, "period": 1, "value": 2, "note": None},
    )
    client.post(url("values_import_columns", card, job.pk), job.mapping | {"note": ""})
    client.post(url("values_import_run", card, job.pk))
    assert list(Measurement.objects.values_list("value", flat=True)) == [41.5]


def test_contributors_see_which_rows_are_not_theirs(card: Card) -> None:
    client = card.world.client_for("contributor")
    job = job_of(upload(client, card, GOOD))
    client.post(
        url("values_import_columns", card, job.pk), {"kpi": "0", "period": "1", "value": "2"}
    )
    html = client.get(url("values_import_preview", card, job.pk)).content.decode()
    assert "you may not record values for &#x27;Net promoter score&#x27;" in html
    client.post(url("values_import_run", card, job.pk))
    assert Measurement.objects.count() == 0


def test_discarding_forgets_the_file(card: Card) -> None:
    client = card.world.client_for("editor")
    job = job_of(upload(client, card, GOOD))
    response = client.post(url("values_import_discard", card, job.pk))
    assert response.status_code == 302
    assert not ImportJob.objects.exists()
    assert not waiting_files()


@pytest.mark.parametrize(
    ("persona", "written"),
    [("admin", ["nps", "sales"]), ("editor", ["nps", "sales"]), ("contributor", ["sales"])],
)
def test_each_role_imports_the_kpis_it_may_record(
    card: Card, persona: str, written: list[str]
) -> None:
    """The same rules as the bulk API: a contributor only for the KPIs they update."""
    client = card.world.client_for(persona)
    content = GOOD if persona != "contributor" else GOOD.split(b"nps,")[0]
    job = job_of(upload(client, card, content))
    client.post(url("values_import_columns", card, job.pk), job.mapping)
    client.post(url("values_import_run", card, job.pk))
    assert sorted(Measurement.objects.values_list("kpi__code", flat=True)) == written
    assert {m.recorded_by for m in Measurement.objects.all()} == {getattr(card.world, persona)}


def test_a_member_who_became_a_viewer_cannot_go_on(card: Card) -> None:
    from scorecard.organizations.models import Membership

    client = card.world.client_for("editor")
    job = job_of(upload(client, card, GOOD))
    Membership.objects.filter(user=card.world.editor).update(role="viewer")
    for name in ("values_import_columns", "values_import_preview"):
        assert client.get(url(name, card, job.pk)).status_code == 403
    for name in ("values_import_columns", "values_import_run", "values_import_discard"):
        assert client.post(url(name, card, job.pk), job.mapping).status_code == 403
    assert Measurement.objects.count() == 0 and ImportJob.objects.count() == 1


def test_a_workbook_of_several_sheets_asks_which_one(card: Card, tmp_path: Path) -> None:
    from .conftest import HEADER, write_workbook

    path = write_workbook(
        tmp_path / "book.xlsx",
        {
            "Read me": [],
            "January": [HEADER, ["sales", JAN, 1, "jan"]],
            "Codes": [["Id", "When", "Amount"], ["sales", dt.date(2026, 2, 1), 2]],
            "Header only": [HEADER],
        },
    )
    client = card.world.client_for("editor")
    job = job_of(upload(client, card, path.read_bytes(), "book.xlsx"))
    assert (job.sheet, job.headers) == ("January", HEADER)  # the first sheet with a table
    html = client.get(url("values_import_columns", card, job.pk)).content.decode()
    assert "The workbook has 4 sheets; the values are read from “January”." in html
    assert '<option value="January" selected>January</option>' in html

    response = client.post(url("values_import_columns", card, job.pk), {"sheet": "Header only"})
    assert response.status_code == 422
    assert "The sheet “Header only” has a header row but no rows of values." in (
        response.content.decode()
    )
    response = client.post(url("values_import_columns", card, job.pk), {"sheet": "Nope"})
    assert "The workbook has no sheet called “Nope”." in response.content.decode()
    job.refresh_from_db()
    assert job.sheet == "January"

    response = client.post(url("values_import_columns", card, job.pk), {"sheet": "Codes"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.sheet, job.headers, job.state) == ("Codes", ["Id", "When", "Amount"], "uploaded")
    assert job.mapping == {"kpi": None, "period": None, "value": 2, "note": None}  # guessed again
    html = client.get(url("values_import_columns", card, job.pk)).content.decode()
    assert "2026-02-01" in html  # the sample rows come from the chosen sheet
    client.post(url("values_import_columns", card, job.pk), {"kpi": 0, "period": 1, "value": 2})
    preview = client.get(url("values_import_preview", card, job.pk)).content.decode()
    assert "Import 1 row" in preview
    client.post(url("values_import_run", card, job.pk))
    assert list(Measurement.objects.values_list("period_start", "value")) == [
        (dt.date(2026, 2, 1), 2.0)
    ]


def test_a_csv_file_has_no_sheet_choice(card: Card) -> None:
    client = card.world.client_for("editor")
    job = job_of(upload(client, card, GOOD))
    assert job.sheet == ""
    assert (
        'name="sheet"'
        not in client.get(url("values_import_columns", card, job.pk)).content.decode()
    )


def test_the_steps_take_the_same_queries_for_many_kpis_and_rows(card: Card) -> None:
    client = card.world.client_for("contributor")

    def queries(content: bytes) -> list[int]:
        job = job_of(upload(client, card, content))
        counts = []
        for method, name, data in [
            ("get", "values_import_columns", None),
            (
                "post",
                "values_import_columns",
                {k: v for k, v in job.mapping.items() if v is not None},
            ),
            ("get", "values_import_preview", None),
            ("post", "values_import_run", None),
        ]:
            with CaptureQueriesContext(connection) as ctx:
                response = getattr(client, method)(url(name, card, job.pk), data)
                assert response.status_code in (200, 302)
            counts.append(len(ctx.captured_queries))
        return counts

    few = queries(b"KPI code,Period,Value\nsales,2026-01-01,1\n")
    for n in range(25):
        KpiFactory(
            objective=card.sales.objective, code=f"extra_{n}", updater=card.world.contributor
        )
    rows = "".join(f"extra_{n},2026-{m:02d}-01,{m}\n" for n in range(25) for m in range(1, 13))
    assert queries(f"KPI code,Period,Value\n{rows}".encode()) == few
    assert Measurement.objects.count() == 1 + 25 * 12
