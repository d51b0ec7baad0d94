"""Group pages: forms, errors as form errors (never a 500), place/remove, composer, templates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.core.time import now_utc
from mestring.demo import DEMO_PASSWORD, load_demo
from mestring.extensions import db
from mestring.groups.enums import GroupStatus
from mestring.groups.models import CourseTemplate, Group, KeepApartPair
from mestring.referrals.enums import ReferralStatus
from tests import factories as f
from tests.conftest import World, sign_in
from tests.groups.conftest import Waitlisted
from tests.text import nb, nb_plural


def group_form(world: World, template: CourseTemplate, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Smestad 11–13 år",
        "term_id": world.group.term_id,
        "template_id": template.id,
        "capacity": "8",
        "min_size": "4",
        "age_min": "11",
        "age_max": "13",
        "venue_id": "",
        "video_link": "https://meet.example.no/smestad",
    }
    data.update(overrides)
    return data


@contextmanager
def count_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    engine = db.session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def without_savepoints(statements: list[str]) -> list[str]:
    return [statement for statement in statements if "SAVEPOINT" not in statement]


def test_coordinator_creates_a_group(
    client: FlaskClient, world: World, db_session: OrmSession, hybrid_template: CourseTemplate
) -> None:
    sign_in(client, world.coordinator)
    response = client.post(
        "/groups/new",
        data=group_form(
            world,
            hybrid_template,
            new_venue_name="Smestad skole, rom 2",
            new_venue_address="Smestadveien 37",
            starts_on="2027-01-11",
        ),
    )
    assert response.status_code == 302
    group = db_session.scalar(sa.select(Group).where(Group.name == "Smestad 11–13 år"))
    assert group is not None
    assert response.headers["Location"] == f"/groups/{group.id}"
    assert (group.age_min, group.age_max, group.status) == (11, 13, GroupStatus.PLANNING)
    assert group.venue is not None and group.venue.name == "Smestad skole, rom 2"
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Smestad skole, rom 2, Smestadveien 37" in page


def test_bad_input_gives_form_errors_not_500(
    client: FlaskClient, world: World, hybrid_template: CourseTemplate
) -> None:
    foreign_term = f.TermFactory(district=world.other_school.district)
    sign_in(client, world.coordinator)
    response = client.post(
        "/groups/new",
        data=group_form(
            world,
            hybrid_template,
            term_id=str(foreign_term.id),
            capacity="åtte",
            age_min="12",
            age_max="11",
            video_link="javascript:alert(1)",
            starts_on="31.02.2027",
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert nb("Choose one of the options.") in page  # the other district's term is no choice
    assert nb("Give a whole number.") in page
    assert nb("The highest age cannot be below the lowest.") in page
    assert nb("Give a web address beginning with https://.") in page
    assert nb("Give a date as dd.mm.yyyy.") in page


def test_start_date_outside_the_term_is_a_field_error(
    client: FlaskClient, world: World, hybrid_template: CourseTemplate
) -> None:
    sign_in(client, world.coordinator)
    response = client.post(
        "/groups/new", data=group_form(world, hybrid_template, starts_on="2026-12-01")
    )
    assert response.status_code == 400
    assert nb(
        "The start date must lie within the term (%(term)s).", term=world.group.term.name
    ) in response.get_data(as_text=True)


def test_group_page_shows_roster_warnings_and_actions_to_the_coordinator(
    client: FlaskClient, world: World, waitlisted: Waitlisted
) -> None:
    waiting = waitlisted(world.smestad, first_name="Venter")
    sign_in(client, world.coordinator)
    page = client.get(f"/groups/{world.group.id}").get_data(as_text=True)
    assert world.pupil.full_name in page
    assert 'data-warning="under_minimum"' in page
    under_minimum = nb_plural(
        "%(num)s pupil; the group needs at least %(min)s to start.",
        "%(num)s pupils; the group needs at least %(min)s to start.",
        1,
        min=4,
    )
    assert under_minimum in page
    assert f'/groups/{world.group.id}/edit"' in page
    assert '<input type="hidden" name="target" value="running">' in page
    assert '<input type="hidden" name="target" value="cancelled">' in page
    assert f'<option value="{waiting.id}">Venter' in page
    assert f"/groups/{world.group.id}/members/{world.group.memberships[0].id}/remove" in page


def test_facilitator_sees_the_group_without_actions(client: FlaskClient, world: World) -> None:
    sign_in(client, world.facilitator)
    page = client.get(f"/groups/{world.group.id}").get_data(as_text=True)
    assert world.pupil.full_name in page
    assert "/edit" not in page
    assert "/members" not in page
    assert "/status" not in page


def test_place_a_waitlisted_pupil_and_take_them_out_again(
    client: FlaskClient, world: World, waitlisted: Waitlisted, db_session: OrmSession
) -> None:
    referral = waitlisted(world.smestad)
    sign_in(client, world.coordinator)
    response = client.post(f"/groups/{world.group.id}/members", data={"referral": referral.id})
    assert response.status_code == 302
    db_session.refresh(referral)
    assert referral.status is ReferralStatus.PLACED
    membership = referral.membership
    assert membership is not None and membership.group_id == world.group.id

    url = f"/groups/{world.group.id}/members/{membership.id}/remove"
    take_out = nb("Take %(name)s out of the group", name=referral.pupil.full_name)
    assert take_out in client.get(url).get_data(as_text=True)
    missing_comment = client.post(url, data={"comment": "  "})
    assert missing_comment.status_code == 400
    assert nb("This field is required.") in missing_comment.get_data(as_text=True)
    assert client.post(url, data={"comment": "Flytter til Bergen."}).status_code == 302
    db_session.expire_all()
    assert referral.status is ReferralStatus.ACCEPTED
    assert referral.membership is None
    assert [(c.from_status, c.to_status) for c in referral.history][-2:] == [
        (ReferralStatus.ACCEPTED, ReferralStatus.PLACED),
        (ReferralStatus.PLACED, ReferralStatus.ACCEPTED),
    ]
    assert referral.history[-1].comment == "Flytter til Bergen."


def test_placing_a_referral_not_on_the_waitlist_is_a_form_error(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    sign_in(client, world.coordinator)
    response = client.post(
        f"/groups/{world.group.id}/members", data={"referral": world.smestad_referral.id}
    )
    assert response.status_code == 400
    assert nb("Choose a pupil who is on the waitlist of your district.") in response.get_data(
        as_text=True
    )
    db_session.refresh(world.smestad_referral)
    assert world.smestad_referral.status is ReferralStatus.SUBMITTED


def test_placing_in_a_full_group_is_a_form_error(
    client: FlaskClient, world: World, waitlisted: Waitlisted, db_session: OrmSession
) -> None:
    world.group.capacity, world.group.min_size = 1, 1
    db_session.flush()
    referral = waitlisted(world.bestum)
    sign_in(client, world.coordinator)
    response = client.post(f"/groups/{world.group.id}/members", data={"referral": referral.id})
    assert response.status_code == 400
    full = nb("The group is full (%(capacity)s pupils).", capacity=1)
    assert full in response.get_data(as_text=True)
    db_session.expire_all()
    assert referral.status is ReferralStatus.ACCEPTED


def test_starting_with_too_few_pupils_explains_why(client: FlaskClient, world: World) -> None:
    sign_in(client, world.coordinator)
    response = client.post(
        f"/groups/{world.group.id}/status",
        data={"target": "running", "version": world.group.version_id},
        follow_redirects=True,
    )
    assert nb(
        "The group needs at least %(min)s pupils to start; it has %(count)s.", min=4, count=1
    ) in response.get_data(as_text=True)
    assert world.group.status is GroupStatus.PLANNING


def test_edit_with_a_stale_version_is_refused(
    client: FlaskClient, world: World, hybrid_template: CourseTemplate, db_session: OrmSession
) -> None:
    sign_in(client, world.coordinator)
    opened = world.group.version_id
    first = client.post(
        f"/groups/{world.group.id}/edit",
        data=group_form(world, hybrid_template, name="Første", version=opened),
    )
    assert first.status_code == 302
    second = client.post(
        f"/groups/{world.group.id}/edit",
        data=group_form(world, hybrid_template, name="Andre", version=opened),
    )
    assert second.status_code == 400
    assert nb(
        "Someone else saved this group after you opened it. Reload and try again."
    ) in second.get_data(as_text=True)
    db_session.expire_all()
    assert world.group.name == "Første"


def test_keep_apart_pair_shows_on_the_group_page(
    client: FlaskClient, world: World, waitlisted: Waitlisted, db_session: OrmSession
) -> None:
    other = waitlisted(world.smestad)
    sign_in(client, world.coordinator)
    client.post(f"/groups/{world.group.id}/members", data={"referral": other.id})
    response = client.post(
        "/groups/keep-apart",
        data={"first": world.pupil.id, "second": other.pupil_id, "note": "Konflikt i klassen"},
    )
    assert response.status_code == 302
    listing = client.get("/groups/keep-apart").get_data(as_text=True)
    assert "Konflikt i klassen" in listing
    page = client.get(f"/groups/{world.group.id}").get_data(as_text=True)
    assert 'data-warning="keep_apart"' in page
    same = client.post(
        "/groups/keep-apart", data={"first": world.pupil.id, "second": world.pupil.id}
    )
    assert same.status_code == 400
    assert nb("Choose two different pupils.") in same.get_data(as_text=True)
    pair = db_session.scalar(sa.select(KeepApartPair))
    assert pair is not None
    assert client.post(f"/groups/keep-apart/{pair.id}/delete").status_code == 302
    assert db_session.scalar(sa.select(sa.func.count(KeepApartPair.id))) == 0


def test_composer_proposes_by_age_band_and_creates_a_group(
    client: FlaskClient,
    world: World,
    waitlisted: Waitlisted,
    hybrid_template: CourseTemplate,
    db_session: OrmSession,
) -> None:
    # The term starts on 4 January 2027.
    young = [waitlisted(world.bestum, days_waiting=50 - n) for n in range(4)]
    old = [waitlisted(world.smestad, birth_date=f.date(2014, 6, 1)) for _ in range(2)]
    no_access = waitlisted(world.smestad, digital_access=False)
    sign_in(client, world.coordinator)
    url = f"/groups/composer?term={world.group.term_id}&template={hybrid_template.id}"
    page = client.get(url).get_data(as_text=True)
    proposal = "Proposal %(number)s: %(min)s–%(max)s years, %(count)s pupils"
    assert nb(proposal, number=1, min=8, max=10, count=5) in page
    assert nb(proposal, number=2, min=11, max=13, count=2) in page
    assert 'data-warning="no_digital_access"' in page
    assert 'data-warning="under_minimum"' in page

    chosen = [r.id for r in young]
    response = client.post(
        url + "&proposal=1",
        data={
            "p1-name": "Bestum 8–10 år",
            "p1-term_id": world.group.term_id,
            "p1-template_id": hybrid_template.id,
            "p1-capacity": "8",
            "p1-min_size": "4",
            "p1-age_min": "8",
            "p1-age_max": "10",
            "p1-referrals": chosen,
        },
    )
    assert response.status_code == 302
    group = db_session.scalar(sa.select(Group).where(Group.name == "Bestum 8–10 år"))
    assert group is not None
    assert sorted(m.referral_id for m in group.memberships) == sorted(chosen)
    db_session.expire_all()
    assert no_access.status is ReferralStatus.ACCEPTED
    assert {r.status for r in old} == {ReferralStatus.ACCEPTED}


def test_composer_refuses_referrals_off_the_waitlist(
    client: FlaskClient, world: World, hybrid_template: CourseTemplate
) -> None:
    sign_in(client, world.coordinator)
    response = client.post(
        "/groups/composer?proposal=1",
        data={
            "p1-name": "Ny",
            "p1-term_id": world.group.term_id,
            "p1-template_id": hybrid_template.id,
            "p1-capacity": "8",
            "p1-min_size": "4",
            "p1-age_min": "8",
            "p1-age_max": "10",
            "p1-referrals": [world.smestad_referral.id],
        },
    )
    assert response.status_code == 400
    assert nb("Choose pupils who are on the waitlist of your district.") in response.get_data(
        as_text=True
    )
    assert world.smestad_referral.status is ReferralStatus.SUBMITTED


def test_copy_and_edit_a_course_template(
    client: FlaskClient, world: World, hybrid_template: CourseTemplate, db_session: OrmSession
) -> None:
    sign_in(client, world.coordinator)
    listing = client.get("/groups/templates").get_data(as_text=True)
    assert hybrid_template.name in listing
    shipped = client.get(f"/groups/templates/{hybrid_template.id}").get_data(as_text=True)
    assert "/edit" not in shipped
    assert client.get(f"/groups/templates/{hybrid_template.id}/edit").status_code == 404

    response = client.post(f"/groups/templates/{hybrid_template.id}/copy")
    assert response.status_code == 302
    copy = db_session.scalar(
        sa.select(CourseTemplate).where(CourseTemplate.copied_from_id == hybrid_template.id)
    )
    assert copy is not None and copy.district_id == world.coordinator.district_id
    assert response.headers["Location"] == f"/groups/templates/{copy.id}"

    saved = client.post(
        f"/groups/templates/{copy.id}/edit",
        data={
            "name": "Hybrid hos oss",
            "description": "",
            "physical_weekday": "0",
            "physical_time": "12:15",
            "digital_weekday": "2",
            "digital_time": "17:00",
            "guardian_weekday": "3",
            "guardian_time": "18:30",
        },
    )
    assert saved.status_code == 302
    bad_time = client.post(
        f"/groups/templates/{copy.id}/edit",
        data={"name": "X", "physical_weekday": "9", "physical_time": "25:99"},
    )
    assert bad_time.status_code == 400
    assert nb("Give a time as hh:mm.") in bad_time.get_data(as_text=True)

    _first, second = copy.sessions
    client.post(f"/groups/templates/{copy.id}/sessions/{second.id}/move", data={"direction": "up"})
    added = client.post(
        f"/groups/templates/{copy.id}/sessions/new",
        data={
            "title": "Foreldremøte",
            "mode": "digital",
            "duration_minutes": "60",
            "guardians_attend": "y",
        },
    )
    assert added.status_code == 302
    db_session.expire_all()
    assert copy.name == "Hybrid hos oss"
    assert [s.title for s in copy.sessions] == ["Digital", "Fysisk", "Foreldremøte"]
    assert copy.sessions[-1].guardians_attend is True
    assert [s.title for s in hybrid_template.sessions] == ["Fysisk", "Digital"]


def test_group_page_query_count_does_not_grow_with_the_roster(
    client: FlaskClient, world: World, waitlisted: Waitlisted, db_session: OrmSession
) -> None:
    sign_in(client, world.coordinator)
    group_id = world.group.id
    waiting = [waitlisted(school).id for school in (world.bestum, world.smestad, world.smestad)]
    # A request in production starts with nothing unsaved and an empty identity map; so does
    # each measurement here.
    db_session.commit()
    db_session.expunge_all()
    with count_queries() as before:
        client.get(f"/groups/{group_id}")
    for referral_id in waiting:
        client.post(f"/groups/{group_id}/members", data={"referral": referral_id})
    db_session.expunge_all()
    with count_queries() as after:
        page = client.get(f"/groups/{group_id}")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count("/remove") == 4
    # The test's savepoints are not the page's queries.
    assert len(without_savepoints(after)) == len(without_savepoints(before))


def test_every_group_page_renders_with_the_demo_data(
    client: FlaskClient, db_session: OrmSession
) -> None:
    load_demo(db_session, now=now_utc())
    db_session.commit()
    client.post("/login", data={"email": "koordinator@demo.no", "password": DEMO_PASSWORD})
    groups = db_session.scalars(sa.select(Group)).all()
    templates = db_session.scalars(sa.select(CourseTemplate)).all()
    assert len(groups) == 4 and len(templates) == 3
    urls = [
        "/groups/",
        "/groups/new",
        "/groups/composer",
        "/groups/templates",
        "/groups/keep-apart",
    ]
    urls += [f"/groups/{g.id}" for g in groups] + [f"/groups/{g.id}/edit" for g in groups]
    urls += [f"/groups/templates/{t.id}" for t in templates]
    for url in urls:
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
    composer = client.get("/groups/composer").get_data(as_text=True)
    proposal = nb(
        "Proposal %(number)s: %(min)s–%(max)s years, %(count)s pupils",
        number=1,
        min="@",
        max="@",
        count="@",
    )
    assert re.search(re.escape(proposal).replace("@", r"\d+"), composer)
    keep_apart = client.get("/groups/keep-apart").get_data(as_text=True)
    assert "Går i samme klasse" in keep_apart


def test_composer_writes_every_proposals_form_around_a_submitted_one(
    client: FlaskClient,
    world: World,
    waitlisted: Waitlisted,
    hybrid_template: CourseTemplate,
) -> None:
    # Three proposals: two of the younger band, one of the older.
    for n in range(10):
        waitlisted(world.bestum, days_waiting=50 - n)
    waitlisted(world.smestad, birth_date=f.date(2014, 6, 1))
    sign_in(client, world.coordinator)
    url = f"/groups/composer?term={world.group.term_id}&template={hybrid_template.id}"
    page = client.get(url).get_data(as_text=True)
    for number in (1, 2, 3):
        assert f'<select class="pkt-input" id="p{number}-venue_id" name="p{number}-venue_id">' in (
            page
        )
        assert f'<input id="p{number}-version" name="p{number}-version" type="hidden"' in page
    assert (
        'id="p3-age_min" max="16" min="6" name="p3-age_min" required type="number" value="11"'
        in (page)
    )

    response = client.post(
        url + "&proposal=1",
        data={"p1-name": "", "p1-capacity": "4", "p1-min_size": "6", "p1-age_min": "8"},
    )
    assert response.status_code == 400
    failed = response.get_data(as_text=True)
    assert nb("The minimum cannot be larger than the capacity.") in failed
    assert (
        'id="p1-min_size" max="30" min="1" name="p1-min_size" required type="number" value="6"'
        in (failed)
    )
    # The next proposal's form is whole, and the one after it is written from it.
    for number in (2, 3):
        assert f'<select class="pkt-input" id="p{number}-term_id" name="p{number}-term_id"' in (
            failed
        )
    assert failed.count(f'<option selected value="{hybrid_template.id}">') == 3
