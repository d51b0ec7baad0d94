"""The application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, session
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

import mestring.models  # noqa: F401  (every mapper, for Alembic and relationships)
from mestring.accounts.models import User
from mestring.accounts.views import bp as accounts_bp
from mestring.admin.views import bp as admin_bp
from mestring.attendance.views import bp as attendance_bp
from mestring.cli import mestring_cli
from mestring.config import load_settings
from mestring.core.access import require_login
from mestring.core.cache import init_cache
from mestring.core.errors import register_error_handlers
from mestring.core.security import set_security_headers
from mestring.core.transactions import end_request_transaction
from mestring.core.translations import lazy_gettext as _l
from mestring.extensions import babel, csrf, db, limiter, login_manager, migrate
from mestring.facilitators.views import bp as facilitators_bp
from mestring.groups.views import bp as groups_bp
from mestring.home.views import bp as home_bp
from mestring.outcomes.freshness import watch_changes
from mestring.outcomes.views import bp as outcomes_bp
from mestring.privacy.views import bp as privacy_bp
from mestring.pupils.views import bp as pupils_bp
from mestring.referrals.views import bp as referrals_bp
from mestring.scheduling.views import bp as scheduling_bp
from mestring.templating import Environment, template_globals

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BLUEPRINTS = (
    accounts_bp,
    home_bp,
    referrals_bp,
    pupils_bp,
    groups_bp,
    scheduling_bp,
    facilitators_bp,
    attendance_bp,
    outcomes_bp,
    privacy_bp,
    admin_bp,
)


class MestringApp(Flask):
    jinja_environment = Environment


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build an app; ``overrides`` replace configuration values (tests use it)."""
    app = MestringApp(
        __name__,
        instance_path=os.environ.get("MESTRING_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    settings = load_settings(Path(app.instance_path))
    app.config.update(settings.flask_config())
    app.config.update(overrides or {})

    register_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_error_handlers(app)
    app.cli.add_command(mestring_cli)
    app.jinja_env.globals.update(template_globals())
    return app


def register_proxies(app: Flask) -> None:
    """Behind reverse proxies, the client's address (rate limits, the audit log) and scheme
    come from their X-Forwarded-For and X-Forwarded-Proto headers."""
    hops = int(app.config["TRUSTED_PROXIES"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    init_cache(app)
    watch_changes()

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)


def register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)


def register_request_hooks(app: Flask) -> None:
    app.before_request(require_login)
    app.after_request(set_security_headers)
    app.teardown_request(end_request_transaction)


def select_locale() -> str:
    """The language chosen at sign-in or by the switch (kept in the session); bokmål by default.

    Read from the session, not the user row, so that error pages render without the database.
    """
    return "en" if session.get("locale") == "en" else "nb"


def load_user(token: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.session_token == token, User.active))


@sa.event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys, WAL with its usual synchronous level and a busy timeout on every SQLite
    connection."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    # SQLAlchemy, not the driver, begins transactions, so that SAVEPOINT works as documented.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # SQLite's advice for WAL: a commit writes the log without waiting for the disk. The
    # database stays consistent; only a power cut can lose the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@sa.event.listens_for(Engine, "begin")
def _begin_sqlite(connection: sa.Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
