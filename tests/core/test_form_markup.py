"""`render_field` and `form_rows`, now written in Python, give the markup the Jinja macros gave,
for every kind of field and state, in both languages; the old macros are kept here as the
reference."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale, lazy_gettext
from flask_wtf.file import FileField as UploadField
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    FieldList,
    FileField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from mestring.core.form_markup import error_summary_items, field_markup
from mestring.core.forms import BaseForm

HOSTILE = "\"><script>alert(1)</script> & 'x'"

# The macros as they were in templates/_macros/forms.html before they called Python.
OLD_MACROS = r"""
{%- set _hidden_types = ('HiddenField', 'CSRFTokenField') -%}
{%- set _skipped_types = ('HiddenField', 'CSRFTokenField', 'SubmitField') -%}
{%- set _checkbox_list_types = ('SelectMultipleField', 'MultiCheckboxField', 'MultipleCheckboxField') -%}
{%- set _choice_group_types = ('RadioField',) + _checkbox_list_types -%}
{%- set _nested_types = ('FormField', 'FieldList') -%}
{%- set _file_types = ('FileField', 'MultipleFileField') -%}

{#- The element the error summary links to: the first option of a group, else the field. -#}
{% macro _target_id(field) -%}
{{ field.id ~ '-0' if field.type in _choice_group_types else field.id }}
{%- endmacro %}

{% macro _required_marker(field) -%}
{%- if field.flags.required %} <span class="pkt-tag pkt-tag--small pkt-tag--beige mestring-required">{{ _('Required') }}</span>{% endif -%}
{%- endmacro %}

{% macro _help(field, help_id, help) -%}
{%- if help %}
<div class="pkt-inputwrapper__helptext-container pkt-inputwrapper__has-helptext">
  <div class="pkt-inputwrapper__helptext" id="{{ help_id }}">{{ help }}</div>
</div>
{%- endif %}
{%- endmacro %}

{% macro _errors(field, error_id) -%}
{%- if field.errors %}
<div class="pkt-alert pkt-alert--error pkt-alert--compact mestring-field-error" id="{{ error_id }}">
  {%- for error in field.errors %}
  <p><span class="pkt-sr-only">{{ _('Error:') }}</span> {{ error }}</p>
  {%- endfor %}
</div>
{%- endif %}
{%- endmacro %}

{#- Extra keyword arguments go to the input element, e.g. render_field(form.email, autocomplete='email').
    The small macros are called only when they write something: a macro call is not cheap. -#}
{% macro render_field(field, help=None) -%}
{%- if field.type in _hidden_types or (field.widget.input_type is defined and field.widget.input_type == 'hidden') -%}
{{ field(**kwargs) }}
{%- else -%}
{%- set help = help or field.description -%}
{%- set help_id = field.id ~ '-help' -%}
{%- set error_id = field.id ~ '-error' -%}
{%- set described_by = ([help_id] if help else []) + ([error_id] if field.errors else []) -%}
{%- set aria = {'aria-describedby': described_by | join(' ') or false, 'aria-invalid': 'true' if field.errors else false} -%}
<div class="pkt-inputwrapper mestring-field{% if field.errors %} pkt-inputwrapper--error{% endif %}">
{%- if field.type == 'RadioField' or field.type in _checkbox_list_types %}
  <fieldset class="pkt-inputwrapper__fieldset"{% if described_by %} aria-describedby="{{ described_by | join(' ') }}"{% endif %}>
    <legend class="pkt-inputwrapper__legend">{{ field.label.text }}{% if field.flags.required %}{{ _required_marker(field) }}{% endif %}</legend>
    {%- if help %}{{ _help(field, help_id, help) }}{% endif %}
    <div class="pkt-input-check">
      {%- if field.type == 'RadioField' %}
      {%- for option in field %}
      <div class="pkt-input-check__input">
        {{ option(class='pkt-input-check__input-checkbox', **{'aria-invalid': aria['aria-invalid']}) }}
        <label class="pkt-input-check__input-label" for="{{ option.id }}">{{ option.label.text }}</label>
      </div>
      {%- endfor %}
      {%- else %}
      {%- for choice in field.iter_choices() %}
      {%- set option_id = field.id ~ '-' ~ loop.index0 %}
      <div class="pkt-input-check__input">
        <input class="pkt-input-check__input-checkbox" type="checkbox" id="{{ option_id }}" name="{{ field.name }}" value="{{ choice[0] }}"{% if choice[2] %} checked{% endif %}{% if field.errors %} aria-invalid="true"{% endif %}>
        <label class="pkt-input-check__input-label" for="{{ option_id }}">{{ choice[1] }}</label>
      </div>
      {%- endfor %}
      {%- endif %}
    </div>
    {%- if field.errors %}{{ _errors(field, error_id) }}{% endif %}
  </fieldset>
{%- elif field.type == 'BooleanField' %}
  <div class="pkt-input-check">
    <div class="pkt-input-check__input">
      {{ field(class='pkt-input-check__input-checkbox', **dict(aria, **kwargs)) }}
      <label class="pkt-input-check__input-label" for="{{ field.id }}">{{ field.label.text }}{% if field.flags.required %}{{ _required_marker(field) }}{% endif %}</label>
    </div>
  </div>
  {%- if help %}{{ _help(field, help_id, help) }}{% endif %}
  {%- if field.errors %}{{ _errors(field, error_id) }}{% endif %}
{%- else %}
  <label class="pkt-inputwrapper__label" for="{{ field.id }}">{{ field.label.text }}{% if field.flags.required %}{{ _required_marker(field) }}{% endif %}</label>
  {%- if help %}{{ _help(field, help_id, help) }}{% endif %}
  <div class="pkt-input__container">
    {%- set input_class = 'pkt-input' ~ (' pkt-input--fullwidth' if field.type == 'TextAreaField' else '') ~ (' ' ~ kwargs.pop('class_') if 'class_' in kwargs else '') %}
    {{ field(class=input_class, **dict(aria, **kwargs)) }}
  </div>
  {%- if field.errors %}{{ _errors(field, error_id) }}{% endif %}
{%- endif %}
</div>
{%- endif -%}
{%- endmacro %}

{% macro _summary_items(field) -%}
{%- if field.type in _nested_types -%}
{%- for subfield in field %}{{ _summary_items(subfield) }}{% endfor -%}
{%- else -%}
{%- for error in field.errors %}
{%- if field.type in _hidden_types %}
<li>{{ error }}</li>
{%- else %}
<li><a href="#{{ _target_id(field) }}">{{ field.label.text }}: {{ error }}</a></li>
{%- endif %}
{%- endfor -%}
{%- endif -%}
{%- endmacro %}

{% macro error_summary(form) -%}
{%- if form.errors %}
<div class="pkt-alert pkt-alert--error mestring-error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
  <div class="pkt-alert__grid">
    <img class="pkt-alert__icon" src="{{ url_for('static', filename='vendor/punkt/icons/alert-error.svg') }}" alt="">
    <h2 class="pkt-alert__title" id="error-summary-title">{{ _('Please correct the following') }}</h2>
    <div class="pkt-alert__text">
      <ul class="mestring-error-summary__list">
        {%- for error in form.form_errors | default([]) %}
        <li>{{ error }}</li>
        {%- endfor %}
        {%- for field in form %}{{ _summary_items(field) }}{% endfor %}
      </ul>
    </div>
  </div>
</div>
{%- endif %}
{%- endmacro %}

{% macro form_rows(form, exclude=()) -%}
{%- for field in form if field.type not in _skipped_types and field.name not in exclude %}
{{ render_field(field) }}
{%- endfor %}
{%- endmacro %}
"""  # noqa: E501 (the macros' own long lines)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _Fields(Form):
    name = StringField("Name", validators=[DataRequired()], description="Your full name")
    nickname = StringField(HOSTILE, description=HOSTILE)
    secret = PasswordField("Secret", validators=[InputRequired()])
    email = EmailField("E-mail", description=Markup("<em>work</em> address"))
    notes = TextAreaField(lazy_gettext("Required"), description=lazy_gettext("Error:"))
    day = DateField("Day", validators=[Optional()])
    clock = TimeField("Clock")
    count = IntegerField("Count & number")
    amount = DecimalField("Amount")
    flag = BooleanField("Flag <b>", description="Tick it")
    consent = BooleanField("Consent", validators=[DataRequired()])
    kind = RadioField("Kind", choices=[SelectChoice("a", "A & a"), SelectChoice(HOSTILE)])
    mode = RadioField(
        "Mode",
        choices=[SelectChoice("1", "One"), SelectChoice("2", "Two")],
        validators=[DataRequired()],
    )
    school = SelectField(
        "School",
        choices=[SelectChoice("", "All"), SelectChoice(1, "One"), SelectChoice(HOSTILE, "<b>")],
    )
    grouped = SelectField(
        "Grouped",
        choices=[
            SelectChoice("1", "One", optgroup="Group & co"),
            SelectChoice("2", "Two", optgroup=HOSTILE),
        ],
    )
    referrals = SelectMultipleField(
        "Referrals",
        choices=[SelectChoice(1, "Ann & Bo"), SelectChoice(2, HOSTILE), SelectChoice(3, "Cy")],
        coerce=int,
    )
    weekdays = MultiCheckboxField(
        "Weekdays",
        choices=[SelectChoice("mon", "Monday"), SelectChoice(HOSTILE, HOSTILE)],
        description="One or more",
    )
    upload = FileField("Upload")
    uploads = MultipleFileField("Uploads")
    attachment = UploadField("Attachment")
    hidden = HiddenField(default=HOSTILE)
    token = StringField("Token", widget=HiddenInput())
    save = SubmitField("Save & go")


class _Address(Form):
    street = StringField("Street & no.", validators=[DataRequired()])
    zone = RadioField("Zone", choices=[SelectChoice("1", "One")], validators=[DataRequired()])


class _Nested(_Fields, BaseForm):
    """With a nested form and a list of fields, whose errors the summary lists too."""

    class Meta:
        csrf = True

    address = FormField(_Address, label=HOSTILE)
    phones = FieldList(StringField("Phone", validators=[DataRequired()]), min_entries=2)


class _PlainFields(_Fields, BaseForm):
    class Meta:
        csrf = False


class _SignedFields(_Fields, BaseForm):
    """With a CSRF token field."""

    class Meta:
        csrf = True


_DATA = {
    "name": HOSTILE,
    "nickname": "<i>",
    "secret": HOSTILE,
    "email": "a@b.no",
    "notes": f"{HOSTILE}\r\nline",
    "day": "2027-03-03",
    "clock": "13:00",
    "count": HOSTILE,
    "amount": "1.50",
    "flag": "y",
    "kind": HOSTILE,
    "mode": "2",
    "school": HOSTILE,
    "grouped": "2",
    "referrals": ["1", "2"],
    "weekdays": [HOSTILE],
    "hidden": HOSTILE,
    "token": HOSTILE,
}

_HELPS = [None, "", "Some help", HOSTILE, Markup("<b>bold</b> help"), lazy_gettext("Required")]
_ERRORS: list[Any] = [
    (),
    ["This field is required."],
    [HOSTILE, Markup("<b>marked</b>"), lazy_gettext("Required")],
]
_ATTRIBUTES: list[dict[str, Any]] = [
    {},
    {"autocomplete": "email", "spellcheck": "false"},
    {"class_": "mestring-wide"},
    {"class_": HOSTILE, "placeholder": HOSTILE, "data_x": "y", "disabled": True},
    {"aria-invalid": "false", "aria-describedby": "other", "required": False},
]


@pytest.fixture(params=["nb", "en"])
def language(app: Flask, request: pytest.FixtureRequest) -> Iterator[str]:
    with app.test_request_context("/"), force_locale(request.param):
        yield request.param


def _macros(app: Flask) -> tuple[Any, Any]:
    """The old macros and the new ones, as modules whose macros Python can call."""
    old = app.jinja_env.from_string(OLD_MACROS).make_module()
    new = app.jinja_env.get_template("_macros/forms.html").make_module()
    return old, new


def _forms() -> list[Form]:
    return [
        _Fields(),
        _Fields(MultiDict(_DATA)),
        _PlainFields(),
        _PlainFields(MultiDict(_DATA)),
        _SignedFields(MultiDict(_DATA)),
    ]


@pytest.mark.parametrize("attributes", _ATTRIBUTES)
def test_render_field_writes_what_the_macro_wrote(
    app: Flask, language: str, attributes: dict[str, Any]
) -> None:
    old, new = _macros(app)
    compared = 0
    for form in _forms():
        for field in form:
            for required in (False, True):
                field.flags.required = required
                for errors in _ERRORS:
                    field.errors = errors
                    for help in _HELPS:
                        expected = old.render_field(field, help, **attributes)
                        assert new.render_field(field, help, **attributes) == expected, (
                            field.name,
                            required,
                            errors,
                            help,
                        )
                        compared += 1
    assert compared == (4 * 23 + 24) * 2 * len(_ERRORS) * len(_HELPS)


def test_form_rows_write_what_the_macro_wrote(app: Flask, language: str) -> None:
    old, new = _macros(app)
    for form in _forms():
        for exclude in ((), ("name", "flag"), "kind"):
            assert new.form_rows(form, exclude) == old.form_rows(form, exclude)
        form.validate()
        assert new.form_rows(form) == old.form_rows(form)


def test_the_markers_follow_the_language(app: Flask) -> None:
    for language, required, error in [
        ("nb", "Må fylles ut", "Feil:"),
        ("en", "Required", "Error:"),
    ]:
        with app.test_request_context("/"), force_locale(language):
            form = _PlainFields()
            form.name.errors = ["Too long"]
            html = field_markup(form.name)
        assert f'mestring-required">{required}</span>' in html
        assert f'<span class="pkt-sr-only">{error}</span> Too long</p>' in html


def test_a_field_is_markup_with_its_values_escaped(app: Flask) -> None:
    with app.test_request_context("/"):
        form = _PlainFields(MultiDict(_DATA))
        form.nickname.errors = [HOSTILE]
        html = field_markup(form.nickname, None, {"class_": "wide"})
    assert isinstance(html, Markup)
    assert "<script>" not in html
    assert 'class="pkt-input wide"' in html
    assert 'aria-describedby="nickname-help nickname-error"' in html


@pytest.mark.parametrize("data", [{}, _DATA, {"phones-0": "1", "address-street": HOSTILE}])
def test_error_summary_writes_what_the_macro_wrote(
    app: Flask, language: str, data: dict[str, Any]
) -> None:
    old, new = _macros(app)
    for form in [*_forms(), _Nested(MultiDict(data))]:
        assert new.error_summary(form) == old.error_summary(form) == ""
        form.validate()
        assert form.errors
        assert new.error_summary(form) == old.error_summary(form)
        for field in _leaves(form):
            field.errors = [HOSTILE, "Second"]
        form.form_errors = [HOSTILE]
        form._errors = None
        assert new.error_summary(form) == old.error_summary(form)


def _leaves(fields: Any) -> Iterator[Any]:
    for field in fields:
        if field.type in ("FormField", "FieldList"):
            yield from _leaves(field)
        else:
            yield field


def test_error_summary_items_link_to_the_field_to_correct(app: Flask) -> None:
    with app.test_request_context("/"):
        form = _Nested(MultiDict({}))
        form.validate()
        html = error_summary_items(form)
    assert '<li><a href="#kind-0">Kind: ' in html
    assert '<li><a href="#address-zone-0">Zone: ' in html
    assert '<li><a href="#phones-1">Phone: ' in html
    assert "<li>The CSRF token is missing.</li>" in html
