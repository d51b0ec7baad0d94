"""The markup of the form macros' fields (`render_field`, `form_rows`) and of the error
summary's items, in Python: a field written by Jinja (set statements, dicts, a macro call for
each marker, help text and error list) cost several times what the same strings cost here. The
markup is the macros' own, character for character; every value is escaped as Jinja escapes
it (tests/core/test_form_markup.py compares the two)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache
from typing import Any

from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

from mestring.core.translations import catalogue, gettext
from mestring.core.widgets import escaped

HIDDEN_TYPES = frozenset({"HiddenField", "CSRFTokenField"})
SKIPPED_TYPES = HIDDEN_TYPES | {"SubmitField"}
CHECKBOX_LIST_TYPES = frozenset(
    {"SelectMultipleField", "MultiCheckboxField", "MultipleCheckboxField"}
)
CHOICE_GROUP_TYPES = CHECKBOX_LIST_TYPES | {"RadioField"}
NESTED_TYPES = frozenset({"FormField", "FieldList"})

_OPTION_CLASS = "pkt-input-check__input-checkbox"


def field_markup(
    field: Any, help: Any = None, attributes: Mapping[str, Any] | None = None
) -> Markup:
    """A field with its label, required marker, help text (`help`, else the field's
    description) and errors, tied to it by aria-describedby; `attributes` go to the input
    element, `class_` added to its classes. A hidden field is its input alone."""
    attributes = attributes or {}
    if field.type in HIDDEN_TYPES or getattr(field.widget, "input_type", None) == "hidden":
        return _markup(field(**attributes))
    translations = catalogue()
    help_text = _first_text((help, field.description), translations)
    field_id = field.id
    escaped_id = escaped(field_id)
    errors = field.errors
    described_by = " ".join(
        ([f"{field_id}-help"] if help_text else []) + ([f"{field_id}-error"] if errors else [])
    )
    label = _text(field.label.text, translations)
    if field.flags.required:
        label = f"{label}{_required_marker(translations)}"
    help_html = _help(escaped_id, help_text) if help_text else ""
    errors_html = _errors(escaped_id, errors, translations) if errors else ""
    aria = {"aria-describedby": described_by or False, "aria-invalid": "true" if errors else False}
    if field.type == "RadioField" or field.type in CHECKBOX_LIST_TYPES:
        body = _choice_group(field, label, described_by, help_html, errors_html)
    elif field.type == "BooleanField":
        checkbox = _markup(field(**{"class": _OPTION_CLASS, **aria, **attributes}))
        body = (
            '\n  <div class="pkt-input-check">'
            '\n    <div class="pkt-input-check__input">'
            f"\n      {checkbox}"
            f'\n      <label class="pkt-input-check__input-label" for="{escaped_id}">'
            f"{label}</label>"
            "\n    </div>"
            f"\n  </div>{help_html}{errors_html}"
        )
    else:
        input_class = "pkt-input"
        if field.type == "TextAreaField":
            input_class += " pkt-input--fullwidth"
        if "class_" in attributes:
            attributes = dict(attributes)
            input_class += f" {attributes.pop('class_')}"
        element = _markup(field(**{"class": input_class, **aria, **attributes}))
        body = (
            f'\n  <label class="pkt-inputwrapper__label" for="{escaped_id}">{label}</label>'
            f'{help_html}\n  <div class="pkt-input__container">'
            f"\n    {element}"
            f"\n  </div>{errors_html}"
        )
    state = " pkt-inputwrapper--error" if errors else ""
    return Markup(  # noqa: S704 (every value escaped above)
        f'<div class="pkt-inputwrapper mestring-field{state}">{body}\n</div>'
    )


def form_rows_markup(form: Iterable[Any], exclude: Collection[str] = ()) -> Markup:
    """Every field of a form but hidden ones and buttons (and those named in `exclude`), each
    as `field_markup` writes it on a line of its own."""
    rows = "".join(
        f"\n{field_markup(field)}"
        for field in form
        if field.type not in SKIPPED_TYPES and field.name not in exclude
    )
    return Markup(rows)  # noqa: S704 (each row is markup)


def error_summary_items(fields: Iterable[Any]) -> Markup:
    """The list items of `forms.error_summary` for the errors of `fields` (a form, or the
    fields of a nested form or list): each links to the element to correct (the first option
    of a group), a hidden field's error is text only."""
    html: list[str] = []
    for field in fields:
        if field.type in NESTED_TYPES:
            html.append(error_summary_items(field))
        elif not field.errors:
            continue
        elif field.type in HIDDEN_TYPES:
            html.extend(f"\n<li>{escape(error)}</li>" for error in field.errors)
        else:
            target = escape(f"{field.id}-0" if field.type in CHOICE_GROUP_TYPES else field.id)
            label = escape(field.label.text)
            html.extend(
                f'\n<li><a href="#{target}">{label}: {escape(error)}</a></li>'
                for error in field.errors
            )
    return Markup("".join(html))  # noqa: S704 (every value escaped above)


