"""The request's language and catalogue, looked up once, still follow every change of language."""

from __future__ import annotations

from datetime import date

from flask import Flask, render_template_string
from flask_babel import force_locale, get_locale, refresh

from mestring.accounts.enums import Role, ServiceKind
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


def test_a_text_without_variables_reads_as_jinja_gives_it(app: Flask) -> None:
    """Formatted with no values ("%%" reads "%"), markup-safe only where templates escape."""
    template = "{{ _('Yes') }}|{{ _('100%% sure') }}|{{ _('<b>') ~ '<i>' }}"
    with app.test_request_context("/"):
        for _ in range(2):  # translated, then remembered
            assert render_template_string(template) == "Ja|100% sure|<b>&lt;i&gt;"
        unescaped = app.jinja_env.overlay(autoescape=False).from_string(template)
        assert unescaped.render() == "Ja|100% sure|<b><i>"


def test_enum_labels_follow_the_language_and_keep_apart_members_of_equal_value(
    app: Flask,
) -> None:
    assert Role.SCHOOL == ServiceKind.SCHOOL  # the same value, "school"
    with app.test_request_context("/") as context:
        assert (Role.SCHOOL.label, ServiceKind.SCHOOL.label) == ("Skole", "Skoleansatte")
        context.session["locale"] = "en"
        refresh()
        assert (ServiceKind.SCHOOL.label, Role.SCHOOL.label) == ("School staff", "School")
        with force_locale("nb"):
            assert Role.SCHOOL.label == "Skole"
