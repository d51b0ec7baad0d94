"""WTForms' widgets writing their attributes without WTForms' general `html_params`, whose
string formatting was a large share of rendering a page of forms; the markup is the same."""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets.core import clean_key

# The characters `markupsafe.escape` replaces.
_TO_ESCAPE = re.compile("[&<>'\"]")


def escaped(value: Any) -> str:
    """`str(markupsafe.escape(value))`, a text with nothing to escape (most ids, names and
    numbers of a form) returned as it is rather than copied into a new Markup."""
    if type(value) is str and _TO_ESCAPE.search(value) is None:
        return value
    return str(escape(value))


def html_attributes(**kwargs: Any) -> Markup:
    """What `wtforms.widgets.html_params` writes, character for character: the attributes
    sorted by the names as given, `True` as a bare name, `False` left out, names and values
    escaped (and a double quote in a Markup value written as `&quot;`)."""
    parts = []
    for key, value in sorted(kwargs.items()):
        if value is False:
            continue
        name = _attribute_name(key)
        if value is True:
            parts.append(name)
        elif type(value) is str:  # escaped, it has no double quote left
            parts.append(f'{name}="{escaped(value)}"')
        else:
            parts.append(f'{name}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(parts))  # noqa: S704 (names and values escaped above)


@lru_cache(maxsize=256)
def _attribute_name(key: str) -> str:
    """An attribute's name as `html_params` writes it (`class_` as `class`, `data_x` as
    `data-x`), escaped; forms use a few dozen names, each on every field."""
    return str(escape(clean_key(key)))


class PlainSelect(widgets.Select):
    """WTForms' select, writing a plain option (no extra attributes) without the general
    attribute builder; the markup is the same, the cost of long lists of options much lower."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        _add_flags(kwargs, field, self.validation_attrs)
        html = [f"<select {html_attributes(name=field.name, **kwargs)}>"]
        if field.has_groups():
            for optgroup, choices in field._iter_groups_normalized():
                if optgroup is not None:
                    html.append(f"<optgroup {html_attributes(label=optgroup)}>")
                html.extend(self.render_option(choice) for choice in choices)
                if optgroup is not None:
                    html.append("</optgroup>")
        else:
            html.extend(self.render_option(choice) for choice in field._iter_choices_normalized())
        html.append("</select>")
        return Markup("".join(html))  # noqa: S704 (attributes and options escaped)

    @classmethod
    def render_option(cls, choice: Any, **kwargs: Any) -> Markup:
        if (
            type(choice.value) is str
            and type(choice.label) is str
            and not kwargs
            and not choice.render_kw
        ):
            return _plain_option(choice.value, choice.label or choice.value, bool(choice.selected))
        if kwargs or choice.render_kw or type(choice.value) not in (str, int):
            value = str(choice.value) if isinstance(choice.value, bool) else choice.value
            options = {"value": value, **(choice.render_kw or {}), **kwargs}
            if choice.selected:
                options["selected"] = True
            label = escape(choice.label or choice.value)
            return Markup(f"<option {html_attributes(**options)}>{label}</option>")  # noqa: S704
        selected = "selected " if choice.selected else ""
        value, label = escape(choice.value), escape(choice.label or choice.value)
        return Markup(f'<option {selected}value="{value}">{label}</option>')  # noqa: S704 (escaped)


@lru_cache(maxsize=4096)
def _plain_option(value: str, label: str, selected: bool) -> Markup:
    """A plain option of text: the same terms, templates and venues are offered in every form
    of a page and on every visit, each written once."""
    escaped_value, escaped_label = escape(value), escape(label)
    selected_attribute = "selected " if selected else ""
    return Markup(  # noqa: S704 (escaped)
        f'<option {selected_attribute}value="{escaped_value}">{escaped_label}</option>'
    )


class PlainTextArea(widgets.TextArea):
    """WTForms' text area, its attributes written by `html_attributes`."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        _add_flags(kwargs, field, self.validation_attrs)
        params = html_attributes(name=field.name, **kwargs)
        text = escaped(field._value())
        return Markup(f"<textarea {params}>\r\n{text}</textarea>")  # noqa: S704 (escaped)


def _add_flags(kwargs: dict[str, Any], field: Any, names: list[str]) -> None:
    """The field's flags that are also attributes (`required`, `disabled`…), as WTForms adds
    them to a select or text area."""
    flags = getattr(field, "flags", None)
    # The flags set on the field, as `dir(flags)` would find them but without sorting all of
    # the object's names.
    for name in getattr(flags, "__dict__", ()):
        if name in names and name not in kwargs:
            kwargs[name] = getattr(flags, name)


class _PlainInputCall(widgets.Input):
    """WTForms' `Input.__call__` finding the field's flags without `dir()`, which sorted all
    of the flags object's names for every input of a page."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        kwargs.setdefault("type", self.input_type)
        if "value" not in kwargs:
            kwargs["value"] = field._value()
        datalist = getattr(field, "_datalist", None)
        if datalist is not None and "list" not in kwargs:
            kwargs["list"] = datalist if isinstance(datalist, str) else datalist.id
        flags = getattr(field, "flags", None)
        for name in getattr(flags, "__dict__", ()):
            if name in self.validation_attrs and name not in kwargs:
                value = getattr(flags, name)
                kwargs[name] = value() if callable(value) else value
        return Markup(f"<input {html_attributes(name=field.name, **kwargs)}>")  # noqa: S704


def _plain_input(input_class: type) -> type:
    """An input widget class whose `html_params` is `html_attributes`; WTForms' buttons write
    their attributes through that class attribute. An input's own `__call__` (a number's step,
    a checkbox's checked) still runs, and its `super().__call__` is `_PlainInputCall`'s, which
    writes what `Input.__call__` writes."""
    bases: tuple[type, ...] = (input_class,)
    if input_class is widgets.Input:
        bases = (_PlainInputCall,)
    elif issubclass(input_class, widgets.Input):
        bases = (input_class, _PlainInputCall)
    return type(
        f"Plain{input_class.__name__}",
        bases,
        {"html_params": staticmethod(html_attributes), "__module__": __name__},
    )


_PLAIN_CLASSES: dict[type, type] = {
    widgets.Select: PlainSelect,
    widgets.TextArea: PlainTextArea,
    **{
        input_class: _plain_input(input_class)
        for input_class in (
            widgets.Input,
            widgets.TextInput,
            widgets.PasswordInput,
            widgets.HiddenInput,
            widgets.CheckboxInput,
            widgets.RadioInput,
            widgets.FileInput,
            widgets.SubmitInput,
            widgets.EmailInput,
            widgets.SearchInput,
            widgets.TelInput,
            widgets.URLInput,
            widgets.NumberInput,
            widgets.RangeInput,
            widgets.DateInput,
            widgets.DateTimeInput,
            widgets.DateTimeLocalInput,
            widgets.TimeInput,
            widgets.MonthInput,
            widgets.WeekInput,
            widgets.ColorInput,
            widgets.Button,
        )
    },
}


@lru_cache(maxsize=512)
def plain_widget(widget: Any) -> Any:
    """The plain counterpart of one of WTForms' own widgets, with the same settings (input
    type, multiple, step…); any other widget as it is. Widgets are shared settings (WTForms
    keeps one per field class), so each has one counterpart."""
    plain_class = _PLAIN_CLASSES.get(type(widget))
    if plain_class is None:
        return widget
    plain = copy.copy(widget)
    plain.__class__ = plain_class
    return plain
