"""CSV import of absence records: parse and check every row, then write all of them or none.

The format (also in the README, and as a sample file on the import page): one row a pupil and
period, matched on the school's pupil reference, with this header and these columns in order::

    pupil_ref,period,start,end,school_days,teaching_hours,days_documented,days_undocumented,
    hours_documented,hours_undocumented,late_arrivals

``period`` is ``baseline``, ``post`` or ``follow_up``; dates are ISO ``YYYY-MM-DD``. A semicolon
instead of a comma and a UTF-8 byte order mark (as spreadsheets export) are accepted too.

Between the preview and the confirmation nothing is kept in server memory: the checked rows
travel in a hidden form field, signed with the app's secret (itsdangerous) and bound to the user
and the school, and valid for an hour. A signed field rather than a second upload, so the user
confirms exactly what they saw without choosing the file again, any app instance can take the
confirmation, and a tampered field is refused. On confirmation the rows are checked against the
database once more (someone may have entered a period in between) before anything is written.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, cast

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeTimedSerializer

from mestring.accounts.models import School, User
from mestring.core.errors import StaleEdit
from mestring.core.translations import lazy_gettext as _l
from mestring.db import DbSession
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.models import AbsenceRecord
from mestring.outcomes.periods import fit_problem
from mestring.outcomes.services import (
    FIGURES,
    AbsenceInput,
    Placement,
    check_absence,
    figure_problems,
    placements_of,
)
from mestring.referrals.models import Pupil

HEADER = (
    "pupil_ref",
    "period",
    "start",
    "end",
    "school_days",
    "teaching_hours",
    "days_documented",
    "days_undocumented",
    "hours_documented",
    "hours_undocumented",
    "late_arrivals",
)
MAX_ROWS = 2000
TOKEN_MAX_AGE = 3600
_SALT = "mestring.absence-import"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

SAMPLE_CSV = (
    ",".join(HEADER)
    + "\r\n"
    + "BES-0101,baseline,2026-10-05,2027-01-03,55,275,4,3,10,5,6\r\n"
    + "BES-0101,post,2027-05-01,2027-07-31,40,200,1,0,4,2,1\r\n"
)


class ImportRefused(Exception):
    """The rows cannot be written (some row has errors, or updates were not confirmed)."""


@dataclass
class ImportRow:
    """One line of the file: what it says, what it means, and everything wrong with it."""

    line: int
    pupil_ref: str
    period_text: str
    period: PeriodKind | None = None
    data: AbsenceInput | None = None
    errors: list[str] = field(default_factory=list)
    pupil_id: int | None = None
    # A record for this pupil and period exists and would be updated.
    updates: bool = False

    @property
    def day_absence_percent(self) -> float | None:
        if self.data is None or self.data.school_days < 1:
            return None
        days = self.data.days_documented + self.data.days_undocumented
        return days * 100.0 / self.data.school_days


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    file_error: str | None = None

    @property
    def valid(self) -> bool:
        return self.file_error is None and bool(self.rows) and not self.error_count

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def update_count(self) -> int:
        return sum(1 for row in self.rows if row.updates)


# -- Parsing (pure) -------------------------------------------------------------------------


def decode(raw: bytes) -> str:
    """UTF-8 text with any byte order mark removed; ValueError if it is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(str(_l("The file is not UTF-8 text."))) from error


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _integer(text: str, column: str, errors: list[str]) -> int:
    try:
        return int(text)
    except ValueError:
        if text == "":
            errors.append(str(_l("%(column)s is empty.", column=column)))
        else:
            errors.append(
                str(_l("%(column)s is not a whole number: %(value)s", column=column, value=text))
            )
        return 0


def _date(text: str, column: str, errors: list[str]) -> date | None:
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        errors.append(
            str(_l("%(column)s is not a date as YYYY-MM-DD: %(value)s", column=column, value=text))
        )
        return None


