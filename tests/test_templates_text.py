"""Every word a template shows goes through Babel: text between tags, once the Jinja blocks are
taken out, has no word characters left (apart from the few below). Text that is left was
written straight into the HTML and would show in English to a bokmål reader (or the reverse)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Shown as they are in every language, on purpose.
ALLOWED = {
    "Mestring",  # the service's name, in the header and the footer
    "Norsk",  # the language switch names each language in that language (lang="nb")
    "English",  # ... and lang="en"
}

JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
# Script and style bodies are code, not text; comments are for developers.
CODE = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]*>", re.DOTALL)
ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)
# Attributes a person reads or hears: they need translating as much as text does.
READ_ATTRIBUTES = re.compile(
    r"""\b(alt|title|aria-label|placeholder)\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE
)
WORD = re.compile(r"\w+")


def untranslated(source: str) -> list[str]:
    """The words of a template that are not inside a Jinja expression or block."""
    without_jinja = JINJA.sub(" ", source)
    without_code = CODE.sub(" ", without_jinja)
    attributes = " ".join(value for _name, value in READ_ATTRIBUTES.findall(without_code))
    text = ENTITY.sub(" ", TAG.sub(" ", without_code))
    return [word for word in WORD.findall(f"{text} {attributes}") if word not in ALLOWED]


def template_paths() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("path", template_paths(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_shows_no_text_outside_gettext(path: Path) -> None:
    assert untranslated(path.read_text(encoding="utf-8")) == []


def test_the_scan_finds_text_written_into_a_template() -> None:
    source = """{% block content %}<h1>{{ _('Groups') }}</h1>
    <p class="lead">Velkommen {{ user.name }}</p>{# not shown #}
    <img src="{{ url }}" alt="Oslo">
    <script>const chart = "not text";</script>
    <button lang="en">English</button>&nbsp;–{% endblock %}"""
    assert untranslated(source) == ["Velkommen", "Oslo"]
