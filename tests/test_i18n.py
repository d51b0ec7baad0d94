"""Every UI text is translated into bokmål, which is the default; English is a choice."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from tests.conftest import World, sign_in

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "mestring" / "translations" / "nb" / "LC_MESSAGES"
METHODS = [("mestring/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def not_hidden(path: str) -> bool:
    """Unlike Babel's default, look inside folders such as templates/_macros."""
    return not Path(path).name.startswith(".")


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHODS, keywords=KEYWORDS, directory_filter=not_hidden
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def texts_in_f_strings() -> set[str]:
    """Texts marked inside f-strings, which Babel's extractor does not read on this Python
    (`make translations` would drop them from the catalogue)."""
    found = set()
    for path in (ROOT / "mestring").rglob("*.py"):
        for f_string in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(f_string, ast.JoinedStr):
                continue
            for node in ast.walk(f_string):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in KEYWORDS
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    found.add(f"{path.relative_to(ROOT)}: {node.args[0].value}")
    return found


def test_no_text_is_marked_where_the_extractor_cannot_see_it() -> None:
    assert sorted(texts_in_f_strings()) == []


def test_every_text_in_the_code_is_translated_to_bokmal() -> None:
    with (CATALOG / "messages.po").open("rb") as po:
        catalog = read_po(po)
    translated = {
        str(m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    assert sorted(source_messages() - translated) == []


def test_compiled_catalog_matches_the_source_catalog() -> None:
    with (CATALOG / "messages.po").open("rb") as po, (CATALOG / "messages.mo").open("rb") as mo:
        source, compiled = read_po(po), read_mo(mo)
    assert as_dict(source) == as_dict(compiled)


def as_dict(catalog: Iterable[Message]) -> dict[object, object]:
    """Message id → translation of every translated message (the compiled catalog leaves
    untranslated ones out); plural ids and strings become tuples on both sides."""

    def frozen(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    return {frozen(m.id): frozen(m.string) for m in catalog if m.id and any(frozen(m.string))}


def test_bokmal_is_the_default(client: FlaskClient, world: World) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="nb">' in page
    assert "Logg inn" in page


def test_english_on_request_and_kept_as_the_users_setting(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, world.coordinator)
    client.post("/language", data={"language": "en", "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Referrals" in page
    assert world.coordinator.locale == "en"
    client.post("/logout")
    sign_in(client, world.coordinator)
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
