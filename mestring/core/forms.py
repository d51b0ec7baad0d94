"""The form base every form derives from: trimmed text, no NUL bytes, lighter widgets."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.fields.choices import SelectFieldBase

from mestring.core.widgets import plain_widget


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Trims text input, refuses NUL bytes (which PostgreSQL cannot store) and renders its
    fields with the plain widgets of `mestring.core.widgets`."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                options["filters"] = (_strip, *unbound_field.kwargs.get("filters", ()))
            # The same markup, written without WTForms' slow general attribute builder.
            widget = unbound_field.kwargs.get("widget", getattr(field_class, "widget", None))
            if widget is not None:
                options["widget"] = plain_widget(widget)
            if issubclass(field_class, SelectFieldBase):
                option_widget = unbound_field.kwargs.get("option_widget", field_class.option_widget)
                options["option_widget"] = plain_widget(option_widget)
            return unbound_field.bind(form=form, **options)

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
