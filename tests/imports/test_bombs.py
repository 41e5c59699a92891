"""Bombs and giants are refused before they are parsed (issue 19, item 4).

A 208 KB XLSX that unpacked to 85 MB took minutes per step and 600 MB of memory.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scorecard.imports import tabular
from scorecard.imports.models import ImportJob

from .conftest import Card, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def _rewrite(path: Path, change: Any, extra: dict[str, bytes] | None = None) -> Path:
    """A copy of the workbook with its parts changed by ``change(name, data)``."""
    out = path.with_name(f"changed-{path.name}")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, change(item.filename, src.read(item.filename)))
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out


def _bomb(tmp_path: Path) -> Path:
    """A small valid workbook that unpacks to 60 MB (a part of zeros, packed ~1000:1)."""
    good = write_xlsx(tmp_path / "values.xlsx", [["sales", "2026-01", 1, ""]])
    return _rewrite(good, lambda _, data: data, {"xl/media/pad.bin": b"\0" * (60 * 1024**2)})


def _upload(card: Card, path: Path) -> Any:
    client = card.world.client_for("editor")
    url = reverse("values_import", args=["northwind", "company"])
    return client.post(url, {"file": SimpleUploadedFile(path.name, path.read_bytes())})


def test_a_zip_bomb_is_refused_on_upload_without_being_unpacked(
    card: Card, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = _bomb(tmp_path)
    assert bomb.stat().st_size < 200_000

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the bomb was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    answer = _upload(card, bomb)
    assert answer.status_code == 422
    assert "refused as a likely zip bomb" in answer.content.decode()
    assert not ImportJob.objects.exists()


def test_a_workbook_that_unpacks_to_too_much_is_refused(
    card: Card, tmp_path: Path, settings: Any
) -> None:
    settings.SCORECARD_IMPORT_MAX_RATIO = 0  # only the size counts here
    settings.SCORECARD_IMPORT_MAX_UNPACKED_BYTES = 10 * 1024**2
    with pytest.raises(tabular.TabularError, match=r"unpacks to 60\.\d MiB; at most 10\.0 MiB"):
        list(tabular.iter_rows(_bomb(tmp_path), "xlsx"))
    answer = _upload(card, _bomb(tmp_path))
    assert answer.status_code == 422 and "unpacks to 60." in answer.content.decode()


def test_a_sheet_claiming_a_giant_size_is_refused_before_reading(
    card: Card, tmp_path: Path
) -> None:
    good = write_xlsx(tmp_path / "values.xlsx", [["sales", "2026-01", 1, ""]])

    def huge(name: str, data: bytes) -> bytes:
        if not name.startswith("xl/worksheets/sheet"):
            return data
        dimension = b'<dimension ref="A1:XFD1048576"/>'
        if b"<dimension" in data:
            return re.sub(rb"<dimension[^>]*/>", dimension, data)
        return data.replace(b"<sheetData", dimension + b"<sheetData", 1)

    giant = _rewrite(good, huge)
    with pytest.raises(tabular.TabularError, match="The sheet says it has more than 1,000,000"):
        list(tabular.iter_rows(giant, "xlsx"))
    answer = _upload(card, giant)
    assert answer.status_code == 422
    assert "The sheet says it has more than 1,000,000 rows" in answer.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_row_and_column_limits(tmp_path: Path, settings: Any, fmt: str) -> None:
    settings.SCORECARD_IMPORT_MAX_ROWS = 10
    settings.SCORECARD_IMPORT_MAX_COLUMNS = 6
    write = write_csv if fmt == "csv" else write_xlsx
    rows = [["sales", f"2026-{m:02d}", m, ""] for m in range(1, 10)]
    fits = write(tmp_path / f"fits.{fmt}", rows)  # header + 9 rows
    assert len(list(tabular.iter_rows(fits, fmt))) == 10
    long = write(tmp_path / f"long.{fmt}", [*rows, ["sales", "2026-10", 10, ""]])
    with pytest.raises(tabular.TabularError, match="more than 10 rows"):
        list(tabular.iter_rows(long, fmt))
    wide = write(tmp_path / f"wide.{fmt}", [[*rows[0], *range(5)]])
    with pytest.raises(tabular.TabularError, match=r"9 columns.*at most 6"):
        list(tabular.iter_rows(wide, fmt))
