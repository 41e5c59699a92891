"""Reads for scorecard pages, always scoped to one organization."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper

from scorecard.audit.models import Notification
from scorecard.organizations.models import Membership, Organization, Unit
from scorecard.rawrows import Table

from .models import Scorecard


def scorecard_get(*, organization: Organization, slug: str) -> Scorecard | None:
    """One scorecard of ``organization`` by its short name (its ``organization`` is the
    one given, not read again)."""
    scorecard = (
        Scorecard.objects.select_related("unit", "parent")
        .filter(organization=organization, slug=slug)
        .first()
    )
    if scorecard is not None:
        scorecard.organization = organization
    return scorecard


#: The tables of :func:`scorecard_in`'s query.
_ONE = Table(Scorecard, "s")
_ITS_ORGANIZATION = Table(Organization, "o")
#: That query's SQL by database vendor and number of organizations, written once each.
_IN_SQL: dict[tuple[str, int], str] = {}
#: The ids a 64-bit primary key can hold.
_ID_MIN, _ID_MAX = -(2**63), 2**63 - 1


def scorecard_in(*, pk: int, organization_ids: Sequence[int]) -> Scorecard | None:
    """The scorecard ``pk`` with its organization (and so its data version) if it belongs
    to one of ``organization_ids``, else None: the scores API's lookup (issue 16), in one
    query whose SQL is written once per process (``scorecard.rawrows``)."""
    # An id no row can have finds nothing, as through the ORM (SQLite would refuse an
    # integer past 64 bits instead of answering).
    if not organization_ids or not _ID_MIN <= pk <= _ID_MAX:
        return None
    connection = connections[router.db_for_read(Scorecard)]
    key = (connection.vendor, len(organization_ids))
    sql = _IN_SQL.get(key)
    if sql is None:
        s, o, c = _ONE, _ITS_ORGANIZATION, connection
        among = ", ".join(["%s"] * len(organization_ids))
        sql = _IN_SQL[key] = (
            f"SELECT {s.columns(c)}, {o.columns(c)} FROM {s.source(c)} "
            f"INNER JOIN {o.source(c)} ON {o.column(c, 'id')} = {s.column(c, 'organization')} "
            f"WHERE {s.column(c, 'id')} = %s AND {s.column(c, 'organization')} IN ({among})"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, *organization_ids])
        row = cursor.fetchone()
    if row is None:
        return None
    scorecard: Scorecard = _ONE.build(connection, row, 0)
    scorecard.organization = _ITS_ORGANIZATION.build(connection, row, _ONE.width)
    return scorecard


def scorecard_list(*, organization: Organization) -> list[Scorecard]:
    """The organization's scorecards, parents before their children."""
    cards = list(
        Scorecard.objects.filter(organization=organization).select_related("unit").order_by("name")
    )
    return sorted(cards, key=lambda c: (c.parent_id is not None, c.name))


@dataclass(frozen=True)
class MemberScorecard:
    """A scorecard as one member reaches it: the scorecard (with its organization and
    unit), the member's membership (with the same organization) and how many of the
    member's notifications are unread (the header's "Mentions")."""

    scorecard: Scorecard
    membership: Membership
    unread: int


#: The tables of the one query of :func:`scorecard_of_member`, in the order of its row.
_SCORECARD = Table(Scorecard, "s")
_ORGANIZATION = Table(Organization, "o")
_MEMBERSHIP = Table(Membership, "m")
_UNIT = Table(Unit, "u")
_PARENT = Table(Scorecard, "p")
_NOTIFICATION = Table(Notification, "n")
#: That query's SQL by database vendor (the quoting differs), written once per process.
_MEMBER_SQL: dict[str, str] = {}


def _member_scorecard_sql(connection: BaseDatabaseWrapper) -> str:
    """The SQL of :func:`scorecard_of_member`; its parameters are the user's id (for the
    unread count), the user's id (for the membership), the organization's slug and the
    scorecard's slug. At most one row: organization slugs are unique, scorecard slugs
    unique in their organization and a user has one membership per organization."""
    sql = _MEMBER_SQL.get(connection.vendor)
    if sql is None:
        s, o, m, u, p, n = _SCORECARD, _ORGANIZATION, _MEMBERSHIP, _UNIT, _PARENT, _NOTIFICATION
        c = connection
        unread = (
            f"SELECT COUNT(*) FROM {n.source(c)} "
            f"WHERE {n.column(c, 'user')} = %s AND {n.column(c, 'read_at')} IS NULL"
        )
        sql = (
            f"SELECT {s.columns(c)}, {o.columns(c)}, {m.columns(c)}, {u.columns(c)}, "
            f"{p.columns(c)}, ({unread}) "
            f"FROM {s.source(c)} "
            f"INNER JOIN {o.source(c)} ON {o.column(c, 'id')} = {s.column(c, 'organization')} "
            f"INNER JOIN {m.source(c)} ON {m.column(c, 'organization')} = {o.column(c, 'id')} "
            f"INNER JOIN {u.source(c)} ON {u.column(c, 'id')} = {s.column(c, 'unit')} "
            f"LEFT OUTER JOIN {p.source(c)} ON {p.column(c, 'id')} = {s.column(c, 'parent')} "
            f"WHERE {m.column(c, 'user')} = %s AND {o.column(c, 'slug')} = %s "
            f"AND {s.column(c, 'slug')} = %s"
        )
        _MEMBER_SQL[connection.vendor] = sql
    return sql


def scorecard_of_member(*, user: Any, org_slug: str, slug: str) -> MemberScorecard | None:
    """The scorecard ``slug`` of the organization ``org_slug`` if ``user`` is a member of
    it, with the membership and the unread count, in **one query** (the scorecard page
    on a cache hit: issue 16). None for an unknown organization or scorecard and for an
    outsider alike. The membership is read afresh, as ``organization_with_role`` reads
    it: a removed member or a changed role counts on the very next request.

    The scorecard comes with its organization, unit and parent (None for a top
    scorecard), the membership with the same organization and ``user``. The query's SQL
    is written once per process (:func:`_member_scorecard_sql`; the ORM compiled it
    again on every page: 3 ms of CPU, docs/performance.md) and the objects are built
    from its row as the ORM would (scorecard.rawrows)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    connection = connections[router.db_for_read(Scorecard)]
    with connection.cursor() as cursor:
        cursor.execute(_member_scorecard_sql(connection), [user.pk, user.pk, org_slug, slug])
        row = cursor.fetchone()
    if row is None:
        return None
    at = 0
    built = []
    for table in (_SCORECARD, _ORGANIZATION, _MEMBERSHIP, _UNIT, _PARENT):
        built.append(table.build(connection, row, at))
        at += table.width
    scorecard, organization, membership, unit, parent = built
    scorecard.organization = organization
    scorecard.unit = unit
    scorecard.parent = parent
    membership.organization = organization
    membership.user = user
    return MemberScorecard(scorecard=scorecard, membership=membership, unread=int(row[at]))
