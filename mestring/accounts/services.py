"""Sign-in, password changes and account settings."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from mestring.accounts.enums import Locale
from mestring.accounts.models import User, new_session_token
from mestring.accounts.passwords import (
    hash_password,
    needs_rehash,
    verify_dummy,
    verify_password,
)
from mestring.core.errors import DomainError
from mestring.db import DbSession


class WrongPassword(DomainError):
    """The current password given does not match."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(db: DbSession, *, email: str, password: str, now: datetime) -> User | None:
    """The active user with this e-mail and password, or None; upgrades old hashes."""
    user = db.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None:
        verify_dummy(password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    db.flush()
    return user


def change_password(db: DbSession, *, user: User, current: str, new: str) -> None:
    """Set a new password and sign the user out everywhere else."""
    if not verify_password(user.password_hash, current):
        raise WrongPassword
    user.password_hash = hash_password(new)
    user.session_token = new_session_token()
    db.flush()


def set_locale(db: DbSession, *, user: User, locale: Locale) -> None:
    user.locale = locale
    db.flush()
