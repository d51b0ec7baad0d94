"""What the dashboard writes in Python or reads once per request, against what it replaced:
the pupil table's cells (once a template loop), the filters' choices (once three ORM queries)
and the figures' cache key (once built per call)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Flask, render_template_string
from flask_babel import force_locale
from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.models import School, Term
from mestring.core import formatting
from mestring.core.fragments import url_pattern
from mestring.outcomes.freshness import FiguresCache, district_key, figures_key
from mestring.outcomes.measures import PupilOutcome
from mestring.outcomes.queries import filter_choices
from mestring.outcomes.suppression import WITHHELD, ShownRow
from mestring.outcomes.tables import figure_rows, pupil_rows
from tests import factories as f
from tests.conftest import World

HOSTILE = '"><script>alert(1)</script>&'

# The loop index.html held before the cells were made in Python.
OLD_PUPIL_ROWS = """
{%- set pupil_rows = [] %}
{%- for item in items %}
{%- set name_cell %}<a class="pkt-link" href="{{ url_for('pupils.detail', pupil_id=item.pupil_id)
}}">{{ item.name }}</a>{% endset %}
{%- set _ignored = pupil_rows.append([
      name_cell, item.school, item.group,
      fmt.percent(item.before), fmt.percent(item.after),
      fmt.change(item.change) if item.change is not none else None,
      fmt.percent(item.follow_up),
    ]) %}
{%- endfor %}
{{ tables.data_table(['a'], pupil_rows, 'c', row_headers=True, numeric=(3, 4, 5, 6)) }}"""
NEW_PUPIL_ROWS = """
{{ tables.data_table(['a'], pupil_rows, 'c', row_headers=True, numeric=(3, 4, 5, 6)) }}"""
IMPORTS = '{%- import "_macros/tables.html" as tables -%}'

ITEMS = [
    PupilOutcome(12, "Kari Nordmann", "Bestum skole", "Gruppe 1", 20.0, 5.25, 7.0),
    PupilOutcome(3, HOSTILE, HOSTILE, HOSTILE, None, 4.0, None),
    PupilOutcome(456, "Ola", "Skole", "Gruppe", 0.0, 0.0, 0.0),
    PupilOutcome(7, "Per", "Skole", "Gruppe", 12.5, None, 100.0),
]


def test_pupil_rows_are_written_as_the_template_wrote_them(app: Flask) -> None:
    for locale in ("nb", "en"):
        with app.test_request_context("/outcomes/"), force_locale(locale):
            old = render_template_string(IMPORTS + OLD_PUPIL_ROWS, items=ITEMS)
            rows = pupil_rows(ITEMS, url_pattern("pupils.detail", "pupil_id"))
            new = render_template_string(IMPORTS + NEW_PUPIL_ROWS, pupil_rows=rows)
            assert new.lstrip() == old.lstrip()  # the imports trim what follows them
            assert "&lt;script&gt;" in new


def test_filter_choices_are_the_district_s_terms_schools_and_groups(
    db_session: OrmSession, world: World
) -> None:
    district_id = world.group.district_id
    f.GroupFactory(district=world.group.district, name="Another group")
    f.GroupFactory(name="Elsewhere")  # another district
    choices = filter_choices(db_session, district_id)
    terms = db_session.scalars(
        sa.select(Term).where(Term.district_id == district_id).order_by(Term.starts_on.desc())
    )
    schools = db_session.scalars(
        sa.select(School).where(School.district_id == district_id).order_by(School.name)
    )
    assert choices.terms == [(term.id, term.name) for term in terms]
    assert choices.schools == [(school.id, school.name) for school in schools]
    assert len(choices.schools) >= 1
    assert {name for _id, name, _term in choices.groups} >= {world.group.name, "Another group"}
    assert "Elsewhere" not in {name for _id, name, _term in choices.groups}
    assert (world.group.id, world.group.name, world.group.term.name) in choices.groups


def test_the_cache_of_a_request_keys_as_figures_key_does(
    app: Flask, db_session: OrmSession, world: World
) -> None:
    db_session.commit()
    district_id = world.group.district_id
    start = world.session.starts_at
    for moment in (start - timedelta(minutes=1), start + timedelta(minutes=1)):
        key = district_key(db_session, district_id=district_id, now=moment)
        assert f"{key}:x:1" == figures_key(
            db_session, district_id=district_id, now=moment, parts=("x", 1)
        )
        with app.test_request_context("/"):
            cache = FiguresCache(db_session, district_id=district_id, now=moment)
            made = str(moment)
            assert cache.get(("x", 1), lambda: made) == made  # noqa: B023 (called at once)
            assert cache.get(("x", 1), lambda: None) == made  # from the cache
    world.group.name = "Renamed"  # unsaved: nothing is read from or kept in the cache
    with app.test_request_context("/"):
        cache = FiguresCache(db_session, district_id=district_id, now=start - timedelta(minutes=1))
        assert cache.get(("x", 1), lambda: "fresh") == "fresh"


def test_figure_rows_format_each_cell_as_its_unit_does_however_often_a_value_repeats(
    app: Flask,
) -> None:
    figures = [("a", "count"), ("b", "percent"), ("c", "points"), ("d", "days")]
    formats = {
        "count": formatting.whole,
        "percent": formatting.percent,
        "points": formatting.change,
        "days": formatting.number,
    }
    values: list[Any] = [1, 1.0, 0.15, Decimal("0.15"), 12.25, -2.0, 0, None, 1234, 1234.0]
    rows = [
        ShownRow(key=i, label=f"row {i}", values={name: value for name, _kind in figures})
        for i, value in enumerate(values * 2)
    ]
    rows.append(ShownRow(key=99, label="withheld", values=dict.fromkeys("abcd", WITHHELD)))
    for locale in ("nb", "en"):
        with app.test_request_context("/"), force_locale(locale):
            table = figure_rows(rows, figures, 5)
            for row, cells in zip(rows[:-1], table, strict=False):
                expected = [
                    None if row[name] is None else formats[kind](row[name], locale)
                    for name, kind in figures
                ]
                assert cells == [row.label, *expected]
            assert all("mestring-withheld" in cell for cell in table[-1][1:])
