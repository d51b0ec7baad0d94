"""Error pages in Norwegian that leak nothing, and the headers every response carries."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring import create_app
from tests.conftest import World, app_config, sign_in


def test_unknown_page_answers_a_norwegian_404(client: FlaskClient) -> None:
    response = client.get("/finnes-ikke")
    assert response.status_code == 404
    assert "Fant ikke siden" in response.get_data(as_text=True)


def test_unexpected_error_shows_the_500_page_without_details(
    database_url: str, db_session: OrmSession, world: World
) -> None:
    app = create_app(app_config(database_url, TESTING=False, PROPAGATE_EXCEPTIONS=False))

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError(f"secret detail about {world.pupil.first_name}")

    client = app.test_client()
    sign_in(client, world.coordinator)
    response = client.get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Noe gikk galt" in page
    assert "secret detail" not in page
    assert world.pupil.first_name not in page


def test_pages_carry_security_headers_and_are_not_cached(client: FlaskClient, world: World) -> None:
    sign_in(client, world.coordinator)
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-store"


def test_text_with_a_nul_byte_is_refused_with_a_field_error(
    client: FlaskClient, world: World
) -> None:
    response = client.post("/login", data={"email": "a\x00@example.no", "password": "x"})
    assert response.status_code == 200
    assert "tegn som ikke er tillatt" in response.get_data(as_text=True)
