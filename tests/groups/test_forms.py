"""The group forms' hidden version field: the label WTForms would give it, without its catalogue."""

from __future__ import annotations

import pytest
from flask import Flask, request
from flask_babel import force_locale
from wtforms import Form, HiddenField

from mestring.groups.forms import GroupForm, StatusForm


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_the_version_field_is_labelled_as_wtforms_would_and_loads_no_catalogue(
    app: Flask, locale: str
) -> None:
    class Unlabelled(Form):
        version = HiddenField()

    with app.test_request_context("/"), force_locale(locale):
        forms = [GroupForm(terms=[], templates=[], venues=[]), StatusForm()]
        assert getattr(request, "wtforms_translations", None) is None
        for form in forms:
            assert form.version.label.text == Unlabelled().version.label.text == "Version"
