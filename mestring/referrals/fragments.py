"""The rows of a referral table (`domain.referral_table`), written in Python: lists of
referrals are the most common table of the app, and a Jinja loop with a block per row costs
more than the cells. Values are escaped as the templates escape them; messages are marked
safe and formatted as Jinja's new-style gettext does."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from mestring.core import localized
from mestring.core.fragments import link, status_tag
from mestring.core.time import age_on, today_oslo
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Referral


def flags(referral: Referral) -> Markup | None:
    """Small tags for what the coordinator must notice: high absence, interpreter, no digital
    access; None when there is nothing to notice."""
    tags = []
    if referral.is_worrying:
        tags.append(_tag("pkt-tag--red", _("≥ 10 %% absence")))
    if referral.needs_interpreter:
        tags.append(_tag("pkt-tag--yellow", _("Interpreter")))
    if not referral.digital_access:
        tags.append(_tag("pkt-tag--grey", _("No digital access")))
    return Markup(" ").join(tags) or None


def _tag(skin: str, message: str) -> Markup:
    text = Markup(message) % {}  # noqa: S704 (a message of ours)
    return Markup(f'<span class="pkt-tag pkt-tag--small {skin}">{text}</span>')  # noqa: S704


def referral_rows(
    referrals: Iterable[Referral], *, show_school: bool, show_message: bool, now: datetime
) -> list[list[Any]]:
    """Pupil (a link to the referral), school when asked, age, status, submitted, days waiting
    (while submitted), flags, and the coordinator's question or reason when asked."""
    today = today_oslo()
    rows = []
    for referral in referrals:
        pupil = referral.pupil
        row: list[Any] = [
            link(url_for("referrals.detail", referral_id=referral.id), pupil.full_name)
        ]
        if show_school:
            row.append(referral.school.name)
        submitted = referral.submitted_at
        waiting = referral.status == ReferralStatus.SUBMITTED
        row += [
            age_on(pupil.birth_date, today),
            status_tag(referral.status, referral.status.label),
            localized.day(submitted),
            (now - submitted).days if submitted and waiting else None,
            flags(referral),
        ]
        if show_message:
            message = referral.coordinator_message
            row.append(message.comment if message else None)
        rows.append(row)
    return rows
