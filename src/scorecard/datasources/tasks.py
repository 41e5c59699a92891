"""The background task that pulls due data sources (the worker's schedule enqueues it)."""

from __future__ import annotations

from django_tasks import task

from .services import run_due


@task()
def pull_due_sources() -> dict[str, int]:
    """Pull every data source whose time has come."""
    return run_due()
