"""The README's production section, tested: two gunicorn instances against one PostgreSQL
database, rate limits in Redis, sessions that move between instances, and a stale group edit."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.enums import Role
from mestring.accounts.models import District, User
from mestring.accounts.passwords import hash_password
from mestring.groups.enums import GroupStatus
from mestring.groups.models import Group, GroupMembership
from mestring.outcomes.freshness import ALL
from mestring.outcomes.models import FiguresStamp
from tests.conftest import NO_POSTGRES, POSTGRES_URL
from tests.deploy.browser import Browser, Page
from tests.deploy.instances import (
    DEMO_PASSWORD,
    Deployment,
    Instance,
    cached_figure_keys,
    rate_limit_keys,
    redis_missing,
    two_instances,
)
from tests.deploy.mix import CLIENTS, ROLE_PAGES, run_mix

REDIS_MISSING = redis_missing() if POSTGRES_URL else ""
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES),
    pytest.mark.skipif(bool(REDIS_MISSING), reason=REDIS_MISSING),
]

STALE_EDIT = "Noen andre har lagret denne gruppen etter at du åpnet den."
WRONG_PASSWORD = "Feil e-postadresse eller passord."
SECOND_COORDINATOR = "koordinator2@demo.no"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    with two_instances(POSTGRES_URL, tmp_path_factory.mktemp("instances")) as running:
        yield running


@pytest.fixture(scope="module")
def database(deployment: Deployment) -> Iterator[OrmSession]:
    engine = sa.create_engine(deployment.database_url)
    with OrmSession(engine) as session:
        yield session
    engine.dispose()


def test_a_mix_of_every_role_is_served_by_both_instances_without_errors(
    deployment: Deployment,
) -> None:
    rounds = 1
    result = run_mix(deployment, clients=CLIENTS, rounds=rounds)
    assert result.errors == []
    # Each account signs in (two requests), then per round: its pages and three for the post.
    expected = sum(2 + rounds * (len(pages) + 3) for pages in ROLE_PAGES.values())
    assert len(result.samples) == expected
    # Every browser alternates between the instances, so its session moves with each request.
    counts = result.per_instance()
    assert abs(counts["a"] - counts["b"]) <= CLIENTS


def _session_cookie(page: Page) -> str:
    return next(header for header in page.cookies_set() if header.startswith("mestring_session="))


def test_signing_in_on_one_instance_continues_on_the_other(deployment: Deployment) -> None:
    a, b = deployment.instances
    browser = Browser("203.0.113.10")
    signed_in = browser.sign_in(a, "koordinator@demo.no")
    assert (signed_in.status, signed_in.location) == (302, "/")
    # Production cookies: only over HTTPS (the proxy's), never to scripts.
    cookie = _session_cookie(signed_in).lower()
    assert "; secure" in cookie and "; httponly" in cookie and "samesite=lax" in cookie

    start = browser.get(b, "/")
    assert start.status == 200
    assert "Kari Nordahl" in start.text
    # Signing out on one instance ends the session everywhere, even for a copy of the cookie.
    copy = Browser("203.0.113.11")
    copy.cookies = dict(browser.cookies)
    assert copy.get(a, "/").status == 200
    assert browser.post(b, "/logout").status == 302
    assert copy.get(a, "/").status == 302


def test_failed_sign_ins_on_one_instance_count_on_the_other(deployment: Deployment) -> None:
    """Five tries a minute per account: counted in Redis, so across instances."""
    a, b = deployment.instances
    browser = Browser("203.0.113.20")
    email = f"ukjent.{deployment.ratelimit_prefix}@demo.no"
    for instance in (a, b, a, b, a):
        browser.get(instance, "/login")
        answer = browser.post(instance, "/login", {"email": email, "password": "wrong"})
        assert answer.status == 200
        assert WRONG_PASSWORD in answer.text
    # Each instance on its own would have counted two or three.
    assert browser.post(b, "/login", {"email": email, "password": "wrong"}).status == 429
    assert browser.post(a, "/login", {"email": email, "password": "wrong"}).status == 429
    # Another account from another address is not held back.
    other = Browser("203.0.113.21")
    assert other.sign_in(b, "skole.bestum@demo.no").status == 302
    assert rate_limit_keys(deployment.ratelimit_prefix) != []


def _add_coordinator(database: OrmSession, email: str) -> None:
    """A second coordinator of Bydel Ullern (the demo has one)."""
    district = database.scalars(sa.select(District).where(District.name == "Bydel Ullern")).one()
    database.add(
        User(
            email=email,
            name="Per Koordinator",
            password_hash=hash_password(DEMO_PASSWORD),
            role=Role.COORDINATOR,
            district=district,
        )
    )
    database.commit()


def _stored_group(database: OrmSession, group_id: int) -> tuple[str, int]:
    database.expire_all()
    group = database.get_one(Group, group_id)
    return group.name, group.version_id


def _post_at_once(
    browsers: list[tuple[Browser, Instance]], path: str, forms: list[dict[str, str]]
) -> list[Page]:
    """Each browser posts its form to its instance, all released at the same moment."""
    start = threading.Barrier(len(browsers))

    def post(n: int) -> Page:
        browser, instance = browsers[n]
        start.wait()
        return browser.post(instance, path, forms[n])

    with ThreadPoolExecutor(len(browsers)) as pool:
        return list(pool.map(post, range(len(browsers))))


def test_two_coordinators_saving_a_group_at_once_one_wins_the_other_is_told(
    deployment: Deployment, database: OrmSession
) -> None:
    _add_coordinator(database, SECOND_COORDINATOR)
    group_id = database.scalars(
        sa.select(Group.id).where(Group.status == GroupStatus.PLANNING).order_by(Group.id)
    ).first()
    assert group_id is not None
    coordinators: list[tuple[Browser, Instance]] = []
    for address, email, instance in (
        ("203.0.113.30", "koordinator@demo.no", deployment.instances[0]),
        ("203.0.113.31", SECOND_COORDINATOR, deployment.instances[1]),
    ):
        browser = Browser(address)
        assert browser.sign_in(instance, email).status == 302
        coordinators.append((browser, instance))

    edit = f"/groups/{group_id}/edit"
    for attempt in range(3):
        _name, version = _stored_group(database, group_id)
        forms = []
        for n, (browser, instance) in enumerate(coordinators):
            page = browser.get(instance, edit)
            assert page.status == 200
            fields = page.form(edit)
            assert fields["version"] == str(version)
            fields["name"] = f"Samtidig {attempt}-{n}"
            forms.append(fields)

        answers = _post_at_once(coordinators, edit, forms)
        assert sorted(page.status for page in answers) == [302, 400]
        winner = next(n for n, page in enumerate(answers) if page.status == 302)
        loser = answers[1 - winner]
        assert STALE_EDIT in loser.text
        # The loser's own edit is still in the form, to compare and save again.
        assert f'value="Samtidig {attempt}-{1 - winner}"' in loser.text
        assert _stored_group(database, group_id) == (f"Samtidig {attempt}-{winner}", version + 1)
        # Both instances show the winner's change.
        for browser, instance in coordinators:
            assert (
                f"Samtidig {attempt}-{winner}" in browser.get(instance, f"/groups/{group_id}").text
            )


def test_figures_cached_in_redis_follow_a_change_made_through_the_other_instance(
    deployment: Deployment, database: OrmSession
) -> None:
    first, second = deployment.instances
    browser = Browser("203.0.113.40")
    assert browser.sign_in(first, "koordinator@demo.no").status == 302
    assert browser.get(first, "/outcomes/").status == 200
    database.rollback()
    stamp = database.scalar(sa.select(FiguresStamp.stamp).where(FiguresStamp.name == ALL))
    assert stamp and cached_figure_keys(stamp) != []

    group_id = database.scalars(
        sa.select(Group.id)
        .join(GroupMembership)
        .where(Group.status == GroupStatus.RUNNING)
        .order_by(Group.id)
        .limit(1)
    ).one()
    edit = f"/groups/{group_id}/edit"
    fields = browser.get(second, edit).form(edit)
    fields["name"] = "Gruppe med nytt navn"
    assert browser.post(second, edit, fields).status == 302

    assert "Gruppe med nytt navn" in browser.get(first, "/outcomes/").text


def test_instances_log_no_server_errors(deployment: Deployment) -> None:
    for instance in deployment.instances:
        log = instance.log.read_text()
        assert "Traceback" not in log and "[ERROR]" not in log, log[-2000:]
