"""`scorecard backup` and `scorecard restore`: a round trip on the configured database."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from scorecard.kpis.models import Measurement
from scorecard.strategy.models import Objective
from tests.factories import KpiFactory, MeasurementFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db(transaction=True)


def suffix() -> str:
    return "sqlite3" if connection.vendor == "sqlite" else "pgdump"


def test_backup_then_restore_brings_back_the_data(world: Any, tmp_path: Path) -> None:
    objective = ObjectiveFactory(perspective__scorecard=world.scorecard, name="Grow revenue")
    kpi = KpiFactory(objective=objective, code="revenue")
    MeasurementFactory(kpi=kpi, value=1234.5)
    backup = tmp_path / f"nightly.{suffix()}"
    out = StringIO()
    call_command("backup", "-o", str(backup), stdout=out)
    assert backup.is_file() and backup.stat().st_size > 0
    assert "Backed up" in out.getvalue()

    # Things go wrong after the backup: one objective renamed, all values deleted.
    Objective.objects.filter(pk=objective.pk).update(name="Renamed by mistake")
    Measurement.objects.all().delete()

    call_command("restore", str(backup), "--yes", stdout=StringIO())
    connection.close()
    assert Objective.objects.get(pk=objective.pk).name == "Grow revenue"
    assert list(Measurement.objects.values_list("kpi__code", "value")) == [("revenue", 1234.5)]


def test_backup_refuses_to_overwrite_a_file(world: Any, tmp_path: Path) -> None:
    existing = tmp_path / "keep.bin"
    existing.write_bytes(b"precious")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", "-o", str(existing))
    assert existing.read_bytes() == b"precious"


def test_restore_refuses_a_file_that_is_not_a_backup(world: Any, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    with pytest.raises(CommandError, match="is not a Scorecard backup"):
        call_command("restore", str(bogus), "--yes")
    assert Objective.objects.count() >= 0  # the database is still there and usable


def test_restore_refuses_a_missing_file(world: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nope"), "--yes")


def test_restore_refuses_a_backup_of_the_other_kind_of_database(world: Any, tmp_path: Path) -> None:
    other = tmp_path / "other"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
        expected = "is a postgresql backup but the configured database is sqlite"
    else:
        other.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84)
        expected = "is a sqlite backup but the configured database is postgresql"
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(other), "--yes")


def test_restore_asks_for_confirmation(
    world: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = tmp_path / f"b.{suffix()}"
    call_command("backup", "-o", str(backup), stdout=StringIO())
    ObjectiveFactory(perspective__scorecard=world.scorecard, name="Added after the backup")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(backup))
    assert Objective.objects.filter(name="Added after the backup").exists()
