"""The CSV import: parsing, all-or-nothing, BOM and semicolons, confirmation and scope."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.core.errors import StaleEdit
from mestring.core.time import now_utc
from mestring.models import AbsenceRecord, Pupil
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.importing import HEADER, SAMPLE_CSV, check_rows, commit_rows, parse
from tests import factories as f
from tests.conftest import World, sign_in
from tests.outcomes.conftest import csv_row, in_english
from tests.statements import counting

HEADER_LINE = ",".join(HEADER)


def records(db: OrmSession) -> list[AbsenceRecord]:
    return list(db.scalars(sa.select(AbsenceRecord).order_by(AbsenceRecord.id)))


def upload(client: FlaskClient, body: bytes | str, school_id: int | None = None) -> str:
    raw = body.encode() if isinstance(body, str) else body
    data: dict[str, object] = {"file": (io.BytesIO(raw), "absence.csv")}
    if school_id is not None:
        data["school"] = str(school_id)
    response = client.post("/outcomes/import", data=data, content_type="multipart/form-data")
    return response.get_data(as_text=True)


def token_of(page: str) -> str:
    match = re.search(r'name="token" type="hidden" value="([^"]+)"', page) or re.search(
        r'id="token" name="token" type="hidden" value="([^"]+)"', page
    )
    assert match, page
    return match.group(1)


def placed_bestum_pupils(world: World, count: int) -> list[str]:
    refs = []
    for _ in range(count):
        membership = f.MembershipFactory(
            group=world.group, referral__pupil=f.PupilFactory(school=world.bestum)
        )
        refs.append(membership.pupil.pupil_ref)
    return refs


# -- Parsing ----------------------------------------------------------------------------------


def test_header_must_match_exactly() -> None:
    preview = parse("pupil,period\nx,baseline\n")
    assert preview.file_error and HEADER_LINE in preview.file_error


def test_every_bad_value_is_reported_on_its_row() -> None:
    text = "\n".join(
        [
            HEADER_LINE,
            csv_row("A", school_days="abc"),
            csv_row("B", days_documented=-2),
            csv_row("C", period="during"),
            csv_row("D", start="02.11.2026"),
            csv_row("E", school_days=5, days_documented=4, days_undocumented=3),
            csv_row("F", school_days=0, days_documented=0, days_undocumented=0),
            csv_row("G"),
        ]
    )
    rows = {row.pupil_ref: row for row in parse(text).rows}
    assert rows["A"].errors == ["school_days is not a whole number: abc"]
    assert rows["B"].errors == ["No figure may be negative."]
    assert rows["C"].errors == ["period must be baseline, post or follow_up, not during"]
    assert rows["D"].errors == ["start is not a date as YYYY-MM-DD: 02.11.2026"]
    assert rows["E"].errors == ["More days absent than there were school days."]
    assert rows["F"].errors == ["A period must have at least one school day."]
    assert rows["G"].errors == []
    assert [row.line for row in parse(text).rows] == [2, 3, 4, 5, 6, 7, 8]


def test_duplicates_within_the_file_are_marked_on_both_lines() -> None:
    preview = parse("\n".join([HEADER_LINE, csv_row("A"), csv_row("A", "post"), csv_row("A")]))
    assert [bool(row.errors) for row in preview.rows] == [True, False, True]
    assert "lines 2, 4" in preview.rows[0].errors[0]


def test_bom_and_semicolons_are_accepted() -> None:
    text = "\ufeff" + HEADER_LINE.replace(",", ";") + "\r\n" + csv_row("A").replace(",", ";")
    preview = parse(text.encode("utf-8").decode("utf-8-sig"))
    assert preview.file_error is None
    assert preview.rows[0].errors == []
    assert preview.rows[0].data is not None and preview.rows[0].data.school_days == 55


def test_the_sample_file_parses_without_errors() -> None:
    preview = parse(SAMPLE_CSV)
    assert preview.file_error is None and len(preview.rows) == 2
    assert all(not row.errors for row in preview.rows)


# -- Through the pages ------------------------------------------------------------------------


def test_one_bad_row_among_many_writes_nothing(
    client: FlaskClient, db_session: OrmSession, course: World
) -> None:
    refs = placed_bestum_pupils(course, 11)
    lines = [HEADER_LINE] + [csv_row(ref) for ref in refs]
    lines[7] = csv_row(refs[6], days_documented=60)  # more days absent than school days
    sign_in(client, course.school)
    in_english(client)
    page = upload(client, "\n".join(lines))
    assert "1 of 11 rows have errors" in page
    assert "More days absent than there were school days." in page
    assert 'name="token"' not in page  # no confirmation offered
    assert records(db_session) == []


def test_valid_file_is_previewed_then_saved_on_confirmation(
    client: FlaskClient, db_session: OrmSession, course: World
) -> None:
    refs = placed_bestum_pupils(course, 3)
    body = "\ufeff" + "\n".join([HEADER_LINE] + [csv_row(ref) for ref in refs])
    sign_in(client, course.school)
    in_english(client)
    page = upload(client, body.encode("utf-8"))
    assert "All 3 rows are valid" in page
    assert records(db_session) == []  # the preview writes nothing
    response = client.post(
        "/outcomes/import/confirm", data={"school": course.bestum.id, "token": token_of(page)}
    )
    assert response.status_code == 302
    saved = records(db_session)
    assert len(saved) == 3
    assert {r.period for r in saved} == {PeriodKind.BASELINE}
    assert saved[0].school_days == 55 and saved[0].entered_by_id == course.school.id


def test_semicolon_file_imports(client: FlaskClient, db_session: OrmSession, course: World) -> None:
    body = HEADER_LINE.replace(",", ";") + "\n" + csv_row(course.pupil.pupil_ref).replace(",", ";")
    sign_in(client, course.school)
    in_english(client)
    page = upload(client, body)
    client.post(
        "/outcomes/import/confirm", data={"school": course.bestum.id, "token": token_of(page)}
    )
    assert [r.pupil_id for r in records(db_session)] == [course.pupil.id]


def test_existing_periods_are_updated_only_when_confirmed(
    client: FlaskClient, db_session: OrmSession, course: World
) -> None:
    f.AbsenceRecordFactory(
        pupil=course.pupil, starts_on=date(2026, 11, 2), ends_on=date(2027, 2, 1), school_days=40
    )
    body = HEADER_LINE + "\n" + csv_row(course.pupil.pupil_ref, school_days=50)
    sign_in(client, course.school)
    in_english(client)
    page = upload(client, body)
    assert "Updates an entered period" in page
    token = token_of(page)
    refused = client.post(
        "/outcomes/import/confirm", data={"school": course.bestum.id, "token": token}
    )
    assert refused.status_code == 400
    assert records(db_session)[0].school_days == 40
    client.post(
        "/outcomes/import/confirm",
        data={"school": course.bestum.id, "token": token, "overwrite": "y"},
    )
    db_session.expire_all()
    assert records(db_session)[0].school_days == 50


def test_school_user_cannot_import_rows_for_another_schools_pupil(
    client: FlaskClient, db_session: OrmSession, course: World
) -> None:
    smestad_ref = course.smestad_pupil.pupil_ref
    body = "\n".join([HEADER_LINE, csv_row(course.pupil.pupil_ref), csv_row(smestad_ref)])
    sign_in(client, course.school)
    in_english(client)
    page = upload(client, body)
    assert "The pupil belongs to another school." in page
    assert 'name="token"' not in page
    # A school user cannot choose another school: the rows are still matched within Bestum.
    assert "The pupil belongs to another school." in upload(client, body, course.smestad.id)
    assert records(db_session) == []


def test_a_forged_token_is_refused(
    client: FlaskClient, db_session: OrmSession, course: World
) -> None:
    sign_in(client, course.school)
    in_english(client)
    page = upload(client, HEADER_LINE + "\n" + csv_row(course.pupil.pupil_ref))
    token = token_of(page)
    response = client.post(
        "/outcomes/import/confirm", data={"school": course.bestum.id, "token": token[:-3] + "abc"}
    )
    assert response.status_code == 400
    assert "Upload the file again" in response.get_data(as_text=True)
    assert records(db_session) == []


def test_coordinator_imports_for_a_chosen_school(
    client: FlaskClient, db_session: OrmSession, course: World
) -> None:
    sign_in(client, course.coordinator)
    in_english(client)
    page = upload(client, HEADER_LINE + "\n" + csv_row(course.pupil.pupil_ref), course.smestad.id)
    assert "No pupil of this school has this reference." in page or "another school" in page
    page = upload(client, HEADER_LINE + "\n" + csv_row(course.pupil.pupil_ref), course.bestum.id)
    client.post(
        "/outcomes/import/confirm", data={"school": course.bestum.id, "token": token_of(page)}
    )
    assert len(records(db_session)) == 1


def test_dates_that_do_not_fit_the_group_are_refused(
    client: FlaskClient, db_session: OrmSession, course: World
) -> None:
    body = HEADER_LINE + "\n" + csv_row(course.pupil.pupil_ref, end="2027-02-10")
    sign_in(client, course.school)
    in_english(client)
    assert "A baseline period must end before the group" in upload(client, body)


def test_sample_file_downloads(client: FlaskClient, world: World) -> None:
    sign_in(client, world.school)
    response = client.get("/outcomes/import/sample.csv")
    assert response.get_data(as_text=True).splitlines()[0] == HEADER_LINE


def _confirm_counting(
    client: FlaskClient, db: OrmSession, school_id: int, token: str
) -> tuple[int, int]:
    with counting(db) as statements:
        response = client.post(
            "/outcomes/import/confirm",
            data={"school": school_id, "token": token, "overwrite": "y"},
        )
    return response.status_code, len(statements)


def test_many_rows_are_saved_in_as_many_statements_as_a_few(
    client: FlaskClient, db_session: OrmSession, course: World
) -> None:
    refs = placed_bestum_pupils(course, 12)
    sign_in(client, course.school)
    counts = []
    # New rows, more new rows, then all of them again (updates).
    for chosen in (refs[:2], refs[2:], refs):
        body = "\n".join([HEADER_LINE] + [csv_row(ref) for ref in chosen])
        token = token_of(upload(client, body))
        db_session.expire_all()
        status, statements = _confirm_counting(client, db_session, course.bestum.id, token)
        assert status == 302
        counts.append(statements)
    assert counts[0] == counts[1] == counts[2]
    db_session.expire_all()
    saved = records(db_session)
    assert len(saved) == 12
    assert {r.version_id for r in saved} == {2}


def test_updated_values_replace_the_old_ones(
    client: FlaskClient, db_session: OrmSession, course: World
) -> None:
    refs = placed_bestum_pupils(course, 2)
    old = [f.AbsenceRecordFactory(pupil=pupil_of(db_session, ref), school_days=40) for ref in refs]
    body = "\n".join(
        [HEADER_LINE] + [csv_row(ref, school_days=70 + n) for n, ref in enumerate(refs)]
    )
    sign_in(client, course.school)
    token = token_of(upload(client, body))
    status, _ = _confirm_counting(client, db_session, course.bestum.id, token)
    assert status == 302
    db_session.expire_all()
    assert [(r.id, r.school_days, r.version_id) for r in records(db_session)] == [
        (old[0].id, 70, 2),
        (old[1].id, 71, 2),
    ]


def test_a_period_saved_by_someone_else_meanwhile_stops_the_whole_import(
    db_session: OrmSession, course: World
) -> None:
    refs = placed_bestum_pupils(course, 2)
    record = f.AbsenceRecordFactory(pupil=pupil_of(db_session, refs[0]), school_days=40)
    db_session.flush()
    preview = parse("\n".join([HEADER_LINE] + [csv_row(ref, school_days=50) for ref in refs]))
    matched = check_rows(db_session, preview, course.bestum)
    # Another request saves the record after this one has read it.
    db_session.execute(
        sa.update(AbsenceRecord.__table__)
        .where(AbsenceRecord.__table__.c.id == record.id)
        .values(version_id=2, school_days=45)
    )
    with pytest.raises(StaleEdit):
        commit_rows(
            db_session,
            actor=course.school,
            preview=preview,
            matched=matched,
            overwrite=True,
            now=now_utc(),
        )


def pupil_of(db: OrmSession, ref: str) -> Pupil:
    return db.scalars(sa.select(Pupil).where(Pupil.pupil_ref == ref)).one()