def parse_row(line: int, cells: list[str]) -> ImportRow:
    """One data line, checked on its own (not against the database)."""
    cells = [cell.strip() for cell in cells]
    if len(cells) != len(HEADER):
        row = ImportRow(line=line, pupil_ref=cells[0] if cells else "", period_text="")
        row.errors.append(
            str(
                _l(
                    "Expected %(expected)s columns, found %(found)s.",
                    expected=len(HEADER),
                    found=len(cells),
                )
            )
        )
        return row
    values = dict(zip(HEADER, cells, strict=True))
    row = ImportRow(line=line, pupil_ref=values["pupil_ref"], period_text=values["period"])
    errors = row.errors
    if not row.pupil_ref:
        errors.append(str(_l("pupil_ref is empty.")))
    if values["period"] in set(PeriodKind):
        row.period = PeriodKind(values["period"])
    else:
        errors.append(
            str(
                _l(
                    "period must be baseline, post or follow_up, not %(value)s",
                    value=values["period"],
                )
            )
        )
    starts_on = _date(values["start"], "start", errors)
    ends_on = _date(values["end"], "end", errors)
    before_numbers = len(errors)
    numbers = {name: _integer(values[name], name, errors) for name in FIGURES}
    if starts_on and ends_on and len(errors) == before_numbers:
        row.data = AbsenceInput(starts_on=starts_on, ends_on=ends_on, **numbers)
        errors.extend(figure_problems(row.data))
    return row


