"""An engine sentence whose translation does not fit its placeholders (a catalogue
edited by hand) reads in English instead of failing the page."""

from __future__ import annotations

import logging

import pytest

from scorecard.engine.text import gettext_noop
from scorecard.presentation import findings

SENTENCE = gettext_noop("%(name)s is %(value)s below its target.", name="Revenue", value=1250)


@pytest.mark.parametrize(
    ("translation", "problem"),
    [
        ("%(nom)s est %(value)s sous sa cible.", "a placeholder the sentence does not have"),
        ("%(name)s est %(value sous sa cible.", "a placeholder left open"),
        ("%(name)s est %d sous sa cible.", "a placeholder without a name"),
    ],
)
def test_a_translation_that_does_not_fit_falls_back_to_english(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, translation: str,
    problem: str,
) -> None:  # fmt: skip
    monkeypatch.setattr(findings, "gettext", lambda template: translation)
    with caplog.at_level(logging.WARNING, logger=findings.__name__):
        text = findings.translated(SENTENCE)
    assert text == "Revenue is 1,250 below its target.", problem
    assert "does not fit its placeholders" in caplog.text


def test_a_translation_that_fits_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(findings, "gettext", lambda template: "%(name)s : %(value)s sous la cible.")
    assert findings.translated(SENTENCE) == "Revenue : 1,250 sous la cible."
