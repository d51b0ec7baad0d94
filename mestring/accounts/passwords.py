"""Password hashing with argon2id (OWASP's recommended parameters) and the password policy."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from mestring.core.translations import lazy_gettext as _l

# 19 MiB of memory, 2 iterations, 1 lane: OWASP's minimum configuration for argon2id.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"
# The shortest part of an e-mail address that a password may not contain.
EMAIL_PART_MINIMUM = 3


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# Verified against when the e-mail is unknown, so that both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def verify_dummy(password: str) -> None:
    verify_password(_DUMMY_HASH, password)


# A password hash no password matches: accounts waiting for their one-time link have it.
UNUSABLE_PASSWORD_HASH = "!unusable"  # noqa: S105  (not a secret: matches nothing)


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
    )


def password_problems(password: str, *, email: str) -> list[str]:
    """Why ``password`` may not be used by the owner of ``email``; empty when it may."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            str(_l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)),
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(str(_l("Use at most %(n)s characters.", n=MAX_PASSWORD_LENGTH)))
    folded = password.casefold()
    if folded.strip() in common_passwords():
        problems.append(str(_l("This password is too common. Choose another.")))
    local_part = email.split("@", 1)[0].casefold()
    if len(local_part) >= EMAIL_PART_MINIMUM and local_part in folded:
        problems.append(str(_l("The password may not contain your e-mail address.")))
    return problems