def parse(text: str) -> ImportPreview:
    """Every line of the file, each with its own errors and duplicates marked."""
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return ImportPreview(rows=[], file_error=str(_l("The file is empty.")))
    delimiter = _delimiter(lines[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]
    if tuple(header) != HEADER:
        return ImportPreview(
            rows=[],
            file_error=str(
                _l("The first line must be the header: %(header)s", header=",".join(HEADER))
            ),
        )
    rows: list[ImportRow] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            return ImportPreview(
                rows=[],
                file_error=str(_l("At most %(n)s rows can be imported at once.", n=MAX_ROWS)),
            )
        rows.append(parse_row(reader.line_num, cells))
    if not rows:
        return ImportPreview(rows=[], file_error=str(_l("The file has no rows after the header.")))
    _mark_duplicates(rows)
    return ImportPreview(rows=rows)


def _mark_duplicates(rows: list[ImportRow]) -> None:
    seen: dict[tuple[str, str], list[ImportRow]] = defaultdict(list)
    for row in rows:
        if row.pupil_ref and row.period is not None:
            seen[(row.pupil_ref, row.period.value)].append(row)
    for same in seen.values():
        if len(same) > 1:
            lines = ", ".join(str(row.line) for row in same)
            for row in same:
                row.errors.append(
                    str(
                        _l(
                            "The pupil and period appear more than once (lines %(lines)s).",
                            lines=lines,
                        )
                    )
                )


# -- Checks against the database ------------------------------------------------------------


@dataclass(frozen=True)
class Matched:
    """What the rows' pupils have in the database, read once by ``check_rows`` and written
    from by ``commit_rows``."""

    pupils: dict[int, Pupil]
    placements: dict[int, Placement]
    records: dict[tuple[int, PeriodKind], AbsenceRecord]


def check_rows(db: DbSession, preview: ImportPreview, school: School) -> Matched:
    """Match each row's pupil in ``school`` and check it against the pupil's group and records."""
    refs = {row.pupil_ref for row in preview.rows if row.pupil_ref}
    own = {
        pupil.pupil_ref: pupil
        for pupil in db.scalars(
            sa.select(Pupil).where(Pupil.school_id == school.id, Pupil.pupil_ref.in_(refs))
        )
    }
    elsewhere = set(
        db.scalars(
            sa.select(Pupil.pupil_ref).where(
                Pupil.school_id != school.id, Pupil.pupil_ref.in_(refs - set(own))
            )
        )
    )
    pupil_ids = [pupil.id for pupil in own.values()]
    placements = placements_of(db, pupil_ids)
    records = {
        (record.pupil_id, record.period): record
        for record in db.scalars(
            sa.select(AbsenceRecord).where(AbsenceRecord.pupil_id.in_(pupil_ids))
        )
    }
    # Translated once, not once a row.
    other_school = str(_l("The pupil belongs to another school."))
    unknown = str(_l("No pupil of this school has this reference."))
    not_placed = str(_l("The pupil is not placed in a group."))
    for row in preview.rows:
        if not row.pupil_ref:
            continue
        pupil = own.get(row.pupil_ref)
        if pupil is None:
            row.errors.append(other_school if row.pupil_ref in elsewhere else unknown)
            continue
        pupil_id = row.pupil_id = pupil.id
        placement = placements.get(pupil_id)
        if placement is None:
            row.errors.append(not_placed)
            continue
        if (
            row.data is not None
            and row.period is not None
            and row.data.ends_on > row.data.starts_on
        ):
            problem = fit_problem(
                row.period, row.data.starts_on, row.data.ends_on, placement.course
            )
            if problem:
                row.errors.append(problem)
        row.updates = (pupil_id, row.period) in records
    return Matched({pupil.id: pupil for pupil in own.values()}, placements, records)


def preview_file(db: DbSession, raw: bytes, school: School) -> ImportPreview:
    try:
        text = decode(raw)
    except ValueError as error:
        return ImportPreview(rows=[], file_error=str(error))
    preview = parse(text)
    if preview.file_error is None:
        check_rows(db, preview, school)
    return preview


def commit_rows(
    db: DbSession,
    *,
    actor: User,
    preview: ImportPreview,
    matched: Matched,
    overwrite: bool,
    now: datetime,
) -> tuple[int, int]:
    """Write every row, or none: (created, updated), from what ``check_rows`` matched in this
    transaction. The caller commits, or rolls back on error."""
    if not preview.valid:
        raise ImportRefused(str(_l("Nothing was imported: some rows have errors.")))
    if preview.update_count and not overwrite:
        raise ImportRefused(
            str(_l("Some rows would update entered periods; confirm that they may be updated."))
        )
    pupils, placements, records = matched.pupils, matched.placements, matched.records
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for row in preview.rows:
        assert row.pupil_id is not None and row.period is not None and row.data is not None  # noqa: S101  (valid rows)
        check_absence(
            actor=actor,
            pupil=pupils[row.pupil_id],
            placement=placements[row.pupil_id],
            period=row.period,
            data=row.data,
        )
        values = {**asdict(row.data), "entered_by_id": actor.id, "entered_at": now}
        existing = records.get((row.pupil_id, row.period))
        if existing is None:
            inserts.append({**values, "pupil_id": row.pupil_id, "period": row.period})
        else:
            updates.append({**values, "old_id": existing.id, "old_version": existing.version_id})
    _write_all(db, inserts, updates, list(records.values()))
    return len(inserts), len(updates)


def _write_all(
    db: DbSession,
    inserts: list[dict[str, Any]],
    updates: list[dict[str, Any]],
    loaded: list[AbsenceRecord],
) -> None:
    """The new records in one statement and the updated ones in another (not one per row),
    each update only if nobody saved the record since it was read; StaleEdit otherwise."""
    table = cast(sa.Table, AbsenceRecord.__table__)
    if inserts:
        db.execute(sa.insert(table).values(version_id=1), inserts)
    if not updates:
        return
    statement = (
        sa.update(table)
        .where(
            table.c.id == sa.bindparam("old_id"),
            table.c.version_id == sa.bindparam("old_version"),
        )
        .values(version_id=table.c.version_id + 1)
    )
    result = cast(sa.CursorResult[Any], db.execute(statement, updates))
    if result.rowcount != len(updates):
        raise StaleEdit(
            str(_l("Someone else saved this period after you opened it. Reload and try again."))
        )
    for record in loaded:
        db.expire(record)


# -- The signed rows between preview and confirmation ---------------------------------------


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def sign_rows(preview: ImportPreview, *, secret_key: str, user: User, school: School) -> str:
    rows = []
    for row in preview.rows:
        assert row.data is not None and row.period is not None  # noqa: S101  (valid rows)
        data = asdict(row.data)
        data["starts_on"], data["ends_on"] = (
            row.data.starts_on.isoformat(),
            row.data.ends_on.isoformat(),
        )
        rows.append({"line": row.line, "ref": row.pupil_ref, "period": row.period.value, **data})
    return _serializer(secret_key).dumps({"user": user.id, "school": school.id, "rows": rows})


def load_rows(token: str, *, secret_key: str, user: User, school: School) -> ImportPreview:
    """The rows signed at preview; ImportRefused if the token is forged, old or someone else's."""
    try:
        payload: dict[str, Any] = _serializer(secret_key).loads(token, max_age=TOKEN_MAX_AGE)
    except BadSignature as error:
        raise ImportRefused(
            str(_l("The preview has expired or is not valid. Upload the file again."))
        ) from error
    if payload.get("user") != user.id or payload.get("school") != school.id:
        raise ImportRefused(
            str(_l("The preview has expired or is not valid. Upload the file again."))
        )
    rows = []
    for item in payload["rows"]:
        data = AbsenceInput(
            starts_on=date.fromisoformat(item["starts_on"]),
            ends_on=date.fromisoformat(item["ends_on"]),
            **{name: int(item[name]) for name in FIGURES},
        )
        row = ImportRow(
            line=int(item["line"]),
            pupil_ref=str(item["ref"]),
            period_text=item["period"],
            period=PeriodKind(item["period"]),
            data=data,
        )
        row.errors.extend(figure_problems(data))
        rows.append(row)
    return ImportPreview(rows=rows)
