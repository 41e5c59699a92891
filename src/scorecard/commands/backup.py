"""Whole-database backup and restore, for the ``scorecard backup`` / ``restore`` commands.

SQLite is copied with its online backup API (a consistent copy while the
application keeps running); PostgreSQL with ``pg_dump``/``pg_restore`` in their
custom format. A backup restores only into the same kind of database: to move
between SQLite and PostgreSQL, export and load scorecard documents instead.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done, with a message for people."""


@dataclass(frozen=True)
class BackupResult:
    """Where a backup was written and how large it is."""

    path: Path
    vendor: str
    size_bytes: int


def default_file_name(vendor: str, stamp: str) -> str:
    """The file name used when none is given, e.g. ``scorecard-20261123-0930.sqlite3``."""
    suffix = "sqlite3" if vendor == "sqlite" else "pgdump"
    return f"scorecard-{stamp}.{suffix}"


def database_vendor(alias: str = DEFAULT_DB_ALIAS) -> str:
    """``sqlite`` or ``postgresql``; any other database is refused."""
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def backup_database(path: Path, alias: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Write a consistent copy of the whole database to ``path`` (which must not exist)."""
    vendor = database_vendor(alias)
    if path.exists():
        raise BackupError(f"{path} exists already; choose another file name.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    partial = path.with_name(path.name + ".partial")
    try:
        if vendor == "sqlite":
            _sqlite_backup(partial, alias)
        else:
            _pg_dump(partial, alias)
        # Renamed only when complete: a killed backup never looks like a good one.
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path=path, vendor=vendor, size_bytes=path.stat().st_size)


def restore_database(path: Path, alias: str = DEFAULT_DB_ALIAS) -> str:
    """Replace the whole database with the backup in ``path``; returns the vendor."""
    vendor = database_vendor(alias)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(PGDUMP_MAGIC):
        kind = "postgresql"
    elif head == SQLITE_MAGIC:
        kind = "sqlite"
    else:
        raise BackupError(f"{path} is not a Scorecard backup (neither SQLite nor pg_dump).")
    if kind != vendor:
        raise BackupError(
            f"{path} is a {kind} backup but the configured database is {vendor}; "
            "use `scorecard export` and `scorecard load` to move between databases."
        )
    if vendor == "sqlite":
        _check_sqlite_backup(path)
        _sqlite_restore(path, alias)
    else:
        _pg_restore(path, alias)
    return vendor


def _known_migrations() -> set[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.disk_migrations)


def _check_sqlite_backup(path: Path) -> None:
    """Refuse files that are not our database, or that a newer release wrote."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as backup:
            rows = backup.execute("SELECT app, name FROM django_migrations").fetchall()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a Scorecard database: {exc}.") from None
    unknown = {(app, name) for app, name in rows} - _known_migrations()
    if unknown:
        app, name = sorted(unknown)[0]
        raise BackupError(
            f"{path} was written by a newer release of Scorecard (it has migration "
            f"{app}.{name}, which this release does not know); upgrade first."
        )


def _sqlite_connection(alias: str) -> sqlite3.Connection:
    connection = connections[alias]
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _sqlite_backup(path: Path, alias: str) -> None:
    target = sqlite3.connect(path)
    try:
        _sqlite_connection(alias).backup(target)
    finally:
        target.close()


def _sqlite_restore(path: Path, alias: str) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(_sqlite_connection(alias))
    finally:
        source.close()


def _pg_environment(alias: str) -> tuple[list[str], dict[str, str]]:
    settings = connections[alias].settings_dict
    args = ["--no-owner", "--no-privileges", "--dbname", str(settings["NAME"])]
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _run(program: str, args: list[str], env: dict[str, str]) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} is not installed or not on the PATH; install the PostgreSQL "
            "client programs of your server's version."
        )
    result = subprocess.run(
        [executable, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        message = result.stderr.strip().splitlines()
        raise BackupError(f"{program} failed: {message[-1] if message else result.returncode}")


def _pg_dump(path: Path, alias: str) -> None:
    args, env = _pg_environment(alias)
    _run("pg_dump", ["--format", "custom", "--file", str(path), *args], env)


def _pg_restore(path: Path, alias: str) -> None:
    connections[alias].close()  # our own idle connection must not hold locks on the tables
    args, env = _pg_environment(alias)
    _run(
        "pg_restore",
        ["--clean", "--if-exists", "--single-transaction", "--exit-on-error", *args, str(path)],
        env,
    )
