"""The form base every form derives from: trimmed text, no NUL bytes, lighter select options."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import PasswordField, StringField
from wtforms.widgets import Select


class PlainSelect(Select):
    """WTForms' select, writing a plain option (no extra attributes) without the general
    attribute builder; the markup is the same, the cost of long lists of options much lower."""

    @classmethod
    def render_option(cls, choice: Any, **kwargs: Any) -> Markup:
        if kwargs or choice.render_kw or type(choice.value) not in (str, int):
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""
        return Markup('<option %svalue="%s">%s</option>') % (
            selected,
            choice.value,
            choice.label or choice.value,
        )


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Trims text input and refuses NUL bytes, which PostgreSQL cannot store."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                options["filters"] = (_strip, *unbound_field.kwargs.get("filters", ()))
            widget = unbound_field.kwargs.get("widget", getattr(field_class, "widget", None))
            if type(widget) is Select:
                options["widget"] = PlainSelect(multiple=widget.multiple)
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
