"""Access is denied unless granted: sign-in by default, roles per view, scope per object.

Views that anyone may open are marked ``@public``; every other view needs a signed-in user.
``roles_required`` limits a view to roles (403 otherwise), and ``get_or_404`` loads one object
and checks the domain's ``can_<verb>_<thing>`` predicate, answering 404 for objects outside the
user's scope so that ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache, wraps
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from flask import abort, current_app, request
from flask_login import current_user
from sqlalchemy.orm.interfaces import ORMOption

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.audit.web import mark_out_of_scope
from mestring.extensions import db

T = TypeVar("T")
View = TypeVar("View", bound=Callable[..., Any])


def public(view: View) -> View:
    """Mark a view as open to visitors who have not signed in."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def require_login() -> Any:
    """``before_request``: every endpoint not marked public needs a signed-in user."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "is_public", False) or current_user.is_authenticated:
        return None
    return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]


def roles_required(*roles: Role) -> Callable[[View], View]:
    """Limit a view to the given roles."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def acting_user() -> User:
    """The signed-in user as a model, for passing explicitly to services and predicates."""
    user = current_user._get_current_object()
    if not isinstance(user, User):
        abort(401)
    return user


def get_or_404(
    model: type[T],
    ident: int,
    allowed: Callable[[User, T], bool],
    options: Sequence[ORMOption] = (),
) -> T:
    """Load one object and check it lies in the user's scope; 404 if missing or outside. The
    ``options`` are the view's constants: the statement is built once for each."""
    if options:
        statement = _by_key(cast(Any, model), tuple(options))
        obj: T | None = (
            db.session.execute(statement, {"ident": ident}).unique().scalar_one_or_none()
        )
    else:
        obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    if not allowed(acting_user(), obj):
        # Audited as a refused attempt; the visitor sees the same 404 as for a missing id.
        table = getattr(model, "__tablename__", model.__name__)
        pupil_id = ident if table == "pupils" else getattr(obj, "pupil_id", None)
        mark_out_of_scope(table, ident, pupil_id)
        abort(404)
    return obj


@lru_cache(maxsize=64)
def _by_key(model: type[Any], options: tuple[ORMOption, ...]) -> sa.Select[Any]:
    """The object of ``model`` whose key is ``ident``, loaded with ``options``: built once for
    the options a view keeps, as building it cost more than the statement takes to run."""
    (key,) = sa.inspect(model).primary_key
    return sa.select(model).options(*options).where(key == sa.bindparam("ident"))
