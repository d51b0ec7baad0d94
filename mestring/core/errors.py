"""Domain errors raised by services, and the HTTP error pages."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from mestring.audit.web import audit_refused, refused_attempt
from mestring.core.translations import lazy_gettext as _l
from mestring.extensions import db


class DomainError(Exception):
    """A rule of the programme was broken; the message is shown to the user."""


class InvalidTransition(DomainError):
    """A status change that the workflow does not allow."""


class StaleEdit(DomainError):
    """Someone else saved the record after this user opened it."""


_ERROR_TEXT = {
    400: (_l("Bad request"), _l("The request could not be understood. Please try again.")),
    401: (_l("Sign-in required"), _l("Please sign in to continue.")),
    403: (_l("Access denied"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("The page does not exist, or you do not have access to it.")),
    405: (_l("Not allowed"), _l("This action cannot be done this way.")),
    413: (_l("File too large"), _l("The file is larger than the app accepts.")),
    429: (_l("Too many attempts"), _l("Please wait a little before trying again.")),
    500: (_l("Something went wrong"), _l("The error has been logged. Please try again later.")),
}


def render_error(code: int) -> tuple[str, int]:
    title, message = _ERROR_TEXT.get(code, _ERROR_TEXT[500])
    return (
        render_template(
            "errors/error.html", code=code, title=title, message=message, minimal=code >= 500
        ),
        code,
    )


def register_error_handlers(app: Flask) -> None:
    def handle_http(error: HTTPException) -> Any:
        code = error.code or 500
        if code >= 500:
            db.session.rollback()
        elif (attempt := refused_attempt(code)) is not None:
            # A refused attempt is audited on its own: nothing else of the request is kept.
            db.session.rollback()
            audit_refused(code, attempt)
            db.session.commit()
        return render_error(code)

    # Unhandled exceptions reach this handler as InternalServerError after Flask logs them.
    app.register_error_handler(HTTPException, handle_http)
