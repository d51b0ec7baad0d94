"""A page in English shows no bokmål, and a page in bokmål no untranslated English.

The demo is loaded and every main page of every role, and forms shown with errors, are fetched
in each language. The visible text (and the labels that assistive technology reads) is checked
word by word: a bokmål page may not hold a word that only the English message ids use, an English
page no word that only the bokmål translations use, nor a date, time or number written the
Norwegian way. What users typed or the demo stored (names, titles, free text) is taken out
first: it stays in the language it was written in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel import Locale
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.core.time import now_utc
from mestring.db import Base
from mestring.demo import DEMO_PASSWORD, DISTRICT_NAME, load_demo
from mestring.extensions import limiter
from mestring.models import GroupMembership, Session, User
from tests.perf.pages import Page, main_pages

CATALOG = (
    Path(__file__).resolve().parent.parent / "mestring/translations/nb/LC_MESSAGES/messages.po"
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|<[^>]+>")
WORD = re.compile(r"[^\W\d_]{3,}(?:-[^\W\d_]+)*")
# Written the Norwegian way: "kl. 13.00", "13.00–14.30", "12,5".
NORWEGIAN_FORMS = re.compile(
    r"\bkl\.\s*\d{1,2}[.:]\d{2}|\b\d{1,2}\.\d{2}\b(?!\.\d)|\b\d+,\d(?!\d{2})"
)
ENGLISH_FORMS = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d+\.\d\s*%")
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
SKIPPED_ELEMENTS = {"script", "style", "template", "code"}  # code: file formats, identifiers
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "source", "track", "wbr"}  # fmt: skip


def _words(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(PLACEHOLDER.sub(" ", text))}


def _texts(value: str | tuple[str, ...]) -> list[str]:
    return list(value) if isinstance(value, tuple) else [value]


@dataclass(frozen=True)
class Vocabulary:
    only_bokmal: frozenset[str]
    only_english: frozenset[str]


def vocabulary() -> Vocabulary:
    """Words found only in the translations, and only in the translated message ids, plus
    CLDR's month and day names of each language."""
    with CATALOG.open("rb") as po:
        catalog = read_po(po)
    english: set[str] = set()
    bokmal: set[str] = set()
    translated_english: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids, strings = _texts(message.id), _texts(message.string)
        english |= {w for text in ids for w in _words(text)}
        bokmal |= {w for text in strings for w in _words(text)}
        if strings != ids:
            translated_english |= {w for text in ids for w in _words(text)}
    nb, en = Locale.parse("nb"), Locale.parse("en")
    names_nb = {n.lower() for n in [*nb.months["format"]["wide"].values(),
                                    *nb.days["format"]["wide"].values()]}  # fmt: skip
    names_en = {n.lower() for n in [*en.months["format"]["wide"].values(),
                                    *en.days["format"]["wide"].values()]}  # fmt: skip
    return Vocabulary(
        only_bokmal=frozenset((bokmal | names_nb) - english - names_en),
        only_english=frozenset((translated_english | names_en) - bokmal - names_nb),
    )


