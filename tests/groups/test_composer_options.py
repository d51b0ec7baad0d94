"""The composer's terms, templates, venues and keep-apart pairs, read in one statement, are what
the separate queries (and the template's digital-session question) give."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session as OrmSession

from mestring.groups.models import CourseTemplate, KeepApartPair
from mestring.groups.queries import (
    template_has_digital,
    template_options,
    term_options,
    venue_options,
)
from mestring.groups.views import TemplateChoice, TermChoice, composer_choices
from tests import factories as f
from tests.conftest import World
from tests.groups.conftest import keep_apart_pairs


def test_one_statement_gives_what_the_option_queries_give(
    db_session: OrmSession,
    world: World,
    hybrid_template: CourseTemplate,
    own_template: CourseTemplate,
) -> None:
    district = world.coordinator.district
    other = world.coordinator_other.district
    for name, starts_on in (("Høst 2026", date(2026, 8, 17)), ("Vår 2028", date(2028, 1, 3))):
        f.TermFactory(
            district=district,
            name=name,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(weeks=20),
        )
    f.TermFactory(district=other, name="Annen bydel")
    f.CourseTemplateFactory(district_id=district.id, name="A først blant egne")
    f.CourseTemplateFactory(district_id=other.id, name="Annen bydels mal")
    for name in ("Å-rommet", "Biblioteket", "Aula"):
        f.VenueFactory(district=district, name=name, address=f"{name}veien 1")
    f.VenueFactory(district=other, name="Annet rom")
    db_session.flush()

    first, second, third = (f.PupilFactory(school=world.bestum) for _ in range(3))
    db_session.flush()
    for a, b in ((first, second), (first, third)):
        db_session.add(
            KeepApartPair(
                district_id=district.id,
                pupil_a_id=a.id,
                pupil_b_id=b.id,
                created_by_id=world.coordinator.id,
            )
        )
    db_session.flush()

    terms, templates, venues, pairs = composer_choices(db_session, district.id)

    assert terms == [
        TermChoice(t.id, t.name, t.starts_on) for t in term_options(db_session, district.id)
    ]
    assert templates == [
        TemplateChoice(t.id, t.name, template_has_digital(db_session, t.id))
        for t in template_options(db_session, district.id)
    ]
    assert venues == [
        (v.id, f"{v.name}, {v.address}") for v in venue_options(db_session, district.id)
    ]
    assert pairs == keep_apart_pairs(db_session, district.id)
    assert len(terms) >= 2 and len(venues) == 3 and len(pairs) == 2
    assert {t.id: t.has_digital for t in templates}[hybrid_template.id] is True
    assert {t.id: t.has_digital for t in templates}[own_template.id] is False


def test_a_district_without_options_gets_none(db_session: OrmSession, world: World) -> None:
    empty = f.DistrictFactory()
    db_session.flush()
    terms, templates, venues, pairs = composer_choices(db_session, empty.id)
    assert terms == [] and venues == [] and pairs == []
    assert [t.id for t in templates] == [t.id for t in template_options(db_session, empty.id)]
