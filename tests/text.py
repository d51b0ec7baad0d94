"""The bokmål a page shows for an English message id, escaped as the HTML carries it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from babel.support import Translations
from markupsafe import escape

_CATALOG = Translations.load(
    str(Path(__file__).resolve().parent.parent / "mestring" / "translations"), ["nb"]
)


def nb(message: str, **variables: Any) -> str:
    """``nb("The group is full (%(count)s pupils).", count=1)`` as it appears in a page."""
    text = _CATALOG.gettext(message)
    return str(escape(text % variables if variables else text))


def nb_plural(singular: str, plural: str, num: int, **variables: Any) -> str:
    """``nb_plural("%(num)s pupil.", "%(num)s pupils.", 2)`` as it appears in a page."""
    text = _CATALOG.ngettext(singular, plural, num)
    return str(escape(text % {"num": num, **variables}))


_CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*"')


def without_csrf_tokens(page: str) -> str:
    """The page with its CSRF token values blanked: they are signed with the time of day."""
    return _CSRF_VALUE.sub(r'\1"', page)
