"""The KPI page in each shipped language, in Chromium: a person picks the language in
My account, opens a KPI from the scorecard and reads it in that language, numbers
written the language's way. A screenshot per language lands in
test-artifacts/screenshots/kpi-<language>.png (docs/languages.md)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.usefixtures("demo")

#: language → (words the KPI page shows, the score as the language writes a percentage)
LANGUAGES = {
    "en": (["About this KPI", "Periods"], r"^\d+\.\d\s%$"),
    "de": (["Über diese Kennzahl", "Perioden", "Wert eingeben oder korrigieren"], r"^\d+,\d\s%$"),
    "fr": (["À propos de ce KPI", "Périodes", "Saisir ou corriger une valeur"], r"^\d+,\d\s%$"),
    "es": (["Sobre este KPI", "Periodos", "Introducir o corregir un valor"], r"^\d+,\d\s%$"),
}


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_kpi_page_reads_in_the_language_picked_in_my_account(page: Any, language: str) -> None:
    words, score = LANGUAGES[language]
    sign_in(page, "strategy")
    page.goto("/account/")
    page.locator("#id_language").select_option(language)
    page.locator("form:has(#id_language) button[type=submit]").click()
    page.wait_for_selector(f"html[lang='{language}']")

    page.goto("/")
    page.locator("a", has_text="Northwind Outdoor 2027").first.click()
    page.wait_for_selector("table.scorecard")
    page.locator("table.scorecard tr.kpi a[href*='/kpi/']").first.click()
    page.wait_for_selector("#kpi-panel")
    assert page.locator("html").get_attribute("lang") == language
    text = page.inner_text("main")
    for word in words:
        assert word in text, f"{language}: {word!r} missing"
    assert re.match(score, page.inner_text("#kpi-score").replace("\u00a0", " "))
    screenshot(page, f"kpi-{language}")
