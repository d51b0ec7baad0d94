"""WTForms' own messages in the request's language, from catalogues read once per process."""

from __future__ import annotations

import pytest
from flask import Flask, request
from flask_babel import force_locale
from wtforms import FileField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired

from mestring.core.forms import BaseForm, _plain_options, wtforms_catalogue


class Unlabelled(BaseForm):
    class Meta:
        csrf = False

    version = HiddenField()
    name = StringField(validators=[DataRequired()])


@pytest.mark.parametrize(
    ("locale", "required"), [("nb", "Dette feltet er påkrevd."), ("en", "This field is required.")]
)
def test_wtforms_messages_follow_the_request_language(
    app: Flask, locale: str, required: str
) -> None:
    with app.test_request_context("/", method="POST", data={}), force_locale(locale):
        form = Unlabelled()
        assert not form.validate()
        assert form.name.errors == [required]
        assert form.version.label.text == "Version"


def test_the_catalogue_is_read_once_not_per_request(app: Flask) -> None:
    wtforms_catalogue.cache_clear()
    for _ in range(3):
        with app.test_request_context("/", method="POST", data={}), force_locale("nb"):
            Unlabelled().validate()
            # Flask-WTF's own loader, which reads the catalogue for every request, is not used.
            assert getattr(request, "wtforms_translations", None) is None
    assert wtforms_catalogue.cache_info().misses == 1


class Mixed(BaseForm):
    class Meta:
        csrf = False

    name = StringField()
    secret = PasswordField()
    upload = FileField()


def test_text_is_trimmed_and_passwords_kept_as_typed(app: Flask) -> None:
    for _ in range(2):  # the second form binds with what the first decided
        with app.test_request_context("/", method="POST", data={"name": " x ", "secret": " y "}):
            form = Mixed()
            assert (form.name.data, form.secret.data) == ("x", " y ")
            assert type(form.name.widget).__name__ == "PlainTextInput"
    assert _plain_options(Mixed.name) is _plain_options(Mixed.name)
    assert "filters" not in _plain_options(Mixed.secret)


def test_a_form_with_a_file_field_says_so(app: Flask) -> None:
    with app.test_request_context("/"):
        assert Mixed().has_file_fields
        assert not Unlabelled().has_file_fields
