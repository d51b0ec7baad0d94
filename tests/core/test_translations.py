"""The request's language and catalogue, looked up once, still follow every change of language."""

from __future__ import annotations

from datetime import date

from flask import Flask, render_template_string
from flask_babel import force_locale, get_locale, refresh

from mestring.core import localized
from mestring.core.translations import babel_context, current_locale

MARCH = date(2027, 3, 3)


def test_outside_a_request_there_is_no_locale_and_formats_are_in_bokmal() -> None:
    assert babel_context() is None
    assert current_locale() is None
    assert localized.language() == "nb"
    assert localized.day(MARCH) == "3. mars 2027"


def test_the_locale_is_the_one_flask_babel_chooses(app: Flask) -> None:
    with app.test_request_context("/"):
        assert babel_context() is babel_context()
        assert current_locale() is get_locale()
        assert str(current_locale()) == "nb"
    with app.test_request_context("/") as context:
        context.session["locale"] = "en"
        assert str(current_locale()) == "en"
        assert current_locale() is get_locale()
        assert localized.day(MARCH) == "3 March 2027"


def test_a_forced_or_refreshed_language_is_seen_by_formats_and_templates(app: Flask) -> None:
    template = "{{ _('Yes') }} {{ fmt.month(day) }} {{ get_locale() }}"
    with app.test_request_context("/") as context:
        assert render_template_string(template, day=MARCH) == "Ja mars 2027 nb"
        with force_locale("en"):
            assert render_template_string(template, day=MARCH) == "Yes March 2027 en"
        assert render_template_string(template, day=MARCH) == "Ja mars 2027 nb"
        context.session["locale"] = "en"
        refresh()
        assert render_template_string(template, day=MARCH) == "Yes March 2027 en"


def test_templates_translate_plurals_and_escape_as_before(app: Flask) -> None:
    template = (
        "{{ ngettext('%(num)s pupil on the waitlist.', '%(num)s pupils on the waitlist.', 2) }}"
        "|{{ _('Back to %(page)s', page='<b>') }}"
    )
    with app.test_request_context("/") as context:
        context.session["locale"] = "en"
        assert render_template_string(template) == ("2 pupils on the waitlist.|Back to &lt;b&gt;")
