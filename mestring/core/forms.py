"""The form base every form derives from: trimmed text, no NUL bytes, lighter widgets, and
WTForms' messages read once."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from babel.support import NullTranslations, Translations
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.fields.choices import SelectFieldBase
from wtforms.i18n import messages_path
from wtforms.widgets.core import clean_key

from mestring.core.localized import language
from mestring.core.translations import lazy_gettext as _l
from mestring.core.widgets import plain_widget


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


_clean_key = lru_cache(maxsize=256)(clean_key)


@cache
def wtforms_catalogue(language_code: str) -> NullTranslations:
    """WTForms' own messages in a language, read once per process: Flask-WTF reads them from
    disk again for every request that makes a form."""
    return Translations.load(messages_path(), [language_code], domain="wtforms")


class WTFormsMessages:
    """WTForms' messages (its validators' errors, the labels it makes of field names) in the
    request's language."""

    def gettext(self, string: str) -> str:
        return wtforms_catalogue(language()).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return wtforms_catalogue(language()).ungettext(singular, plural, n)


WTFORMS_MESSAGES = WTFormsMessages()

FILE_FIELD_TYPES = frozenset({"FileField", "MultipleFileField"})

# An attribute of each field declaration (`UnboundField`), where `_plain_options` keeps what it
# decided: declarations are made once, at import, and bound for every form made.
_PLAIN_OPTIONS = "_mestring_plain_options"


def _plain_options(unbound_field: Any) -> dict[str, Any]:
    """What `BaseForm` binds a field with, decided once per field declaration: text input
    trimmed (passwords left as typed), and WTForms' widgets replaced by the plain ones, which
    write the same markup without WTForms' slow general attribute builder."""
    options: dict[str, Any] | None = unbound_field.__dict__.get(_PLAIN_OPTIONS)
    if options is not None:
        return options
    options = {}
    field_class = unbound_field.field_class
    if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
        options["filters"] = (_strip, *unbound_field.kwargs.get("filters", ()))
    widget = unbound_field.kwargs.get("widget", getattr(field_class, "widget", None))
    if widget is not None:
        options["widget"] = plain_widget(widget)
    if issubclass(field_class, SelectFieldBase):
        option_widget = unbound_field.kwargs.get("option_widget", field_class.option_widget)
        options["option_widget"] = plain_widget(option_widget)
    setattr(unbound_field, _PLAIN_OPTIONS, options)
    return options


class BaseForm(FlaskForm):
    """Trims text input, refuses NUL bytes (which PostgreSQL cannot store) and renders its
    fields with the plain widgets of `mestring.core.widgets`."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            return unbound_field.bind(form=form, **{**options, **_plain_options(unbound_field)})

        def render_field(self, field: Any, render_kw: dict[str, Any]) -> Any:
            # WTForms' own, its attribute names cleaned (`class_` → `class`) by a cached
            # lookup: every field of a page is rendered with the same few names.
            render_kw = {_clean_key(key): value for key, value in render_kw.items()}
            other_kw = getattr(field, "render_kw", None)
            if other_kw is not None:
                other_kw = {_clean_key(key): value for key, value in other_kw.items()}
                render_kw = dict(other_kw, **render_kw)
            return field.widget(field, **render_kw)

        def get_translations(self, form: Any) -> WTFormsMessages:
            return WTFORMS_MESSAGES

    @property
    def has_file_fields(self) -> bool:
        """Whether the form uploads files: `render_form` then sends it as multipart/form-data
        (a test in Python, cheaper than Jinja filtering the fields of every form)."""
        return any(field.type in FILE_FIELD_TYPES for field in self)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and "\x00" in field.data:
                field.errors = [
                    *field.errors,
                    str(_l("The text contains a character that is not allowed.")),
                ]
                valid = False
        return valid
