"""The plain widgets write exactly WTForms' markup, hostile values included."""

from __future__ import annotations

from typing import Any

import pytest
from flask_babel import force_locale, lazy_gettext
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    FileField,
    Form,
    HiddenField,
    IntegerField,
    IntegerRangeField,
    MultipleFileField,
    PasswordField,
    RadioField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import TextInput, html_params

from mestring.core.forms import BaseForm
from mestring.core.widgets import PlainSelect, escaped, html_attributes, plain_widget

HOSTILE = "\"><script>alert(1)</script> & 'x'"


@pytest.mark.parametrize(
    "attributes",
    [
        {"id": "name", "name": "name", "value": HOSTILE},
        {"class_": "pkt-input", "aria-describedby": "a b", "aria-invalid": "true"},
        {"checked": True, "disabled": False, "required": True, "value": "y"},
        {"data_chart_source": "x", "aria_label": "&amp;", "for_": "f"},
        {"value": Markup('<b title="q">&amp;</b>'), "title": 5, "step": None},
        {'odd key"<': "v", "z": "&", "a": ""},
        {},
    ],
)
def test_html_attributes_write_what_wtforms_writes(attributes: dict[str, Any]) -> None:
    assert html_attributes(**attributes) == html_params(**attributes)
    assert isinstance(html_attributes(**attributes), Markup)


def test_html_attributes_escape_and_order() -> None:
    assert html_attributes(value=HOSTILE, checked=True, id="x", hidden=False) == (
        'checked id="x" value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;x&#39;"'
    )
    assert html_attributes(value=Markup('a"b')) == 'value="a&quot;b"'


class _Everything(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=20)])
    secret = PasswordField("Secret")
    email = EmailField("E-mail")
    notes = TextAreaField("Notes", validators=[Length(max=200)])
    day = DateField("Day")
    clock = TimeField("Clock")
    count = IntegerField("Count")
    flag = BooleanField("Flag")
    kind = RadioField("Kind", choices=[SelectChoice("a", "A & a"), SelectChoice(HOSTILE)])
    school = SelectField(
        "School",
        choices=[
            SelectChoice("", "All"),
            SelectChoice(1, "One"),
            SelectChoice(HOSTILE, "<b>"),
            SelectChoice("en", "English", render_kw={"lang": "en", "title": HOSTILE}),
        ],
    )
    grouped = SelectField(
        "Grouped",
        choices=[
            SelectChoice("1", "One", optgroup="Group & co"),
            SelectChoice("2", "Two", optgroup=HOSTILE),
        ],
    )
    level = SelectField(
        "Level",
        choices=[SelectChoice("1", "One"), SelectChoice(2, HOSTILE)],
        validators=[DataRequired()],
    )
    remarks = TextAreaField("Remarks", validators=[DataRequired()])
    hidden = HiddenField()
    save = SubmitField("Save & go")


class _PlainEverything(_Everything, BaseForm):
    class Meta:
        csrf = False


def _rendered(form: Form) -> list[str]:
    html = []
    for field in form:
        html.append(field(class_="pkt-input", **{"aria-invalid": "true", "aria-describedby": ""}))
        if field.type == "RadioField":
            html.extend(option(**{"aria-invalid": False}) for option in field)
    return html


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "name": HOSTILE,
            "secret": HOSTILE,
            "email": HOSTILE,
            "notes": f"{HOSTILE}\r\nline",
            "day": "2027-03-03",
            "clock": "13:00",
            "count": "7",
            "flag": "y",
            "kind": HOSTILE,
            "school": HOSTILE,
            "grouped": "2",
            "level": "2",
            "remarks": HOSTILE,
            "hidden": HOSTILE,
        },
    ],
)
def test_plain_widgets_write_what_wtforms_widgets_write(app: Any, data: dict[str, str]) -> None:
    with app.test_request_context():
        wtforms_form = _Everything(MultiDict(data))
        plain_form = _PlainEverything(MultiDict(data))
        assert type(plain_form.name.widget).__name__ == "PlainTextInput"
        assert isinstance(plain_form.school.widget, PlainSelect)
        assert _rendered(plain_form) == _rendered(wtforms_form)


def test_plain_widget_keeps_settings_and_leaves_others_alone() -> None:
    widget = TextInput(input_type="search")
    plain = plain_widget(widget)
    assert plain.input_type == "search"
    assert plain is plain_widget(widget)
    assert widget.html_params is html_params

    class Own(TextInput):
        pass

    own = Own()
    assert plain_widget(own) is own


class _Choices(Form):
    term = SelectField(
        "Term",
        choices=[
            SelectChoice("1", "Spring & summer"),
            SelectChoice("2", ""),
            SelectChoice("3", HOSTILE),
            SelectChoice("4", lazy_gettext("Required")),
        ],
    )
    size = IntegerField("Size", validators=[NumberRange(min=1, max=30), InputRequired()])
    # Attributes of the declaration and of the call, their names cleaned alike.
    note = StringField("Note", render_kw={"data_role": "x", "placeholder": HOSTILE, "id_": "n"})
    # Inputs with a `__call__` of their own, which then calls the plain input's.
    upload = FileField("Upload", validators=[InputRequired()])
    uploads = MultipleFileField("Uploads")
    level = IntegerRangeField("Level", validators=[NumberRange(min=2, max=5)])
    when = DateTimeLocalField("When", validators=[InputRequired()])
    query = SearchField("Search", validators=[Length(min=2, max=9)])
    agree = BooleanField("Agree", validators=[InputRequired()])


class _PlainChoices(_Choices, BaseForm):
    class Meta:
        csrf = False


@pytest.mark.parametrize("language", ["nb", "en"])
def test_options_written_once_are_written_as_wtforms_writes_them(app: Any, language: str) -> None:
    # The second round finds the options of the first written already.
    with app.test_request_context(), force_locale(language):
        for _ in range(2):
            for selected in ("1", "2", "3", "4", "none"):
                data = MultiDict({"term": selected, "size": "9", "query": "x", "agree": "y"})
                assert _rendered(_PlainChoices(data)) == _rendered(_Choices(data))


@pytest.mark.parametrize(
    "value",
    ["p1-name", "", HOSTILE, "a&b", "<", ">", "'", '"', "æøå – ok", Markup("<b>x</b>"), 5, None],
)
def test_escaped_is_what_markupsafe_escapes(value: Any) -> None:
    assert escaped(value) == str(escape(value))
