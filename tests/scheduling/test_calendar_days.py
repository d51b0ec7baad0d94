"""A district's closed days: its periods that touch the window, read by a statement built once."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session as OrmSession

from mestring.scheduling.calendar_days import ClosedSpan, closed_days_for
from mestring.scheduling.enums import ClosedPeriodKind
from mestring.scheduling.models import ClosedPeriod
from tests.conftest import World


def test_the_periods_touching_the_window_of_the_district_only(
    world: World, db_session: OrmSession
) -> None:
    district_id = world.group.district_id
    spans = {
        "before": (date(2027, 1, 1), date(2027, 1, 31)),
        "ends on the first day": (date(2027, 1, 25), date(2027, 2, 1)),
        "inside": (date(2027, 2, 10), date(2027, 2, 12)),
        "starts on the last day": (date(2027, 2, 28), date(2027, 3, 5)),
        "after": (date(2027, 3, 1), date(2027, 3, 2)),
    }
    for name, (starts_on, ends_on) in spans.items():
        db_session.add(
            ClosedPeriod(
                district_id=district_id,
                kind=ClosedPeriodKind.OTHER,
                name=name,
                starts_on=starts_on,
                ends_on=ends_on,
            )
        )
    db_session.add(
        ClosedPeriod(
            district_id=world.other_school.district_id,
            kind=ClosedPeriodKind.OTHER,
            name="another district",
            starts_on=date(2027, 2, 10),
            ends_on=date(2027, 2, 10),
        )
    )
    db_session.flush()
    assert world.other_school.district_id != district_id

    closed = closed_days_for(db_session, district_id, date(2027, 2, 1), date(2027, 2, 28))

    assert closed.periods == tuple(
        ClosedSpan(name, *spans[name])
        for name in ("ends on the first day", "inside", "starts on the last day")
    )
    assert date(2027, 2, 11) in closed
    assert date(2027, 2, 15) not in closed
    assert (
        closed_days_for(db_session, district_id, date(2028, 1, 2), date(2028, 1, 3)).periods == ()
    )
