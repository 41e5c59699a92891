"""Reading request bodies and query strings: JSON within limits, text both databases can store.

Every JSON body is read here (ninja's parser for ordinary operations, :func:`read_json`
for the bulk upload), so the same rules hold everywhere:

- a body that is not JSON is a 400 ("Cannot parse request body");
- nesting deeper than :data:`MAX_DEPTH` levels is a 422 (no recursion in the server);
- ``NaN`` and ``Infinity`` are refused (they are not JSON);
- a lone surrogate (``"\\ud800"``) or a NUL character in any string, key or query value
  is a 422 saying where: neither SQLite nor PostgreSQL can store them as text;
- an operation whose body is an object refuses any other JSON value with a 422.

A body over ``SCORECARD_MAX_REQUEST_BYTES`` is refused with a JSON 413 by the error
handlers (:mod:`scorecard.api.errors`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja.parser import Parser

#: Deepest nesting of arrays and objects a body may have; ours need four levels at most.
MAX_DEPTH = 32

#: Characters no text column can store: NUL, and UTF-16 surrogates standing alone.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class BodyError(Exception):
    """A body or query string we refuse: the status and the standard error body."""

    def __init__(
        self, status: int, detail: str, loc: list[str | int] | None = None, code: str = ""
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        error: dict[str, Any] = {"loc": loc or ["body"], "message": detail}
        if code:  # a rule the OpenAPI document cannot express (see scorecard.api.errors)
            error["code"] = code
        self.errors = [error] if status != 400 else []


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON number")


def _unstorable(text: str) -> str | None:
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "Text may not contain the NUL character (\\u0000)."
    return (
        f"Text may not contain a lone UTF-16 surrogate (\\u{ord(found.group()):04x}); "
        "send the character itself or a valid surrogate pair."
    )


def check_value(data: Any, root: str = "body") -> None:
    """Refuse ``data`` if it nests deeper than MAX_DEPTH or holds text no database stores.

    Walks without recursion, so any depth json.loads managed to build is safe to check.
    """
    stack: list[tuple[Any, list[str | int]]] = [(data, [root])]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, str):
            problem = _unstorable(value)
            if problem:
                raise BodyError(422, problem, loc, "text")
            continue
        if not isinstance(value, dict | list):
            continue
        if len(loc) > MAX_DEPTH:
            raise BodyError(422, f"The body is nested more than {MAX_DEPTH} levels deep.", [root])
        if isinstance(value, dict):
            for key, item in value.items():
                problem = _unstorable(key)
                if problem:
                    where = [*loc, key.encode("unicode_escape").decode()]
                    raise BodyError(422, problem, where, "text")
                stack.append((item, [*loc, key]))
        else:
            stack.extend((item, [*loc, index]) for index, item in enumerate(value))


def read_json(request: HttpRequest) -> Any:
    """The request's JSON body, checked as the module says; BodyError when refused.

    ``request.body`` raises RequestDataTooBig for an oversized body; the error handlers
    answer that with a 413.
    """
    raw = request.body
    try:
        data = json.loads(raw or b"null", parse_constant=_not_json)
    except RecursionError:
        raise BodyError(
            422, f"The body is nested more than {MAX_DEPTH} levels deep.", ["body"], "nesting"
        ) from None
    except ValueError:
        raise BodyError(400, _("Cannot parse request body")) from None
    check_value(data)
    return data


class ScorecardParser(Parser):
    """ninja's JSON parser with the checks above; the body of an operation is an object."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = read_json(request)
        if not isinstance(data, dict):
            raise BodyError(422, _('The body must be a JSON object: {"field": value, ...}.'))
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            for text in (key, *values):
                problem = _unstorable(text)
                if problem:
                    raise BodyError(422, problem, ["query", key], "text")
        return super().parse_querydict(data, list_fields, request)
