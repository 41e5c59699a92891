"""Writes of pulses: schedule one, send what is due, answer, record the result in a KPI."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from scorecard import clock
from scorecard.accounts.services import languages_of
from scorecard.audit.services import record_change, snapshot
from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.kpis.models import Kpi, Measurement
from scorecard.kpis.services import measurement_record
from scorecard.organizations.access import can
from scorecard.organizations.models import Organization, Role, Unit
from scorecard.strategy.models import Objective

from .models import MAGIC_QUESTION, Answer, Invitation, Pulse
from .selectors import audience, pulse_awareness, work_of

HISTORY_FIELDS = ("question", "unit", "opens_on", "closes_on", "anonymous", "kpi", "kpi_figure")
MAX_SENTENCE = 500


@transaction.atomic
def pulse_schedule(
    *,
    organization: Organization,
    user: Any,
    opens_on: dt.date,
    closes_on: dt.date,
    unit: Unit | None = None,
    anonymous: bool = False,
    question: str = MAGIC_QUESTION,
    kpi: Kpi | None = None,
    kpi_figure: str = Pulse.Figure.LINKED,
    url: str = "",
) -> Pulse:
    """Schedule a pulse (admins only); it goes out at once when it opens today or earlier."""
    if not can(user=user, organization=organization, role=Role.ADMIN):
        raise PermissionDenied(_("Only admins schedule pulses."))
    if unit is not None and unit.organization_id != organization.pk:
        raise ValidationError({"unit": _("The unit belongs to another organization.")})
    if kpi is not None and kpi.scorecard.organization_id != organization.pk:
        raise ValidationError({"kpi": _("The KPI belongs to another organization.")})
    if kpi is not None and kpi.is_calculated:
        raise ValidationError(
            {"kpi": _("“%(name)s” is calculated; choose a KPI with values.") % {"name": kpi.name}}
        )
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The pulse closes before it opens.")})
    if closes_on < clock.today():
        raise ValidationError({"closes_on": _("The pulse would close in the past.")})
    if kpi_figure not in Pulse.Figure.values:
        raise ValidationError(
            {"kpi_figure": _("Unknown figure “%(figure)s”.") % {"figure": kpi_figure}}
        )
    question = question.strip() or MAGIC_QUESTION
    pulse = Pulse.objects.create(
        organization=organization, unit=unit, question=question[:300], opens_on=opens_on,
        closes_on=closes_on, anonymous=anonymous, kpi=kpi, kpi_figure=kpi_figure,
        created_by=user, created_at=clock.now(),
    )  # fmt: skip
    record_change(obj=pulse, before=None, after=snapshot(pulse, HISTORY_FIELDS), actor=user)
    if opens_on <= clock.today():
        pulse_send(pulse=pulse, url=url)
    return pulse


@transaction.atomic
def pulse_send(*, pulse: Pulse, url: str = "") -> int:
    """Invite the pulse's audience and e-mail them (once); the number invited."""
    locked = Pulse.objects.select_for_update().get(pk=pulse.pk)
    if locked.sent_at is not None:
        return 0
    members = audience(pulse)
    Invitation.objects.bulk_create(
        [Invitation(pulse=pulse, user=m.user, unit=m.unit) for m in members],
        ignore_conflicts=True,
    )
    pulse.sent_at = locked.sent_at = clock.now()
    locked.save(update_fields=["sent_at"])
    # Each in the recipient's language (My account, else the site's); the question an
    # admin wrote stays as written.
    languages = languages_of(m.user_id for m in members if m.user.email)
    mails = []
    for member in members:
        if not member.user.email:
            continue
        with translation.override(languages[member.user_id]):
            question = pulse.shown_question
            lines = [question]
            if url:
                lines.append(_("Answer here (under a minute): %(url)s") % {"url": url})
            if pulse.anonymous:
                lines.append(_("Your answer is anonymous."))
        body = "\n\n".join(lines) + "\n"
        mails.append((question, body, settings.DEFAULT_FROM_EMAIL, [member.user.email]))
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return len(members)


def pulses_send_due(*, today: dt.date, url_for: Any = None) -> int:
    """Send every pulse that opens by ``today`` and has not gone out (for a daily cron)."""
    due = Pulse.objects.filter(sent_at__isnull=True, opens_on__lte=today, closes_on__gte=today)
    return sum(pulse_send(pulse=p, url=url_for(p) if url_for else "") for p in due)


@transaction.atomic
def answer_submit(*, pulse: Pulse, user: Any, objectives: list[Objective], sentence: str) -> Answer:
    """Answer the pulse once, while it is open."""
    invitation = Invitation.objects.select_for_update().filter(pulse=pulse, user=user).first()
    if invitation is None:
        raise PermissionDenied(_("This pulse did not ask you."))
    today = clock.today()
    if not pulse.opens_on <= today <= pulse.closes_on:
        raise ValidationError({"__all__": _("This pulse is closed.")})
    if invitation.answered_at is not None:
        raise ValidationError({"__all__": _("You answered this pulse already. Thank you!")})
    sentence = sentence.strip()
    if not sentence:
        raise ValidationError({"sentence": _("Write a sentence about what you are doing.")})
    if len(sentence) > MAX_SENTENCE:
        raise ValidationError(
            {"sentence": _("Keep it under %(count)s characters.") % {"count": MAX_SENTENCE}}
        )
    if any(o.scorecard.organization_id != pulse.organization_id for o in objectives):
        raise ValidationError({"objectives": _("An objective belongs to another organization.")})
    served = work_of(user=user, organization=pulse.organization).objective_ids
    chosen = {o.pk for o in objectives}
    now = clock.now()
    answer = Answer.objects.create(
        pulse=pulse,
        user=None if pulse.anonymous else user,
        unit=invitation.unit,
        sentence=sentence,
        answered_at=now,
        agrees=bool(chosen & served) if served else None,
    )
    answer.objectives.set(objectives)
    invitation.answered_at = now
    invitation.save(update_fields=["answered_at"])
    return answer


@transaction.atomic
def pulse_record_kpi(*, pulse: Pulse, user: Any) -> Measurement:
    """Record the pulse's figure (in per cent, all units) as the KPI's value for the period
    that contains the pulse's opening day; a later call corrects it."""
    if not can(user=user, organization=pulse.organization_id, role=Role.ADMIN):
        raise PermissionDenied(_("Only admins record a pulse in a KPI."))
    if pulse.kpi is None:
        raise ValidationError({"kpi": _("This pulse feeds no KPI; choose one when scheduling.")})
    total = pulse_awareness(pulse)[-1]
    share = total.linked_share if pulse.kpi_figure == Pulse.Figure.LINKED else total.agreeing_share
    if share is None:
        raise ValidationError({"__all__": _("Nobody has answered yet: there is no figure.")})
    fiscal = pulse.organization.fiscal_year_start_month
    period = periods.period_containing(
        pulse.opens_on, et.Interval(pulse.kpi.update_interval), fiscal
    )
    return measurement_record(
        kpi=pulse.kpi, period_start=period.start, value=round(share * 100, 1),
        note=f"Pulse of {pulse.opens_on.isoformat()}: {total.answered} answers", user=user,
    )  # fmt: skip
