"""Sentences kept as JSON (engine/text.py: kept, restored, in_english): what a run, a
report job or a webhook call stores so that each reader gets it in their language."""

from __future__ import annotations

import datetime as dt
import json

from scorecard.engine.text import (
    Text,
    gettext_noop,
    in_english,
    kept,
    kept_columns,
    restored,
    restored_column,
)


def test_a_sentence_with_a_date_a_number_and_a_sentence_inside_comes_back_whole() -> None:
    inner = gettext_noop(" (leave out the % sign)")
    sentence = gettext_noop(
        "%(day)s: %(count)s rows, '%(text)s' is not a number%(hint)s",
        day=dt.date(2026, 10, 3),
        count=1234,
        text="12 %",
        hint=inner,
    )
    stored = json.loads(json.dumps(kept(sentence)))  # as a JSONField gives it back
    again = restored(in_english(sentence), stored)
    assert isinstance(again, Text)
    assert again == "3 Oct 2026: 1,234 rows, '12 %' is not a number (leave out the % sign)"
    assert again.template == sentence.template
    assert again.params["day"] == dt.date(2026, 10, 3) and again.params["count"] == 1234
    assert isinstance(again.params["hint"], Text)
    assert again.params["hint"].template == " (leave out the % sign)"


def test_the_english_is_written_again_from_the_template_when_the_text_is_local() -> None:
    # kpis.sentences.said keeps the active language's words in the str: here German.
    local = Text("„x“ ist keine Zahl", "'%(text)s' is not a number", {"text": "x"})
    assert in_english(local) == "'x' is not a number"
    assert restored("", kept(local)) == "'x' is not a number"


def test_plain_text_and_broken_sentences_read_as_stored() -> None:
    assert kept("The mail server said no") == {}
    assert restored("1 problem in the rows", {}) == "1 problem in the rows"
    assert restored("as stored", {"template": "", "values": {}}) == "as stored"
    lost = {"template": "row %(row)s of %(kpi)s", "values": {"row": 3}}
    assert restored("row 3 of Revenue", lost) == "row 3 of Revenue"
    assert not isinstance(restored("row 3 of Revenue", lost), Text)
    bad_date = {"template": "on %(day)s", "values": {"day": {"date": "not a date"}}}
    assert restored("on a day", bad_date) == "on a day"


def test_a_row_keeps_a_sentence_in_three_columns_and_gives_it_back() -> None:
    class Row:  # a model row's attributes, as the ORM fills them from kept_columns
        pass

    sentence = gettext_noop("The receiver answered %(code)s.", code="503")
    row = Row()
    for column, value in kept_columns("last_error", sentence, 20).items():
        setattr(row, column, value)
    assert vars(row) == {
        "last_error": "The receiver answere",  # cut to the column's length
        "last_error_template": "The receiver answered %(code)s.",
        "last_error_values": {"code": "503"},
    }
    again = restored_column(row, "last_error")
    assert isinstance(again, Text) and again.template == sentence.template
    plain = Row()
    for column, value in kept_columns("error", "Connection reset", 300).items():
        setattr(plain, column, value)
    assert (plain.error_template, plain.error_values) == ("", {})
    assert restored_column(plain, "error") == "Connection reset"
