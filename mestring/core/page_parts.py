"""The page furniture the shared macros write on nearly every page (headings, alerts, empty
states, buttons that post), in Python: a Jinja macro call costs more than the few tags it
writes. The markup is the macros' own, character for character (tests/core/test_page_parts.py
compares the two); every value is escaped as Jinja escapes it. Called from a template's
``{% call %}`` block, a function gets the block's content as ``caller``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

Caller = Callable[[], Any] | None

# Flash category (or alert kind) -> Punkt alert skin and icon.
_ALERT_SKINS = {
    "error": ("pkt-alert--error", "alert-error"),
    "danger": ("pkt-alert--error", "alert-error"),
    "warning": ("pkt-alert--warning", "alert-warning"),
    "success": ("pkt-alert--success", "alert-success"),
    "info": ("", "alert-information"),
}

_BUTTON_STYLES = {
    "primary": "",
    "secondary": "pkt-btn--secondary",
    "tertiary": "pkt-btn--tertiary",
    "danger": "pkt-btn--red",
}


def page_header(title: Any, lead: Any = None, caller: Caller = None) -> Markup:
    """The page's heading (`ui.page_header`) with its lead, and a call block's actions (buttons,
    `post_button`) beside it."""
    html = [
        '<div class="mestring-page-header">\n  <div class="mestring-page-header__text">'
        '\n    <h1 class="pkt-heading pkt-heading--large mestring-page-header__title">'
        f"{escape(title)}</h1>"
    ]
    if lead:
        html.append(f'\n    <p class="mestring-lead">{escape(lead)}</p>')
    html.append("\n  </div>")
    if caller is not None:
        html.append(f'\n  <div class="mestring-actions">{escape(caller())}</div>')
    html.append("\n</div>")
    return Markup("".join(html))  # noqa: S704 (every value escaped above)


def alert(
    message: Any = None, category: str = "info", title: Any = None, caller: Caller = None
) -> Markup:
    """A Punkt alert (`ui.alert`) of a flash category or alert kind, with a call block's content
    instead of ``message``; errors are announced at once, the others politely."""
    skin, icon = _ALERT_SKINS.get(category, _ALERT_SKINS["info"])
    role = "alert" if skin == "pkt-alert--error" else "status"
    src = escape(url_for("static", filename=f"vendor/punkt/icons/{icon}.svg"))
    text = escape(caller() if caller is not None else message)
    heading = f'\n    <h2 class="pkt-alert__title">{escape(title)}</h2>' if title else ""
    grid = "pkt-alert__grid" if title else "pkt-alert__grid pkt-alert__noTitle"
    return Markup(  # noqa: S704 (every value escaped above)
        f'<div class="pkt-alert pkt-alert--compact {skin} mestring-alert" role="{role}">'
        f'\n  <div class="{grid}">'
        f'\n    <img class="pkt-alert__icon" src="{src}" alt="">{heading}'
        f'\n    <div class="pkt-alert__text">{text}</div>'
        "\n  </div>\n</div>"
    )


def empty_state(text: Any, caller: Caller = None) -> Markup:
    """What a list or table shows when it has nothing (`ui.empty_state`), with a call block's
    actions below it."""
    actions = f'\n  <div class="mestring-actions">{escape(caller())}</div>' if caller else ""
    return Markup(  # noqa: S704 (every value escaped above)
        f'<div class="mestring-empty-state">\n  <p>{escape(text)}</p>{actions}\n</div>'
    )


def post_button(
    url: str,
    label: Any,
    style: str = "secondary",
    confirm: Any = None,
    hidden: Mapping[str, Any] | None = None,
) -> Markup:
    """A state change as a POST with a CSRF token (`forms.post_button`). With ``confirm``, the
    first button only opens a question (a <details>, so no JavaScript) and a second one
    submits; ``hidden`` are the form's other fields."""
    button_class = f"pkt-btn {_BUTTON_STYLES.get(style, style)}".strip()
    form = _post_form(url, label, button_class, hidden or {})
    if not confirm:
        return Markup(f"\n{form}")  # noqa: S704 (written below)
    return Markup(  # noqa: S704 (every value escaped above)
        f'\n<details class="mestring-confirm">'
        f'\n  <summary class="{escape(button_class)}">{escape(label)}</summary>'
        '\n  <div class="pkt-alert pkt-alert--warning pkt-alert--compact mestring-confirm__panel">'
        f"\n    <p>{escape(confirm)}</p>"
        f"\n    {form}"
        "\n  </div>"
        "\n</details>"
    )


def _post_form(url: str, label: Any, button_class: str, hidden: Mapping[str, Any]) -> str:
    fields = "".join(
        f'\n  <input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in hidden.items()
    )
    return (
        f'<form class="mestring-inline-form" method="post" action="{escape(url)}">'
        f'\n  <input type="hidden" name="csrf_token" value="{escape(generate_csrf())}">{fields}'
        f'\n  <button class="{escape(button_class)}" type="submit">{escape(label)}</button>'
        "\n</form>"
    )
