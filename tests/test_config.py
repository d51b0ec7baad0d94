"""Configuration from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from mestring.config import ConfigError, load_settings


def test_development_defaults_to_sqlite_and_a_generated_secret(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, {})
    assert settings.database_url == f"sqlite:///{tmp_path / 'mestring.sqlite'}"
    assert len(settings.secret_key) == 64
    assert load_settings(tmp_path, {}).secret_key == settings.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("secret", ["", "dev", "short"])
def test_production_refuses_to_start_without_a_real_secret(tmp_path: Path, secret: str) -> None:
    environ = {"MESTRING_ENV": "production", "SECRET_KEY": secret, "DATABASE_URL": "sqlite://"}
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings(tmp_path, environ)


def test_production_uses_secure_cookies(tmp_path: Path) -> None:
    environ = {
        "MESTRING_ENV": "production",
        "SECRET_KEY": "x" * 40,
        "DATABASE_URL": "postgres://db.internal/mestring",
    }
    settings = load_settings(tmp_path, environ)
    config = settings.flask_config()
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db.internal/mestring"


def test_unknown_environment_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_settings(tmp_path, {"MESTRING_ENV": "staging"})


def test_term_starts_come_from_the_environment(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, {"MESTRING_TERM_STARTS": "01-06, 08-20"})
    assert settings.flask_config()["TERM_STARTS"] == ((1, 6), (8, 20))
    with pytest.raises(ConfigError, match="MESTRING_TERM_STARTS"):
        load_settings(tmp_path, {"MESTRING_TERM_STARTS": "02-30"})


def test_rate_limit_key_prefix_and_trusted_proxies_come_from_the_environment(
    tmp_path: Path,
) -> None:
    defaults = load_settings(tmp_path, {}).flask_config()
    assert (defaults["RATELIMIT_KEY_PREFIX"], defaults["TRUSTED_PROXIES"]) == ("", 0)
    environ = {"RATELIMIT_KEY_PREFIX": "mestring-oslo", "MESTRING_TRUSTED_PROXIES": "1"}
    config = load_settings(tmp_path, environ).flask_config()
    assert (config["RATELIMIT_KEY_PREFIX"], config["TRUSTED_PROXIES"]) == ("mestring-oslo", 1)
    with pytest.raises(ConfigError, match="MESTRING_TRUSTED_PROXIES"):
        load_settings(tmp_path, {"MESTRING_TRUSTED_PROXIES": "-1"})
    with pytest.raises(ConfigError, match="MESTRING_RETENTION_MONTHS"):
        load_settings(tmp_path, {"MESTRING_RETENTION_MONTHS": "0"})


def test_the_figure_cache_is_in_redis_when_named(tmp_path: Path) -> None:
    assert load_settings(tmp_path, {}).flask_config()["CACHE_URL"] == ""
    environ = {"MESTRING_CACHE_URL": " redis://cache:6379/1 "}
    assert load_settings(tmp_path, environ).flask_config()["CACHE_URL"] == "redis://cache:6379/1"
