"""Numbers and periods written and read in each shipped language (presentation/numbers.py
writes them, kpis/numbers.py reads them back)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from scorecard.kpis.numbers import number_from_text
from scorecard.presentation.numbers import format_number, pct, period_label, plain_number

NBSP = "\u00a0"  # French and Spanish group thousands with a no-break space (Django's format)


@pytest.mark.parametrize(
    ("language", "value", "unit", "shown"),
    [
        ("en", 12.5, "", "12.5"),
        ("de", 12.5, "", "12,5"),
        ("en", 1234567, "", "1,234,567"),
        ("de", 1234567, "", "1.234.567"),
        ("es", 1234567, "", f"1{NBSP}234{NBSP}567"),
        ("fr", 1234567, "", f"1{NBSP}234{NBSP}567"),
        ("en", 1234567, "€", "1,234,567\u00a0€"),
        ("de", 1234567, "€", "1.234.567\u00a0€"),
        ("de", -0.5, "", "−0,5"),
        ("de", 12.38, "%", "12,38\u00a0%"),
        ("de", None, "", "—"),
    ],
)
def test_numbers_are_written_for_the_language(language, value, unit, shown) -> None:
    with translation.override(language):
        assert format_number(value, unit) == shown


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "65.4\u00a0%"), ("de", "65,4\u00a0%"), ("fr", "65,4\u00a0%")]
)
def test_percentages_are_written_for_the_language(language, shown) -> None:
    with translation.override(language):
        assert pct(0.654) == shown


@pytest.mark.parametrize(
    ("language", "value", "typed"),
    [
        ("en", 1234.5, "1234.5"),
        ("de", 1234.5, "1234,5"),
        ("fr", 0.25, "0,25"),
        ("de", 1978000.0, "1978000"),
    ],
)
def test_input_values_use_the_decimal_mark_the_form_reads_back(language, value, typed) -> None:
    with translation.override(language):
        assert plain_number(value) == typed
        assert number_from_text(typed) == value


@pytest.mark.parametrize(
    ("language", "typed", "number"),
    [
        ("en", "1,234.5", 1234.5),
        ("en", "2,105,000", 2105000),
        ("de", "1.234,5", 1234.5),
        ("de", "1,5", 1.5),
        ("de", "2.105.000", 2105000),
        ("de", "1 234,5", 1234.5),
        ("fr", f"1{NBSP}234,5", 1234.5),
        ("fr", "1\u202f234,5", 1234.5),
        ("es", "−3,25", -3.25),
        ("de", "12.5", 12.5),  # a lone point that groups nothing: as a machine writes it
        ("de", "1.234", 1234),  # grouped thousands in German
    ],
)
def test_numbers_are_read_as_the_language_writes_them(language, typed, number) -> None:
    with translation.override(language):
        assert number_from_text(typed) == number


@pytest.mark.parametrize(
    ("language", "typed", "hint"),
    [
        ("en", "1,5", "use a point for decimals"),
        ("de", "1,234.5", "Dezimalkomma"),
        ("fr", "1,2,3", "virgule"),
        ("es", "1.23.4", "coma"),
    ],
)
def test_a_separator_that_fits_no_rule_is_refused_with_a_hint(language, typed, hint) -> None:
    with translation.override(language), pytest.raises(ValueError, match=hint):
        number_from_text(typed)


@pytest.mark.parametrize(
    ("language", "start", "end", "shown"),
    [
        ("en", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "Oct 2026"),
        ("de", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "Okt 2026"),
        ("de", dt.date(2026, 3, 1), dt.date(2026, 3, 31), "Mär 2026"),
        # French's usual abbreviations: June and July are told apart (not "Jui" and "Jul").
        ("fr", dt.date(2026, 7, 1), dt.date(2026, 9, 30), "juil.–sept. 2026"),
        ("fr", dt.date(2026, 6, 1), dt.date(2026, 6, 30), "juin 2026"),
        ("fr", dt.date(2026, 6, 1), dt.date(2026, 6, 1), "1 juin 2026"),
        ("es", dt.date(2026, 1, 1), dt.date(2026, 1, 31), "Ene 2026"),
        ("de", dt.date(2026, 11, 2), dt.date(2026, 11, 8), "2–8 Nov 2026"),
    ],
)
def test_period_labels_use_the_language_s_month_names(language, start, end, shown) -> None:
    with translation.override(language):
        assert period_label(SimpleNamespace(start=start, end=end)) == shown
