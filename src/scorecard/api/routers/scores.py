"""Scores: every number the scorecard page shows, computed by the engine."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.renderers import JSONRenderer
from pydantic import Field

from scorecard import clock
from scorecard.engine.types import View
from scorecard.engine.windows import WindowError, custom_window, default_as_of
from scorecard.interchange.scores import result_as_dict
from scorecard.kpis.evaluation import scorecard_evaluate, scorecard_evaluate_as
from scorecard.kpis.structure import structure_changed_after
from scorecard.meetings.frozen import meeting_scores
from scorecard.meetings.models import ReviewMeeting
from scorecard.presentation.messages import window_error_text
from scorecard.strategy.selectors import scorecard_in

from ..access import NOT_FOUND, access_of
from ..common import get_or_404
from ..errors import ApiError
from ..fields import Day, Moment

router = Router(tags=["scores"])


class ScoreParams(Schema):
    as_of: Day | None = Field(None, description="The day to score as of (default: today).")
    view: View = Field(View.PERIOD, description="Window: the latest period, month, ..., ytd.")
    from_: Day | None = Field(
        None,
        alias="from",
        description="A custom window's first day (with ``to``; instead of ``view``).",
    )
    to: Day | None = Field(
        None, description="A custom window's last day (with ``from``; at most 10 years long)."
    )
    known_at: Moment | None = Field(
        None, description="Reproduce the numbers as they were known then (ISO date-time)."
    )
    meeting: int | None = Field(
        None,
        description="A review meeting's id: its numbers, scored from the whole input it "
        "kept (values and structure); as_of, view and known_at are then the meeting's.",
    )


@router.get("/scorecards/{scorecard_id}/scores", response=dict[str, Any])
def scorecard_scores(
    request: HttpRequest, scorecard_id: int, params: Query[ScoreParams]
) -> dict[str, Any] | HttpResponse:
    """Scores and statuses of the scorecard, its perspectives, objectives and KPIs.

    The same numbers as the scorecard page for the same ``as_of`` and ``view``:
    {key, name, score, status, leading, lagging, perspectives: [...], objectives: [...],
    kpis: [{code, value, target, performance, progress, status, trend, history, ...}]}.
    ``from`` and ``to`` score a custom window instead of a view (``view`` is then
    ``custom`` and ``window`` holds the two days); ``as_of`` defaults to ``to``, or
    today when the window ends later.

    With ``known_at`` the answer also has ``structure_note``: empty, or why the numbers
    may differ from those shown then (scored with today's weights and formulas, and
    when the structure changed). With ``meeting`` they are the meeting's, exactly.
    """
    # One query written once per process (the ORM compiled it on every call: issue 16).
    scorecard = scorecard_in(pk=scorecard_id, organization_ids=access_of(request).org_ids)
    if scorecard is None:
        raise Http404(NOT_FOUND)
    if params.meeting is not None:
        meeting = get_or_404(ReviewMeeting.objects.filter(scorecard=scorecard), pk=params.meeting)
        scores = meeting_scores(meeting)
        return {
            **result_as_dict(scores.result),
            "meeting": meeting.pk,
            "known_at": meeting.known_at.isoformat(),
            "frozen": scores.frozen,
            "structure_note": scores.note,
        }
    today = clock.today()
    view, as_of = params.view.value, params.as_of or today
    if params.from_ is not None or params.to is not None:
        if params.view is not View.PERIOD:
            raise _query_error("view", "Give either a view or a from/to window, not both.")
        try:
            window = custom_window(params.from_, params.to, today)
        except WindowError as error:
            raise _query_error(error.field, window_error_text(error)) from None
        view, as_of = window.code, params.as_of or default_as_of(window, today)
    if params.known_at is None:
        # The JSON is kept with the scores: an unchanged scorecard costs no query more
        # (its organization's data version came with it, read before any data) and
        # neither scoring nor serializing (kpis/evaluation.py).
        body = scorecard_evaluate_as(
            scorecard=scorecard,
            as_of=as_of,
            view=view,
            version=scorecard.organization.data_version,
            form=f"api-json:{JSON_GENERATION}",
            render=lambda result: _json(request, result_as_dict(result)),
        )
        return HttpResponse(body, content_type=JSON_TYPE)
    result = scorecard_evaluate(
        scorecard=scorecard, as_of=as_of, view=view, known_at=params.known_at
    )
    data = result_as_dict(result)
    change = structure_changed_after(scorecard.pk, params.known_at)
    data["structure_note"] = change.note if change else ""
    return data


#: Raise it when the answer's shape changes, so that kept answers are not served.
JSON_GENERATION = 1
#: What django-ninja's JSON renderer answers with.
JSON_TYPE = f"{JSONRenderer.media_type}; charset={JSONRenderer.charset}"


def _json(request: HttpRequest, data: dict[str, Any]) -> bytes:
    """``data`` as django-ninja writes a response (its renderer and encoder)."""
    return str(JSONRenderer().render(request, data, response_status=200)).encode()


def _query_error(field: str, message: str) -> ApiError:
    """A 422 about one query parameter (a rule the OpenAPI document cannot say)."""
    return ApiError(
        422, message, [{"loc": ["query", field], "message": message, "code": "invalid"}]
    )
