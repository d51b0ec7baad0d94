"""Each composition warning, for facts built by hand."""

from __future__ import annotations

from datetime import date

from mestring.accounts.enums import ServiceKind
from mestring.groups.enums import WarningKind
from mestring.groups.warnings import GroupFacts, PupilFacts, facilitator_warnings, group_warnings


def pupil(
    pupil_id: int,
    school_id: int = 1,
    birth_date: date = date(2017, 5, 1),
    digital_access: bool = True,
) -> PupilFacts:
    return PupilFacts(
        pupil_id=pupil_id,
        name=f"Elev {pupil_id}",
        school_id=school_id,
        school_name=f"Skole {school_id}",
        birth_date=birth_date,
        digital_access=digital_access,
    )


def facts(pupils: list[PupilFacts], **kwargs: object) -> GroupFacts:
    values: dict[str, object] = {
        "capacity": 8,
        "min_size": 4,
        "has_digital_sessions": False,
        "keep_apart": (),
    }
    values.update(kwargs)
    return GroupFacts(pupils=pupils, **values)  # type: ignore[arg-type]


def kinds(group: GroupFacts) -> list[WarningKind]:
    return [warning.kind for warning in group_warnings(group)]


def test_a_good_group_has_no_warnings() -> None:
    assert group_warnings(facts([pupil(n) for n in range(1, 6)])) == []


def test_over_capacity() -> None:
    warnings = group_warnings(facts([pupil(n) for n in range(1, 6)], capacity=4))
    assert [w.kind for w in warnings] == [WarningKind.OVER_CAPACITY]
    assert warnings[0].message == "5 pupils, but the capacity is 4."


def test_at_capacity_is_no_warning() -> None:
    assert kinds(facts([pupil(n) for n in range(1, 5)], capacity=4)) == []


def test_under_the_minimum() -> None:
    warnings = group_warnings(facts([pupil(1), pupil(2), pupil(3)]))
    assert [w.kind for w in warnings] == [WarningKind.UNDER_MINIMUM]
    assert "at least 4" in warnings[0].message


def test_age_spread_over_three_years() -> None:
    pupils = [pupil(1, birth_date=date(2014, 5, 1)), *(pupil(n) for n in range(2, 5))]
    pupils[-1] = pupil(4, birth_date=date(2017, 5, 2))
    warnings = group_warnings(facts(pupils))
    assert [w.kind for w in warnings] == [WarningKind.AGE_SPREAD]
    assert warnings[0].pupil_ids == (1, 4)


def test_exactly_three_years_is_no_warning() -> None:
    pupils = [pupil(1, birth_date=date(2014, 5, 1)), pupil(2), pupil(3), pupil(4)]
    assert kinds(facts(pupils)) == []


def test_one_pupil_alone_from_their_school() -> None:
    pupils = [pupil(1), pupil(2), pupil(3), pupil(4, school_id=2)]
    warnings = group_warnings(facts(pupils))
    assert [w.kind for w in warnings] == [WarningKind.ALONE_FROM_SCHOOL]
    assert warnings[0].pupil_ids == (4,)
    assert warnings[0].message == "Elev 4 is the only pupil from Skole 2."


def test_no_digital_access_only_matters_with_digital_sessions() -> None:
    pupils = [pupil(1, digital_access=False), pupil(2), pupil(3), pupil(4)]
    assert kinds(facts(pupils, has_digital_sessions=False)) == []
    warnings = group_warnings(facts(pupils, has_digital_sessions=True))
    assert [w.kind for w in warnings] == [WarningKind.NO_DIGITAL_ACCESS]
    assert warnings[0].pupil_ids == (1,)


def test_keep_apart_pair_in_the_same_group_in_either_order() -> None:
    pupils = [pupil(n) for n in range(1, 5)]
    warnings = group_warnings(facts(pupils, keep_apart=[(3, 2), (1, 99)]))
    assert [w.kind for w in warnings] == [WarningKind.KEEP_APART]
    assert warnings[0].pupil_ids == (2, 3)
    assert warnings[0].message == "Elev 2 and Elev 3 are to be kept apart."


def test_empty_group_warns_only_about_the_minimum() -> None:
    assert kinds(facts([], has_digital_sessions=True)) == [WarningKind.UNDER_MINIMUM]


# --- Who leads the group --------------------------------------------------------------------------

PPT, HEALTH, SCHOOL, DISTRICT = (
    ServiceKind.PPT,
    ServiceKind.SCHOOL_HEALTH,
    ServiceKind.SCHOOL,
    ServiceKind.DISTRICT,
)


def facilitator_kinds(services: list[ServiceKind | None]) -> list[WarningKind]:
    return [w.kind for w in facilitator_warnings(services)]


def test_ppt_health_and_school_staff_give_no_warning() -> None:
    assert facilitator_warnings([PPT, HEALTH, SCHOOL]) == []


def test_fewer_than_two_facilitators() -> None:
    assert (
        facilitator_kinds([]) == [WarningKind.FEW_FACILITATORS] + [WarningKind.MISSING_SERVICE] * 3
    )
    assert facilitator_kinds([PPT])[0] is WarningKind.FEW_FACILITATORS
    assert WarningKind.FEW_FACILITATORS not in facilitator_kinds([PPT, PPT])


def test_each_missing_service_is_named() -> None:
    warnings = facilitator_warnings([PPT, DISTRICT, None])
    assert [w.kind for w in warnings] == [WarningKind.MISSING_SERVICE] * 2
    assert [w.message for w in warnings] == [
        "No facilitator from School health service.",
        "No facilitator from School staff.",
    ]
