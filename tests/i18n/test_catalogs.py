"""The translations are complete: every template people see (except those still listed
in UNTRANSLATED) has no visible text outside the translation tags, and every message of
each shipped language is translated, not fuzzy, and compiled (the committed .mo matches
the .po).

To translate another page, mark its templates and remove them from UNTRANSLATED
(docs/languages.md says how).
"""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

SRC = Path(settings.BASE_DIR)
LOCALE = SRC / "locale"

#: Every template people see: pages, partials, e-mails and the PDF report.
TEMPLATE_ROOTS = [SRC / "web" / "templates", SRC / "presentation" / "templates"]

#: Templates not translated yet: a shrinking list, one section per area of the product,
#: paths under src/scorecard/. Every other template must have no text outside the
#: translation tags; a template listed here must still need work (the list cannot go stale).
UNTRANSLATED = [
    # --- core ---
    # --- planning ---
    # --- manage ---
    # --- newer ---
    # --- outputs ---
]


def _all_templates() -> list[str]:
    found = []
    for root in TEMPLATE_ROOTS:
        for path in sorted(root.rglob("*")):
            if path.suffix in {".html", ".txt"}:
                found.append(str(path.relative_to(SRC)))
    return found


ALL_TEMPLATES = _all_templates()
TRANSLATED_TEMPLATES = [name for name in ALL_TEMPLATES if name not in UNTRANSLATED]
#: Names never translated (the product's name).
NAMES = {"Scorecard"}
#: Attributes people see or hear (screen readers).
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "label"}
SHIPPED = [code for code, _name in settings.LANGUAGES if code != "en"]

MARK = "\x00"  # where a tag or variable stood
_TRANSLATION_BLOCK = re.compile(r"^(blocktranslate|blocktrans)\b")
_END_BLOCK = re.compile(r"^(endblocktranslate|endblocktrans)\b")
#: A quoted literal passed as a filter argument or tag argument: text people may see.
_LITERAL = re.compile(r"""\|(\w+):\s*(["'])(.*?)\2""")
#: Filters whose quoted argument is a format, not words.
FORMAT_FILTERS = {"date", "time", "stringformat", "floatformat"}


def _words(text: str) -> str:
    """What is left of ``text`` once marks, whitespace, punctuation and digits are gone."""
    for name in NAMES:
        text = text.replace(name, "")
    keep = [c for c in text if c != MARK and not c.isspace() and not c.isdigit()]
    return "".join(c for c in keep if c not in string.punctuation and c.isalpha())


class _Visible(HTMLParser):
    """Collects text nodes and visible attribute values, skipping scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value and _words(value):
                self.found.append(f'{name}="{value.replace(MARK, "…")}"')

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and _words(data):
            self.found.append(data.strip().replace(MARK, "…"))


def untranslated_text(source: str) -> list[str]:
    """The visible text of a template that no translation tag covers.

    Tags and variables become a mark; whole {% blocktranslate %} blocks and comments
    are left out; quoted literals in variables and tags ({{ x|default:"none" }}) count
    as visible text.
    """
    html, found, depth, in_comment = [], [], 0, False
    for token in Lexer(source).tokenize():
        content = token.contents.strip()
        if token.token_type == TokenType.COMMENT:
            continue
        if token.token_type == TokenType.BLOCK:
            if content.startswith("comment"):
                in_comment = True
            elif content.startswith("endcomment"):
                in_comment = False
            elif _TRANSLATION_BLOCK.match(content):
                depth += 1
            elif _END_BLOCK.match(content):
                depth -= 1
        if in_comment or depth:
            html.append(MARK)
            continue
        if token.token_type == TokenType.TEXT:
            html.append(token.contents)
            continue
        if token.token_type in {TokenType.VAR, TokenType.BLOCK} and not content.startswith(
            ("translate", "trans ", "url", "load", "static", "include", "extends", "term")
        ):
            found += [
                f"literal “{text}” in {{ {content} }}"
                for name, _q, text in _LITERAL.findall(content)
                if name not in FORMAT_FILTERS and _words(text)
            ]
        html.append(MARK)
    parser = _Visible()
    parser.feed("".join(html))
    parser.close()
    return parser.found + found


@pytest.mark.parametrize("name", TRANSLATED_TEMPLATES)
def test_translated_templates_have_no_text_outside_translation_tags(name: str) -> None:
    left = untranslated_text((SRC / name).read_text())
    assert not left, f"{name}: text outside translation tags: {left}"


def test_the_untranslated_list_holds_only_templates_that_still_need_work() -> None:
    for name in UNTRANSLATED:
        path = SRC / name
        assert path.exists(), f"{name} is listed in UNTRANSLATED but does not exist"
        assert untranslated_text(path.read_text()), f"{name} is translated: drop it from the list"


def test_every_template_is_found() -> None:
    assert "web/templates/web/base.html" in TRANSLATED_TEMPLATES
    assert len(ALL_TEMPLATES) > 100


@pytest.mark.parametrize(
    ("source", "left"),
    [
        ('<p>{% translate "Hello" %}</p>', []),
        ("<p>Hello {{ name }}</p>", ["Hello …"]),
        ('<a title="Open it" href="/x">{% translate "Go" %}</a>', ['title="Open it"']),
        ('<a class="big" href="/x?a=1">{{ n }} – 42 %</a>', []),
        ("{% blocktranslate %}Hi {{ you }}{% endblocktranslate %}", []),
        (
            '{{ user|person:"nobody yet" }}',
            ['literal “nobody yet” in { user|person:"nobody yet" }'],
        ),
        ("{# a comment #}{% comment %}Notes{% endcomment %}<script>let a = 1;</script>", []),
        ("<title>{% block title %}Scorecard{% endblock %}</title>", []),
    ],
)
def test_the_checker_finds_visible_text(source: str, left: list[str]) -> None:
    assert untranslated_text(source) == left


def _catalog(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", SHIPPED)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    catalog = polib.pofile(str(_catalog(language)))
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert not untranslated, f"{language}: untranslated: {untranslated}"
    assert not fuzzy, f"{language}: fuzzy: {fuzzy}"
    assert len(catalog.translated_entries()) > 50


@pytest.mark.parametrize("language", SHIPPED)
def test_the_committed_mo_file_is_compiled_from_the_po_file(language: str) -> None:
    po = {
        (e.msgctxt, e.msgid): e.msgstr
        for e in polib.pofile(str(_catalog(language))).translated_entries()
    }
    mo = {
        (e.msgctxt, e.msgid): e.msgstr
        for e in polib.mofile(str(_catalog(language).with_suffix(".mo")))
    }
    mo.pop((None, ""), None)  # the header
    assert po == mo, f"{language}: run `make messages` (docs/languages.md) and commit the .mo file"
