"""Configuration read from the environment when the app is created."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any


class ConfigError(RuntimeError):
    """The environment does not describe a configuration the app may run with."""


_PLACEHOLDER_SECRETS = {"", "dev", "change-me", "changeme", "secret"}


def _instance_secret(instance_path: Path) -> str:
    """A per-installation secret for development, kept in the instance folder."""
    path = instance_path / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass
class Settings:
    """Everything the app reads from the environment, with development defaults."""

    env: str
    database_url: str
    secret_key: str
    ratelimit_storage_uri: str
    # Keeps the rate-limit keys of deployments that share one Redis apart.
    ratelimit_key_prefix: str = ""
    # Redis for cached outcome figures, shared by every instance; empty: a cache per process.
    cache_url: str = ""
    # Reverse proxies in front of the app whose X-Forwarded-For and -Proto headers are trusted.
    trusted_proxies: int = 0
    # When terms usually start, as (month, day); used when no term is entered for a district.
    term_starts: tuple[tuple[int, int], ...] = ((1, 4), (8, 17))
    # A pupil's identity is anonymised this long after their last activity.
    retention_months: int = 12
    # A signed-in session ends after this long without a request.
    session_idle_hours: int = 8

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    def flask_config(self) -> dict[str, Any]:
        production = self.is_production
        # hide_parameters keeps pupil data out of database errors and logs.
        engine_options: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
        return {
            "ENV_NAME": self.env,
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": production,
            "SESSION_COOKIE_NAME": "mestring_session",
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SECURE": production,
            "PERMANENT_SESSION_LIFETIME": 8 * 60 * 60,
            "WTF_CSRF_TIME_LIMIT": None,
            "BABEL_DEFAULT_LOCALE": "nb",
            "BABEL_DEFAULT_TIMEZONE": "Europe/Oslo",
            "RATELIMIT_STORAGE_URI": self.ratelimit_storage_uri,
            "RATELIMIT_KEY_PREFIX": self.ratelimit_key_prefix,
            "TRUSTED_PROXIES": self.trusted_proxies,
            "CACHE_URL": self.cache_url,
            "TERM_STARTS": self.term_starts,
            "RETENTION_MONTHS": self.retention_months,
            "SESSION_IDLE_HOURS": self.session_idle_hours,
            "RATELIMIT_HEADERS_ENABLED": True,
            "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
            "PREFERRED_URL_SCHEME": "https" if production else "http",
        }


def _term_starts(value: str) -> tuple[tuple[int, int], ...]:
    """``"01-04,08-17"`` → ((1, 4), (8, 17)): the usual first days of the spring and autumn."""
    try:
        starts = tuple(
            (int(month), int(day))
            for month, day in (item.strip().split("-") for item in value.split(","))
        )
        for month, day in starts:
            date(2024, month, day)
    except ValueError as error:
        raise ConfigError(
            f"MESTRING_TERM_STARTS must look like 01-04,08-17, not {value!r}"
        ) from error
    return starts


def _whole_number(env: dict[str, str], name: str, default: int, minimum: int = 1) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ConfigError(f"{name} must be a whole number of at least {minimum}, not {value!r}")
    return number


def load_settings(instance_path: Path, environ: dict[str, str] | None = None) -> Settings:
    """Read settings from ``environ`` (the process environment by default)."""
    env = dict(os.environ if environ is None else environ)
    name = env.get("MESTRING_ENV", "development").strip().lower()
    if name not in {"development", "production", "testing"}:
        raise ConfigError(f"MESTRING_ENV must be development, production or testing, not {name!r}")

    secret = env.get("SECRET_KEY", "").strip()
    if name == "production":
        if secret.lower() in _PLACEHOLDER_SECRETS or len(secret) < 32:
            raise ConfigError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production"
            )
        if not env.get("DATABASE_URL"):
            raise ConfigError("DATABASE_URL must be set in production")
    elif not secret:
        instance_path.mkdir(parents=True, exist_ok=True)
        secret = _instance_secret(instance_path)

    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'mestring.sqlite'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")

    return Settings(
        term_starts=_term_starts(env.get("MESTRING_TERM_STARTS", "01-04,08-17")),
        env=name,
        database_url=database_url,
        secret_key=secret,
        ratelimit_storage_uri=env.get("RATELIMIT_STORAGE_URI", "memory://"),
        ratelimit_key_prefix=env.get("RATELIMIT_KEY_PREFIX", "").strip(),
        cache_url=env.get("MESTRING_CACHE_URL", "").strip(),
        trusted_proxies=_whole_number(env, "MESTRING_TRUSTED_PROXIES", 0, minimum=0),
        retention_months=_whole_number(env, "MESTRING_RETENTION_MONTHS", 12),
        session_idle_hours=_whole_number(env, "MESTRING_SESSION_IDLE_HOURS", 8),
    )
