"""A real server on 127.0.0.1 with the demo programme, and Debian's Chromium to drive it.

The browser tests run on SQLite only: they test what a person sees and does, and the engines
are covered by the rest of the suite.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from mestring import create_app
from mestring.core.time import now_utc
from mestring.demo import DEMO_PASSWORD, load_demo
from mestring.extensions import db, limiter
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import POSTGRES_URL, app_config

# axe-core rule tags for WCAG 2.1 level A and AA.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

if not CHROMIUM.exists():
    pytest.skip(
        "Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
        allow_module_level=True,
    )
if POSTGRES_URL:
    pytest.skip("browser tests run in the SQLite pass only", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app the live server serves, with the demo data loaded. Tests read its database (in
    an app context) to find what a person would know: a pupil's reference, another group's slot."""
    folder = tmp_path_factory.mktemp("browser")
    os.environ["MESTRING_INSTANCE_PATH"] = str(folder)
    app: Flask = create_app(
        app_config(f"sqlite:///{folder / 'browser.sqlite'}", WTF_CSRF_ENABLED=True, TESTING=False)
    )
    with app.app_context():
        upgrade()
        load_demo(db.session, now=now_utc())
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """The app with the demo data, served by a real WSGI server in a background thread."""
    app = live_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Browser, live_server: str) -> Iterator[Any]:
    """Pages in fresh browser contexts (one per person in a journey)."""
    limiter.reset()
    contexts = []

    def open_page(width: int = 1280, height: int = 900) -> Page:
        context = browser.new_context(
            base_url=live_server, viewport={"width": width, "height": height}, locale="nb-NO"
        )
        context.set_default_timeout(10_000)  # fail fast: every page here answers in well under
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/")


_axe = Axe()


def assert_accessible(page: Page) -> None:
    """No violation of a WCAG 2.1 A or AA rule on the page as it is now."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    violations = results.response["violations"]
    assert violations == [], results.generate_report()
