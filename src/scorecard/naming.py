"""Short names (slugs and codes) made from names in any script, and their checks.

Slugs and codes appear in addresses (``/o/<org>/s/<scorecard>/objective/<code>/``) and
documents, so they are ASCII: letters, digits, ``-`` and ``_``. A name in another script
is transliterated (``增长收入`` → ``zeng-zhang-shou-ru``, ``النمو`` → ``lnmw``, ``Café`` →
``cafe``, an emoji by its name); when nothing usable is left, a numbered fallback such as
``objective-3`` is used. A slug is never empty and is made unique within its scope.

Slugs given by people (forms, API, documents) are checked with :func:`slug_check`, which
raises a ValidationError naming the field and saying what is allowed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import slugify

#: Longest slug or code stored (the SlugFields' max_length).
SLUG_MAX_LENGTH = 80
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+\Z")
_SYLLABLES = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "YI ", "BOPOMOFO")
SLUG_HELP = "may contain only letters a–z, digits, - and _ (no spaces or other characters)"


def slug_from(text: str, *, max_length: int = SLUG_MAX_LENGTH) -> str:
    """An ASCII slug of ``text`` ('' when nothing usable is left, e.g. for "!!!")."""
    slug = slugify("".join(_ascii(ch) for ch in text))
    return slug[:max_length].strip("-_")


def _ascii(char: str) -> str:
    """One character in ASCII; a syllable of a script without spaces (增) or a symbol
    (🚀) stands apart as a word."""
    if char.isascii():
        return char
    if unicodedata.category(char) == "So" or unicodedata.name(char, "").startswith(_SYLLABLES):
        return f" {anyascii(char).replace('_', ' ')} "
    return anyascii(char)


def slug_free(
    base: str,
    *,
    taken: Callable[[str], bool],
    fallback: str,
    max_length: int = SLUG_MAX_LENGTH,
) -> str:
    """``base`` (or ``fallback`` when it is empty) made unique with -2, -3 … as needed."""
    stem = (base or fallback)[:max_length].strip("-_") or fallback
    if not taken(stem):
        return stem
    for number in range(2, 10_000):
        suffix = f"-{number}"
        candidate = stem[: max_length - len(suffix)].rstrip("-_") + suffix
        if not taken(candidate):
            return candidate
    raise ValidationError("No free short name is left; choose one yourself.")


def slug_check(value: str, *, field: str, label: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """Return ``value`` if it is a valid slug, else raise a ValidationError on ``field``."""
    if not value:
        raise ValidationError({field: f"The {label} may not be empty."})
    if len(value) > max_length:
        raise ValidationError(
            {field: f"The {label} is too long ({len(value)} characters; at most {max_length})."}
        )
    if not SLUG_RE.match(value):
        raise ValidationError({field: f"The {label} “{value[:40]}” {SLUG_HELP}."})
    return value


def slug_for_name(name: str, *, scope: QuerySet[Any], prefix: str, field: str = "slug") -> str:
    """The slug of a new item called ``name`` among ``scope``: made from the name, unique.

    When an item of the very same name exists, its slug is returned as it is, so that the
    caller's "exists already" check names the clash. Otherwise a taken slug gets -2, -3 …
    and a name that leaves nothing usable gets ``<prefix>-<n>`` (``objective-3``).
    """
    derived = slug_from(name)
    if derived and scope.filter(**{field: derived, "name": name}).exists():
        return derived
    return slug_free(
        derived,
        taken=lambda candidate: scope.filter(**{field: candidate}).exists(),
        fallback=f"{prefix}-{scope.count() + 1}",
    )


def name_check(value: Any, *, what: str, field: str = "name") -> str:
    """``value`` without surrounding white space; a ValidationError if nothing is left."""
    name = str(value or "").strip()
    if not name:
        raise ValidationError({field: f"{what} needs a name (white space alone is not one)."})
    return name