def _choice_group(
    field: Any, label: str, described_by: str, help_html: str, errors_html: str
) -> str:
    """Radio buttons or a list of checkboxes in a fieldset, the label as its legend."""
    described = f' aria-describedby="{escaped(described_by)}"' if described_by else ""
    html = [
        f'\n  <fieldset class="pkt-inputwrapper__fieldset"{described}>'
        f'\n    <legend class="pkt-inputwrapper__legend">{label}</legend>{help_html}'
        '\n    <div class="pkt-input-check">'
    ]
    invalid = "true" if field.errors else False
    if field.type == "RadioField":
        for option in field:
            radio = escape(option(**{"class": _OPTION_CLASS, "aria-invalid": invalid}))
            html.append(
                '\n      <div class="pkt-input-check__input">'
                f"\n        {radio}"
                f'\n        <label class="pkt-input-check__input-label" for="{escape(option.id)}">'
                f"{escape(option.label.text)}</label>"
                "\n      </div>"
            )
    else:
        name = escaped(field.name)
        aria_invalid = ' aria-invalid="true"' if field.errors else ""
        for index, choice in enumerate(field.iter_choices()):
            option_id = escaped(f"{field.id}-{index}")
            checked = " checked" if choice[2] else ""
            html.append(
                '\n      <div class="pkt-input-check__input">'
                f'\n        <input class="{_OPTION_CLASS}" type="checkbox" id="{option_id}"'
                f' name="{name}" value="{escaped(choice[0])}"{checked}{aria_invalid}>'
                f'\n        <label class="pkt-input-check__input-label" for="{option_id}">'
                f"{escaped(choice[1])}</label>"
                "\n      </div>"
            )
    html.append(f"\n    </div>{errors_html}\n  </fieldset>")
    return "".join(html)


@lru_cache(maxsize=16)
def _required_marker(translations: Any) -> str:
    # Markup as Jinja's `_()` gives it: our own catalogue's text is not escaped. Written once
    # per catalogue (a language's catalogue lives as long as the process).
    text = translations.ugettext("Required")
    return f' <span class="pkt-tag pkt-tag--small pkt-tag--beige mestring-required">{text}</span>'


def _help(escaped_id: str, help_text: str) -> str:
    return (
        '\n<div class="pkt-inputwrapper__helptext-container pkt-inputwrapper__has-helptext">'
        f'\n  <div class="pkt-inputwrapper__helptext" id="{escaped_id}-help">{help_text}</div>'
        "\n</div>"
    )


def _errors(escaped_id: str, errors: Iterable[Any], translations: Any) -> str:
    prefix = f'\n  <p><span class="pkt-sr-only">{translations.ugettext("Error:")}</span> '
    items = "".join(f"{prefix}{escape(error)}</p>" for error in errors)
    return (
        '\n<div class="pkt-alert pkt-alert--error pkt-alert--compact mestring-field-error"'
        f' id="{escaped_id}-error">{items}\n</div>'
    )


def _markup(value: Any) -> Markup:
    """`escape(value)`, without making a copy of what a widget gives: markup already."""
    return value if type(value) is Markup else escape(value)


def _text(value: Any, translations: Any) -> str:
    """`escape(value)`: a lazy translation is its text, not escaped, as Jinja writes it."""
    text = _lazy_text(value, translations)
    return escaped(value) if text is None else text


def _first_text(values: Iterable[Any], translations: Any) -> str | None:
    """`escape` of the first of `values` that is true (a lazy translation when its text is
    not empty), None when none is."""
    for value in values:
        text = _lazy_text(value, translations)
        if text is not None:
            if text:
                return text
        elif value:
            return escaped(value)
    return None


def _lazy_text(value: Any, translations: Any) -> str | None:
    """The text of a `lazy_gettext` message without variables, from `translations` (the
    request's catalogue, which Flask-Babel's `gettext` would look up again for every label and
    help text); None for any other value."""
    if (
        type(value) is LazyString
        and value._func is gettext
        and len(value._args) == 1
        and not value._kwargs
    ):
        text: str = translations.ugettext(value._args[0])
        return text
    return None
