"""The page header, alerts, empty states and buttons that post, now written in Python, give the
markup the Jinja macros gave, with and without call blocks, for hostile values, in both
languages; the old macros are kept here as the reference."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale, lazy_gettext
from markupsafe import Markup

HOSTILE = '"><script>alert(1)</script>&'

OLD_MACROS = """
{#- Flash category (or alert kind) -> Punkt alert skin and icon. -#}
{%- set _alert_skins = {
  'error': ('pkt-alert--error', 'alert-error'),
  'danger': ('pkt-alert--error', 'alert-error'),
  'warning': ('pkt-alert--warning', 'alert-warning'),
  'success': ('pkt-alert--success', 'alert-success'),
  'info': ('', 'alert-information'),
} -%}

{% macro alert(message, category='info', title=None) -%}
{%- set skin, icon = _alert_skins.get(category, _alert_skins['info']) -%}
<div class="pkt-alert pkt-alert--compact {{ skin }} mestring-alert" role="{{ 'alert' if skin == 'pkt-alert--error' else 'status' }}">
  <div class="pkt-alert__grid{% if not title %} pkt-alert__noTitle{% endif %}">
    <img class="pkt-alert__icon" src="{{ url_for('static', filename='vendor/punkt/icons/' ~ icon ~ '.svg') }}" alt="">
    {%- if title %}
    <h2 class="pkt-alert__title">{{ title }}</h2>
    {%- endif %}
    <div class="pkt-alert__text">{{ caller() if caller is defined else message }}</div>
  </div>
</div>
{%- endmacro %}

{#- A status as a small tag coloured by its value (the skins are in mestring.core.fragments). -#}
{% macro empty_state(text) -%}
<div class="mestring-empty-state">
  <p>{{ text }}</p>
  {%- if caller is defined %}
  <div class="mestring-actions">{{ caller() }}</div>
  {%- endif %}
</div>
{%- endmacro %}
{% macro page_header(title, lead=None) -%}
<div class="mestring-page-header">
  <div class="mestring-page-header__text">
    <h1 class="pkt-heading pkt-heading--large mestring-page-header__title">{{ title }}</h1>
    {%- if lead %}
    <p class="mestring-lead">{{ lead }}</p>
    {%- endif %}
  </div>
  {%- if caller is defined %}
  <div class="mestring-actions">{{ caller() }}</div>
  {%- endif %}
</div>
{%- endmacro %}
{%- set _button_styles = {
  'primary': '',
  'secondary': 'pkt-btn--secondary',
  'tertiary': 'pkt-btn--tertiary',
  'danger': 'pkt-btn--red',
} -%}

{#- A state change is always a POST with a CSRF token. With `confirm`, the first button only
    opens a question (a <details>, so no JavaScript) and a second one submits. -#}
{% macro post_button(url, label, style='secondary', confirm=None, hidden={}) -%}
{%- set button_class = ('pkt-btn ' ~ _button_styles.get(style, style)) | trim %}
{%- if confirm %}
<details class="mestring-confirm">
  <summary class="{{ button_class }}">{{ label }}</summary>
  <div class="pkt-alert pkt-alert--warning pkt-alert--compact mestring-confirm__panel">
    <p>{{ confirm }}</p>
    {{ _post_form(url, label, button_class, hidden) }}
  </div>
</details>
{%- else %}
{{ _post_form(url, label, button_class, hidden) }}
{%- endif %}
{%- endmacro %}

{% macro _post_form(url, label, button_class, hidden) -%}
<form class="mestring-inline-form" method="post" action="{{ url }}">
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  {%- for name, value in hidden.items() %}
  <input type="hidden" name="{{ name }}" value="{{ value }}">
  {%- endfor %}
  <button class="{{ button_class }}" type="submit">{{ label }}</button>
</form>
{%- endmacro %}
"""  # noqa: E501

# Every function through the macro files' names, as the pages call them, and each old macro,
# with and without a call block.
CALLS = [
    "ui.page_header(title)",
    "ui.page_header(title, lead)",
    "ui.page_header(title, '')",
    "ui.alert(text)",
    "ui.alert(text, 'error')",
    "ui.alert(text, 'danger', title)",
    "ui.alert(text, 'warning', '')",
    "ui.alert(text, 'success')",
    "ui.alert(text, 'unknown')",
    "ui.empty_state(text)",
    "forms.post_button('/x?a=1&b=2', label)",
    "forms.post_button(url, label, 'primary')",
    "forms.post_button(url, label, 'danger', confirm=text)",
    "forms.post_button(url, label, 'pkt-btn--own', hidden={'target': 'x', title: text})",
    "forms.post_button(url, label, 'tertiary', confirm='', hidden={'version': 3})",
]
BLOCKS = ["ui.page_header(title, lead)", "ui.alert(text, 'info', title)", "ui.empty_state(text)"]
VALUES = [
    {"title": HOSTILE, "lead": HOSTILE, "text": HOSTILE, "label": HOSTILE, "url": HOSTILE},
    {
        "title": lazy_gettext("Groups"),
        "lead": Markup("<em>vår</em>"),
        "text": lazy_gettext("Nothing to show."),
        "label": lazy_gettext("Save"),
        "url": "/groups/7/status",
    },
]


def _render(app: Flask, macros: str, call: str, values: dict[str, object], block: bool) -> str:
    body = (
        f"{{% call {call} %}}<b>{{{{ text }}}}</b>{{% endcall %}}" if block else f"{{{{ {call} }}}}"
    )
    return app.jinja_env.from_string(macros + body).render(**values)


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_page_parts_write_what_their_macros_wrote(app: Flask, locale: str) -> None:
    new = '{% import "_macros/ui.html" as ui %}{% import "_macros/forms.html" as forms %}'
    old = "{% import old as ui %}{% import old as forms %}"
    with app.test_request_context("/"), force_locale(locale):
        reference = app.jinja_env.from_string(OLD_MACROS)
        app.jinja_env.globals["old"] = reference
        try:
            for values in VALUES:
                for call in CALLS:
                    assert _render(app, new, call, values, False) == _render(
                        app, old, call, values, False
                    ), call
                for call in BLOCKS:
                    assert _render(app, new, call, values, True) == _render(
                        app, old, call, values, True
                    ), call
        finally:
            del app.jinja_env.globals["old"]
