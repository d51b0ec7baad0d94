"""The workload list's page of facilitators, read with the list's length in one statement, is
the page that paginating ``facilitators_of`` gives."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.enums import Role
from mestring.core.pagination import PER_PAGE, paginate
from mestring.facilitators.queries import facilitator_page, facilitators_of
from tests import factories as f
from tests.conftest import World
from tests.statements import counting


@pytest.fixture
def many_facilitators(db_session: OrmSession, world: World) -> int:
    """More facilitators than two pages hold, some inactive, of two services, with names
    alike; one of another district."""
    district = world.coordinator.district
    services = [f.ServiceFactory(district=district) for _ in range(2)]
    for n in range(PER_PAGE + 8):
        f.UserFactory(
            role=Role.FACILITATOR,
            district=district,
            name=f"Veileder {n % 7}",
            active=n % 5 != 0,
            service=services[n % 2],
        )
    other = world.coordinator_other.district
    f.UserFactory(role=Role.FACILITATOR, district=other, service=f.ServiceFactory(district=other))
    db_session.flush()
    assert district.id is not None
    return district.id


@pytest.mark.parametrize("number", [-1, 0, 1, 2, 3, 9])
def test_the_page_is_the_paginated_page(
    db_session: OrmSession, many_facilitators: int, number: int
) -> None:
    expected = paginate(db_session, facilitators_of(many_facilitators), number)
    page = facilitator_page(db_session, many_facilitators, number)
    assert page == expected
    assert [u.service for u in page.items] == [u.service for u in expected.items]


def test_a_page_in_range_is_one_statement(db_session: OrmSession, many_facilitators: int) -> None:
    db_session.expire_all()
    with counting(db_session) as statements:
        page = facilitator_page(db_session, many_facilitators, 2)
        services = [u.service for u in page.items]
    assert len(statements) == 1 and page.items and len(services) == len(page.items)


def test_a_district_without_facilitators_has_one_empty_page(
    db_session: OrmSession, world: World
) -> None:
    empty = f.DistrictFactory()
    db_session.flush()
    for number in (1, 2):
        page = facilitator_page(db_session, empty.id, number)
        assert page == paginate(db_session, facilitators_of(empty.id), number)
        assert page.items == [] and page.total == 0 and page.page == 1
