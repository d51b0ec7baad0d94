"""The group page's members read as rows, and their table rows built in Python, against the
ORM objects and the Jinja loop that the page used before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy.orm import Session as OrmSession

from mestring.core.fragments import url_pattern
from mestring.core.time import age_on
from mestring.groups.enums import SessionMode, WarningKind
from mestring.groups.fragments import member_rows
from mestring.groups.models import Group, KeepApartPair
from mestring.groups.queries import (
    group_facts,
    group_members,
    member_keep_apart_pairs,
    plan_rows,
)
from mestring.groups.warnings import group_warnings
from mestring.referrals.enums import ReferralStatus
from tests import factories as f
from tests.groups.conftest import keep_apart_pairs

HOSTILE = '"><script>alert(1)</script>&'

COLUMNS = "['Name', 'Age', 'School', 'Guardians', 'Needs', 'Access'] + (['Out'] if remove else [])"

# The page's loop before the rows were written in Python, over ORM memberships.
JINJA_TABLE = (
    '{%- import "_macros/tables.html" as tables -%}'
    "{%- set pupil_rows = [] %}"
    "{%- set take_out, yes, no = _('Take out'), _('Yes'), _('No') %}"
    "{%- for membership in memberships %}"
    "{%- set pupil = membership.pupil %}"
    '{%- set name_cell %}<a class="pkt-link" href="{{ pupil_url(pupil.id) }}">'
    "{{ pupil.full_name }}</a>{% endset %}"
    "{%- set row = [name_cell, age_on(pupil.birth_date, start_day), pupil.school.name,"
    " roster_guardian_contact(pupil.guardians) | trim or None,"
    " (roster_practical_needs(membership.referral) ~ roster_shared_worry(membership.referral))"
    " | trim or None,"
    " yes if membership.referral.digital_access else no] %}"
    "{%- if remove %}"
    '{%- set action_cell %}<a class="pkt-link" href="{{ remove_url(membership.id) }}">'
    '{{ take_out }}<span class="pkt-sr-only"> {{ pupil.full_name }}</span></a>{% endset %}'
    "{%- set row = row + [action_cell] %}"
    "{%- endif %}"
    "{%- set _ignored = pupil_rows.append(row) %}"
    "{%- endfor %}"
    "{{ tables.data_table(" + COLUMNS + ", pupil_rows, 'Pupils', row_headers=True,"
    " numeric=(1,), caption_hidden=True) }}"
)
PYTHON_TABLE = (
    '{%- import "_macros/tables.html" as tables -%}'
    "{{ tables.data_table(" + COLUMNS + ", rows, 'Pupils', row_headers=True,"
    " numeric=(1,), caption_hidden=True) }}"
)
START_DAY = date(2027, 1, 11)


@pytest.fixture
def group(db_session: OrmSession) -> Group:
    """A group with members of every kind the table shows: two guardians (one needing an
    interpreter), none, no digital access with travel and other needs and a shared worry, a
    hostile name, and one who has withdrawn."""
    group = f.GroupFactory()
    school = f.SchoolFactory(name="Ullern & Co")
    first = f.MembershipFactory(
        group=group,
        referral__pupil__school=school,
        referral__pupil__birth_date=date(2016, 1, 11),
    )
    f.GuardianFactory(pupil=first.pupil, name="Kari", phone="+47 400 00 000")
    f.GuardianFactory(
        pupil=first.pupil,
        name=HOSTILE,
        relation="far",
        phone=None,
        email=None,
        interpreter_needed=True,
        language="arabisk",
    )
    f.MembershipFactory(
        group=group,
        referral__pupil__first_name=HOSTILE,
        referral__digital_access=False,
        referral__travel_needs="Taxi <fra> skolen",
        referral__other_needs="Trenger pause",
        referral__worry_shared=True,
        referral__worry_text="Stor & uro",
    )
    f.MembershipFactory(group=group, referral__status=ReferralStatus.WITHDRAWN)
    f.MembershipFactory(group=group, referral__pupil__school=school)
    db_session.flush()
    db_session.expire_all()
    return group


def test_group_members_are_the_memberships_as_rows(db_session: OrmSession, group: Group) -> None:
    members = group_members(db_session, group)
    memberships = group.memberships
    assert [m.membership_id for m in members] == [m.id for m in memberships]
    assert [m.active for m in members] == [m in group.active_memberships for m in memberships]
    assert [m.active for m in members] == [True, True, False, True]
    for member, membership in zip(members, memberships, strict=True):
        pupil = membership.pupil
        assert (member.pupil_id, member.name, member.birth_date) == (
            pupil.id,
            pupil.full_name,
            pupil.birth_date,
        )
        assert (member.school_id, member.school_name) == (pupil.school_id, pupil.school.name)
        assert [g.name for g in member.guardians] == [g.name for g in pupil.guardians]
        assert member.referral.worry_text == membership.referral.worry_text
    assert [len(m.guardians) for m in members] == [2, 0, 0, 0]


def test_group_facts_hold_the_active_members(db_session: OrmSession, group: Group) -> None:
    facts = group_facts(
        db_session,
        group,
        group_members(db_session, group),
        plan_rows(db_session, group.id),
        [(1, 2)],
    )
    assert [p.pupil_id for p in facts.pupils] == [m.pupil_id for m in group.active_memberships]
    assert [p.digital_access for p in facts.pupils] == [True, False, True]
    assert facts.pupils[0].school_name == "Ullern & Co"
    assert facts.keep_apart == [(1, 2)]


@pytest.mark.parametrize("locale", ["nb", "en"])
@pytest.mark.parametrize("remove", [True, False])
def test_member_rows_make_the_pupil_tables_markup(
    app: Flask, db_session: OrmSession, group: Group, locale: str, remove: bool
) -> None:
    members = group_members(db_session, group)
    with app.test_request_context("/"), force_locale(locale):
        pupil_url = url_pattern("pupils.detail", "pupil_id")
        remove_url = url_pattern("groups.remove_member_view", "membership_id", group_id=group.id)
        globals_ = app.jinja_env.globals
        jinja = app.jinja_env.from_string(JINJA_TABLE).render(
            memberships=group.active_memberships,
            pupil_url=pupil_url,
            remove_url=remove_url,
            age_on=age_on,
            start_day=START_DAY,
            remove=remove,
        )
        rows = member_rows(
            members,
            start_day=START_DAY,
            guardian_contact=globals_["roster_guardian_contact"],
            practical_needs=globals_["roster_practical_needs"],
            shared_worry=globals_["roster_shared_worry"],
            remove_url=remove_url if remove else None,
        )
        python = app.jinja_env.from_string(PYTHON_TABLE).render(rows=rows, remove=remove)
    assert python == jinja
    assert len(rows) == 3
    assert "&#34;&gt;&lt;script&gt;" in python
    assert ("/remove" in python) is remove


def test_plan_rows_are_the_groups_sessions_as_rows(db_session: OrmSession, group: Group) -> None:
    start = datetime(2027, 1, 13, 12, 0, tzinfo=UTC)
    # Made out of order: the rows come in the order of Group.sessions, by start.
    for position, days, mode in [(2, 7, SessionMode.DIGITAL), (1, 0, SessionMode.PHYSICAL)]:
        f.SessionFactory(
            group=group,
            position=position,
            mode=mode,
            starts_at=start + timedelta(days=days),
            ends_at=start + timedelta(days=days, minutes=90),
        )
    f.SessionFactory()  # another group's
    db_session.flush()
    db_session.expire_all()
    rows = plan_rows(db_session, group.id)
    columns = ("id", "position", "title", "starts_at", "ends_at", "mode", "status")
    assert [tuple(row) for row in rows] == [
        tuple(getattr(session, column) for column in columns) for session in group.sessions
    ]
    assert [row.position for row in rows] == [1, 2]
    assert rows[0].starts_at == start
    members = group_members(db_session, group)
    assert group_facts(db_session, group, members, rows, []).has_digital_sessions
    assert not group_facts(db_session, group, members, rows[:1], []).has_digital_sessions


def test_members_bring_the_keep_apart_pairs_that_warn_about_the_group(
    db_session: OrmSession, group: Group
) -> None:
    """The pairs read with the members warn as the district's pairs did: pairs of members,
    in either order, not one who has left, nor a pupil outside the group; another district's
    pairs are not read. A pupil with guardians and pairs keeps each guardian once. Pairs are
    stored lower id first."""
    first, hostile, withdrawn, fourth = (m.pupil_id for m in group.memberships)
    outsider = f.PupilFactory().id
    other_district = f.DistrictFactory().id
    db_session.flush()
    for district, a, b in [
        (group.district_id, first, fourth),
        (group.district_id, hostile, first),
        (group.district_id, first, withdrawn),
        (group.district_id, first, outsider),
        (other_district, hostile, fourth),
    ]:
        low, high = sorted((a, b))
        db_session.add(KeepApartPair(district_id=district, pupil_a_id=low, pupil_b_id=high))
    db_session.flush()
    members = group_members(db_session, group)
    assert [len(m.guardians) for m in members] == [2, 0, 0, 0]
    assert [g.name for g in members[0].guardians] == ["Kari", HOSTILE]
    assert sorted(member_keep_apart_pairs(members)) == sorted(
        tuple(sorted(pair))
        for pair in [(first, fourth), (hostile, first), (first, withdrawn), (first, outsider)]
    )
    plan = plan_rows(db_session, group.id)
    district_pairs = keep_apart_pairs(db_session, group.district_id)
    assert len(district_pairs) == 4
    before = group_warnings(group_facts(db_session, group, members, plan, district_pairs))
    after = group_warnings(
        group_facts(db_session, group, members, plan, member_keep_apart_pairs(members))
    )
    assert after == before
    assert [w.pupil_ids for w in after if w.kind is WarningKind.KEEP_APART] == sorted(
        [tuple(sorted((first, fourth))), tuple(sorted((hostile, first)))]
    )
