"""The referral workflow: every status change goes through this one transition table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.core.errors import InvalidTransition
from mestring.core.translations import lazy_gettext as _l
from mestring.db import DbSession
from mestring.referrals.enums import ReferralStatus as S
from mestring.referrals.models import Referral, ReferralStatusChange
from mestring.referrals.permissions import in_school_scope


@dataclass(frozen=True)
class Transition:
    source: S
    target: S
    roles: frozenset[Role]
    # What the comment means for this step; None when no comment is needed.
    comment_required: bool = False


SCHOOL = frozenset({Role.SCHOOL})
COORDINATOR = frozenset({Role.COORDINATOR})
BOTH = SCHOOL | COORDINATOR

TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, S.SUBMITTED, SCHOOL),
    # The coordinator too, for when guardians withdraw consent (see mestring.privacy).
    Transition(S.DRAFT, S.WITHDRAWN, BOTH),
    Transition(S.SUBMITTED, S.NEEDS_INFO, COORDINATOR, comment_required=True),
    Transition(S.SUBMITTED, S.ACCEPTED, COORDINATOR),
    Transition(S.SUBMITTED, S.DECLINED, COORDINATOR, comment_required=True),
    Transition(S.SUBMITTED, S.WITHDRAWN, BOTH, comment_required=True),
    Transition(S.NEEDS_INFO, S.SUBMITTED, SCHOOL, comment_required=True),
    Transition(S.NEEDS_INFO, S.DECLINED, COORDINATOR, comment_required=True),
    Transition(S.NEEDS_INFO, S.WITHDRAWN, BOTH, comment_required=True),
    Transition(S.ACCEPTED, S.PLACED, COORDINATOR),
    Transition(S.ACCEPTED, S.DECLINED, COORDINATOR, comment_required=True),
    Transition(S.ACCEPTED, S.WITHDRAWN, BOTH, comment_required=True),
    Transition(S.PLACED, S.ACCEPTED, COORDINATOR, comment_required=True),
    Transition(S.PLACED, S.COMPLETED, COORDINATOR),
    Transition(S.PLACED, S.DISCONTINUED, COORDINATOR, comment_required=True),
    Transition(S.PLACED, S.WITHDRAWN, BOTH, comment_required=True),
)

_BY_STEP = {(t.source, t.target): t for t in TRANSITIONS}

COMMENT_MISSING = {
    S.NEEDS_INFO: _l("Write the question for the school."),
    S.DECLINED: _l("Give the reason for declining; the school will see it."),
    S.SUBMITTED: _l("Write the answer to the coordinator's question."),
    S.WITHDRAWN: _l("Say why the referral is withdrawn."),
    S.DISCONTINUED: _l("Say why the pupil stopped."),
    S.ACCEPTED: _l("Say why the pupil goes back to the waitlist."),
}


def find_transition(source: S, target: S) -> Transition | None:
    return _BY_STEP.get((source, target))


def allowed_targets(user: User, referral: Referral) -> list[S]:
    """The statuses this user may move the referral to now (for showing actions)."""
    if not in_school_scope(user, referral.school):
        return []
    return [t.target for t in TRANSITIONS if t.source == referral.status and user.role in t.roles]


def comment_needed(source: S, target: S) -> bool:
    step = find_transition(source, target)
    return step is not None and step.comment_required


def change_status(
    db: DbSession,
    *,
    actor: User,
    referral: Referral,
    target: S,
    now: datetime,
    comment: str = "",
) -> ReferralStatusChange:
    """Move a referral to ``target`` if the table allows it for the actor, and record it."""
    step = find_transition(referral.status, target)
    if step is None or actor.role not in step.roles or not in_school_scope(actor, referral.school):
        raise InvalidTransition(
            str(
                _l(
                    "A referral that is %(source)s cannot become %(target)s.",
                    source=referral.status.label.lower(),
                    target=target.label.lower(),
                )
            )
        )
    comment = comment.strip()
    if step.comment_required and not comment:
        raise InvalidTransition(str(COMMENT_MISSING[target]))
    change = ReferralStatusChange(
        referral=referral,
        actor=actor,
        from_status=referral.status,
        to_status=target,
        comment=comment,
        created_at=now,
    )
    referral.status = target
    if target is S.SUBMITTED and referral.submitted_at is None:
        referral.submitted_at = now
    db.add(change)
    db.flush()
    return change
