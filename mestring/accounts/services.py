"""Sign-in, passwords, one-time password links and the administration of user accounts."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from mestring.accounts.enums import Locale, Role
from mestring.accounts.models import (
    District,
    PasswordSetupToken,
    School,
    Service,
    User,
    new_session_token,
)
from mestring.accounts.passwords import (
    UNUSABLE_PASSWORD_HASH,
    hash_password,
    needs_rehash,
    password_problems,
    verify_dummy,
    verify_password,
)
from mestring.core.errors import DomainError
from mestring.core.translations import lazy_gettext as _l
from mestring.db import DbSession

# How long a one-time link to set a password works.
SETUP_LINK_VALID = timedelta(hours=72)


class WrongPassword(DomainError):
    """The current password given does not match."""


class WeakPassword(DomainError):
    """The new password breaks the password policy."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


class InvalidAccount(DomainError):
    """An account change that does not fit the rules; ``field`` names the form field."""

    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.field = field


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


def _check_policy(user: User, password: str) -> None:
    problems = password_problems(password, email=user.email)
    if problems:
        raise WeakPassword(problems)


def change_password(db: DbSession, *, user: User, current: str, new: str) -> None:
    """Set a new password and sign the user out everywhere else."""
    if not verify_password(user.password_hash, current):
        raise WrongPassword
    _check_policy(user, new)
    user.password_hash = hash_password(new)
    user.session_token = new_session_token()
    db.flush()


def sign_out_everywhere(db: DbSession, *, user: User) -> None:
    """Every session cookie of the user stops working: Flask-Login's id changes."""
    user.session_token = new_session_token()
    db.flush()


def set_locale(db: DbSession, *, user: User, locale: Locale) -> None:
    user.locale = locale
    db.flush()


# --- One-time links to set a password -----------------------------------------------------------


def hash_setup_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_setup_token(db: DbSession, *, actor: User, user: User, now: datetime) -> str:
    """A new one-time link token for ``user``; earlier unused ones stop working.

    Only the SHA-256 of the token is stored: the admin sees the token once and passes it on.
    """
    db.execute(
        sa.delete(PasswordSetupToken).where(
            PasswordSetupToken.user_id == user.id, PasswordSetupToken.used_at.is_(None)
        )
    )
    token = secrets.token_urlsafe(32)
    db.add(
        PasswordSetupToken(
            user_id=user.id,
            token_hash=hash_setup_token(token),
            created_by_id=actor.id,
            created_at=now,
            expires_at=now + SETUP_LINK_VALID,
        )
    )
    db.flush()
    return token


def valid_setup_token(db: DbSession, token: str, *, now: datetime) -> PasswordSetupToken | None:
    """The unused, unexpired link of an active user that ``token`` opens, or None."""
    if not token or len(token) > 200:
        return None
    setup = db.scalar(
        sa.select(PasswordSetupToken)
        .join(PasswordSetupToken.user)
        .where(
            PasswordSetupToken.token_hash == hash_setup_token(token),
            PasswordSetupToken.used_at.is_(None),
            PasswordSetupToken.expires_at > now,
            User.active,
        )
    )
    return setup


def set_password_with_token(
    db: DbSession, *, setup: PasswordSetupToken, password: str, now: datetime
) -> User:
    """The user sets their password from the link, which is then used up."""
    user = setup.user
    _check_policy(user, password)
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    setup.used_at = now
    db.flush()
    return user


# --- Administration of accounts -----------------------------------------------------------------


@dataclass(frozen=True)
class UserDetails:
    """What the admin's user form gives; ids are checked against the database here."""

    name: str
    email: str
    role: Role
    district_id: int | None
    school_id: int | None
    service_id: int | None
    phone: str = ""


def _resolve_scope(
    db: DbSession, details: UserDetails
) -> tuple[District | None, School | None, Service | None]:
    """The district, school and service the role needs, each checked to belong together."""
    district = db.get(District, details.district_id) if details.district_id else None
    school = db.get(School, details.school_id) if details.school_id else None
    service = db.get(Service, details.service_id) if details.service_id else None
    if details.role is not Role.ADMIN and district is None:
        raise InvalidAccount(_l("Choose the district the user works in."), "district")
    if details.role is Role.SCHOOL and school is None:
        raise InvalidAccount(_l("School staff need their school."), "school")
    if details.role is Role.FACILITATOR and service is None:
        raise InvalidAccount(_l("Facilitators need their service."), "service")
    if school is not None and (district is None or school.district_id != district.id):
        raise InvalidAccount(_l("The school is not in the chosen district."), "school")
    if service is not None and (district is None or service.district_id != district.id):
        raise InvalidAccount(_l("The service is not in the chosen district."), "service")
    # Only school staff and facilitators are tied to a school; only facilitators to a service.
    if details.role not in {Role.SCHOOL, Role.FACILITATOR}:
        school = None
    if details.role is not Role.FACILITATOR:
        service = None
    return district, school, service


def _email_taken(db: DbSession, email: str, exclude_id: int | None = None) -> bool:
    stmt = sa.select(User.id).where(User.email == email)
    if exclude_id is not None:
        stmt = stmt.where(User.id != exclude_id)
    return db.scalar(stmt) is not None


def _require_admin(actor: User) -> None:
    if actor.role is not Role.ADMIN:
        raise InvalidAccount(_l("Only administrators manage accounts."))


def create_user(db: DbSession, *, actor: User, details: UserDetails, now: datetime) -> User:
    """A new account without a password: the user sets one from a one-time link."""
    _require_admin(actor)
    email = normalise_email(details.email)
    if _email_taken(db, email):
        raise InvalidAccount(_l("Another account has this e-mail address."), "email")
    district, school, service = _resolve_scope(db, details)
    user = User(
        name=details.name.strip(),
        email=email,
        phone=details.phone.strip(),
        role=details.role,
        district=district,
        school=school,
        service=service,
        password_hash=UNUSABLE_PASSWORD_HASH,
        created_at=now,
    )
    db.add(user)
    db.flush()
    return user


def update_user(db: DbSession, *, actor: User, user: User, details: UserDetails) -> User:
    """Change name, e-mail, role and scope; a change of role or scope signs the user out."""
    _require_admin(actor)
    email = normalise_email(details.email)
    if _email_taken(db, email, exclude_id=user.id):
        raise InvalidAccount(_l("Another account has this e-mail address."), "email")
    if user.id == actor.id and details.role is not Role.ADMIN:
        raise InvalidAccount(_l("You cannot take away your own administrator role."), "role")
    district, school, service = _resolve_scope(db, details)
    before = (user.role, user.district_id, user.school_id, user.service_id)
    user.name = details.name.strip()
    user.email = email
    user.phone = details.phone.strip()
    user.role = details.role
    user.district = district
    user.school = school
    user.service = service
    after = (
        user.role,
        district.id if district else None,
        school.id if school else None,
        service.id if service else None,
    )
    if before != after:
        user.session_token = new_session_token()
    db.flush()
    return user


def set_active(db: DbSession, *, actor: User, user: User, active: bool) -> User:
    """Deactivate (signed out at once, cannot sign in) or reactivate an account."""
    _require_admin(actor)
    if user.id == actor.id and not active:
        raise InvalidAccount(_l("You cannot deactivate your own account."))
    user.active = active
    user.session_token = new_session_token()
    db.flush()
    return user