class VisibleText(HTMLParser):
    """The text a person sees or hears, without scripts and without parts marked in another
    language (the switch to "English" on a bokmål page)."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[bool] = []  # per open element: is its content left out?
        self.parts: list[str] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang")
        skip = (
            self._skipping()
            or tag in SKIPPED_ELEMENTS
            or (lang is not None and tag != "html" and not lang.startswith(self.language))
        )
        if not skip:
            self.parts.extend(v for name in READ_ATTRIBUTES if (v := values.get(name)))
        if tag not in VOID_ELEMENTS:
            self.stack.append(skip)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_ELEMENTS and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self.parts.append(data)


def visible_text(page: str, language: str) -> str:
    parser = VisibleText(language)
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def stored_text(session: OrmSession) -> re.Pattern[str]:
    """Every text the database holds (names, titles, free text, one line at a time), as one
    pattern that matches any of them as whole words."""
    values: set[str] = set()
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.String)]
        for column in columns:
            for value in session.scalars(sa.select(column).distinct()):
                if value:
                    values |= {line.strip() for line in str(value).splitlines()}
    kept = sorted((v for v in values if len(v) >= 3), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, kept)) + r")(?!\w)")


@dataclass(frozen=True)
class Check:
    name: str
    email: str
    url: str
    form: dict[str, str] | None = None  # posted (empty fields) to show the form's errors


def checks(session: OrmSession) -> list[Check]:
    pages = [p for p in main_pages(session, DISTRICT_NAME) if p.email and _is_page(p)]
    by_role = {p.name.split(":")[0]: p.email for p in pages}
    school, coordinator = by_role["school"], by_role["coordinator"]
    facilitator, admin = by_role["facilitator"], by_role["admin"]
    group_url = next(p.url for p in pages if p.name == "coordinator: group")
    group_id = int(group_url.rsplit("/", 1)[1])
    held = session.scalars(
        sa.select(Session).where(Session.group_id == group_id).order_by(Session.starts_at)
    ).first()
    assert held is not None
    pupil_id = session.scalars(
        sa.select(GroupMembership.pupil_id).where(GroupMembership.group_id == group_id)
    ).first()
    user = session.scalars(sa.select(User).where(User.email == facilitator)).one()
    extra = [
        Check("facilitator: session", facilitator, f"/sessions/{held.id}"),
        Check("facilitator: attendance", facilitator, f"/sessions/{held.id}/attendance"),
        Check("facilitator: group attendance", facilitator, f"/groups/{group_id}/attendance"),
        Check("facilitator: profile", facilitator, "/facilitators/me"),
        Check("facilitator: account", facilitator, "/account"),
        Check("school: new referral", school, "/referrals/new"),
        Check("school: referral with errors", school, "/referrals/new", form={}),
        Check("school: absence", school, "/outcomes/measurements"),
        Check("school: accessibility", school, "/tilgjengelighet"),
        Check("coordinator: session edit", coordinator, f"/sessions/{held.id}/edit"),
        Check("coordinator: facilitator", coordinator, f"/facilitators/{user.id}"),
        Check("coordinator: assign", coordinator, f"/groups/{group_id}/facilitators"),
        Check("coordinator: new group with errors", coordinator, "/groups/new", form={}),
        Check("coordinator: course templates", coordinator, "/groups/templates"),
        Check("coordinator: keep apart", coordinator, "/groups/keep-apart"),
        Check("coordinator: import", coordinator, "/outcomes/import"),
        Check(
            "coordinator: enter absence",
            coordinator,
            f"/outcomes/pupils/{pupil_id}/absence/baseline",
        ),
        Check("coordinator: privacy export", coordinator, f"/pupils/{pupil_id}/export"),
        Check("admin: closed periods", admin, "/closed-periods/"),
        Check("admin: new user with errors", admin, "/admin/users/new", form={}),
        Check("admin: audit", admin, "/admin/audit"),
    ]
    return [Check(p.name, p.email, p.url) for p in pages] + extra


def _is_page(page: Page) -> bool:
    return not page.url.endswith((".ics", ".csv", ".xlsx", ".json"))


@dataclass(frozen=True)
class Leftover:
    page: str
    found: str
    near: str


def leftovers(text: str, words: frozenset[str], forms: re.Pattern[str]) -> Iterator[str]:
    for match in WORD.finditer(text):
        if match.group().lower() in words:
            yield match.group()
    for match in forms.finditer(text):
        yield match.group()


@pytest.fixture
def demo(app: Flask, db_session: OrmSession) -> list[Check]:
    limiter.reset()  # each person signs in once per language
    load_demo(db_session, now=now_utc())
    found = checks(db_session)
    db_session.commit()
    return found


def _fetch(app: Flask, check: Check, clients: dict[str, FlaskClient], language: str) -> str:
    client = clients.get(check.email)
    if client is None:
        client = clients[check.email] = app.test_client()
        response = client.post("/login", data={"email": check.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, check.email
        client.post("/language", data={"language": language, "next": "/"})
    if check.form is None:
        response = client.get(check.url, follow_redirects=True)
    else:
        response = client.post(check.url, data=check.form)
    # A form shown again with its errors answers 400.
    assert response.status_code == (200 if check.form is None else 400), check.name
    page = response.get_data(as_text=True)
    assert f'<html lang="{language}">' in page, check.name
    return page


@pytest.mark.parametrize("language", ["en", "nb"])
def test_a_page_speaks_only_the_chosen_language(
    app: Flask, db_session: OrmSession, demo: list[Check], language: str
) -> None:
    words = vocabulary()
    foreign = words.only_bokmal if language == "en" else words.only_english
    forms = NORWEGIAN_FORMS if language == "en" else ENGLISH_FORMS
    clients: dict[str, FlaskClient] = {}
    pages = {check.name: _fetch(app, check, clients, language) for check in demo}
    data = stored_text(db_session)  # after the visits, which the audit log now holds
    found = []
    for name, page in pages.items():
        text = data.sub(" ", visible_text(page, language))
        for leftover in sorted(set(leftovers(text, foreign, forms))):
            start = max(text.find(leftover) - 40, 0)
            found.append(Leftover(name, leftover, text[start : start + 100]))
    assert found == [], "\n".join(f"{f.page}: {f.found!r} in “{f.near}”" for f in found)


def test_the_check_finds_a_word_of_the_other_language() -> None:
    words = vocabulary()
    english_page = visible_text("<p>Referrals: <b>Henvisninger</b> 3. mars kl. 13.00</p>", "en")
    assert set(leftovers(english_page, words.only_bokmal, NORWEGIAN_FORMS)) == {
        "Henvisninger",
        "mars",
        "kl. 13.00",
    }
    bokmal_page = visible_text('<p>Henvisninger <span lang="en">English</span> Referrals</p>', "nb")
    assert set(leftovers(bokmal_page, words.only_english, ENGLISH_FORMS)) == {"Referrals"}
