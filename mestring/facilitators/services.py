"""Periods when a facilitator is unavailable, entered by themselves or by the coordinator.

An unavailable facilitator shows as a conflict on every session they lead in the period, ranks
below free candidates when groups are staffed, and is a conflict when chosen as a substitute.
"""

from __future__ import annotations

from datetime import date

from mestring.accounts.models import User
from mestring.core.errors import DomainError
from mestring.core.translations import lazy_gettext as _l
from mestring.db import DbSession
from mestring.facilitators.permissions import can_manage_unavailability, can_view_facilitator
from mestring.scheduling.enums import UnavailabilityReason
from mestring.scheduling.models import Unavailability

NOTE_MAX_LENGTH = 200
# Longer than this is almost certainly a typing error in the year.
MAX_DAYS = 366


class InvalidUnavailability(DomainError):
    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.field = field


def add_unavailability(
    db: DbSession,
    *,
    actor: User,
    facilitator: User,
    starts_on: date,
    ends_on: date,
    reason: UnavailabilityReason,
    note: str,
) -> Unavailability:
    if not can_view_facilitator(actor, facilitator):
        raise InvalidUnavailability(_l("You may not change this."))
    if ends_on < starts_on:
        raise InvalidUnavailability(_l("The last day cannot be before the first."), "ends_on")
    if (ends_on - starts_on).days >= MAX_DAYS:
        raise InvalidUnavailability(_l("A period can be at most a year long."), "ends_on")
    item = Unavailability(
        user=facilitator,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        note=note.strip()[:NOTE_MAX_LENGTH],
    )
    db.add(item)
    db.flush()
    return item


def delete_unavailability(db: DbSession, *, actor: User, item: Unavailability) -> None:
    if not can_manage_unavailability(actor, item):
        raise InvalidUnavailability(_l("You may not change this."))
    db.delete(item)
    db.flush()
