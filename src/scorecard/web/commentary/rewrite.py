"""The optional rewrite of a generated commentary by a language model, through an
OpenAI-compatible chat-completions endpoint the operator configures (for example a local
model server); off unless ``SCORECARD_COMMENTARY_LLM_URL`` is set.

The model gets the generated text and is asked to make it read better without changing a
figure. Its answer is used only if every number in it is one the generated text states
(:func:`scorecard.presentation.commentary.unknown_numbers`); otherwise, or when the
endpoint fails or is slow, the generated text stays. Answers are cached by text, so a
page shown again asks nothing.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache

from scorecard.presentation.commentary import unknown_numbers

logger = logging.getLogger(__name__)

#: How long an answer is kept (the same text gets the same rewrite meanwhile).
CACHE_SECONDS = 24 * 3600
#: The longest answer accepted (a commentary is a few sentences).
MAX_CHARS = 2000

PROMPT = (
    "You rewrite short business commentaries on performance indicators so that they read "
    "naturally for a board member. Keep every figure, unit, period and name exactly as "
    "written; do not add any number, percentage, date or estimate of your own; do not "
    "add facts. You may leave a figure out. Keep the language of the commentary. Answer "
    "with the rewritten text only."
)


@dataclass(frozen=True)
class Rewrite:
    """The outcome: ``text`` is what to show (the rewrite, or the generated text)."""

    text: str
    rewritten: bool
    reason: str = ""


def enabled() -> bool:
    return bool(settings.SCORECARD_COMMENTARY_LLM_URL)


def _ask(text: str) -> str:
    headers = {"Content-Type": "application/json"}
    if settings.SCORECARD_COMMENTARY_LLM_API_KEY:
        headers["Authorization"] = f"Bearer {settings.SCORECARD_COMMENTARY_LLM_API_KEY}"
    answer = requests.post(
        str(settings.SCORECARD_COMMENTARY_LLM_URL).rstrip("/") + "/chat/completions",
        json={
            "model": settings.SCORECARD_COMMENTARY_LLM_MODEL,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": PROMPT},
                {"role": "user", "content": text},
            ],
        },
        headers=headers,
        timeout=settings.SCORECARD_COMMENTARY_LLM_TIMEOUT,
        allow_redirects=False,
    )
    answer.raise_for_status()
    content = answer.json()["choices"][0]["message"]["content"]
    if not isinstance(content, str):
        raise ValueError("the answer has no text")
    return content.strip()


def rewrite(text: str) -> Rewrite:
    """The model's rewrite of ``text`` if it adds no number, else ``text`` with the reason."""
    if not enabled() or not text.strip():
        return Rewrite(text, False, "not configured" if text.strip() else "")
    key = (
        "commentary-rewrite:"
        + hashlib.sha256(f"{settings.SCORECARD_COMMENTARY_LLM_MODEL}\n{text}".encode()).hexdigest()
    )
    cached = cache.get(key)
    if isinstance(cached, Rewrite):
        return cached
    try:
        proposed = _ask(text)
    except (requests.RequestException, ValueError, KeyError, IndexError, TypeError) as exc:
        logger.warning("commentary rewrite failed: %s", exc)
        return Rewrite(text, False, f"the model could not be reached: {exc}")  # not cached
    added = unknown_numbers(text, proposed)
    if not proposed:
        outcome = Rewrite(text, False, "the model answered nothing")
    elif len(proposed) > MAX_CHARS:
        outcome = Rewrite(text, False, "the model's answer was too long")
    elif added:
        outcome = Rewrite(text, False, "the model added numbers: " + ", ".join(added))
    else:
        outcome = Rewrite(proposed, True)
    cache.set(key, outcome, CACHE_SECONDS)
    return outcome
