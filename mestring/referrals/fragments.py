"""The rows of a referral table (`domain.referral_table`), written in Python: lists of
referrals are the most common table of the app, and a Jinja loop with a block per row costs
more than the cells. Values are escaped as the templates escape them; messages are marked
safe and formatted as Jinja's new-style gettext does."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, NamedTuple

from markupsafe import Markup

from mestring.core import localized
from mestring.core.absence import WORRYING_ABSENCE_PERCENT, percent
from mestring.core.fragments import link, status_tag, url_pattern
from mestring.core.time import age_on, today_oslo
from mestring.core.translations import gettext as _
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Referral


class ReferralLine(NamedTuple):
    """What a referral table shows of one referral: read as a plain row by
    `queries.referral_lines_in_scope`, or taken from a loaded referral by `of`."""

    id: int
    first_name: str
    last_name: str
    birth_date: date
    school_name: str | None
    status: ReferralStatus
    submitted_at: datetime | None
    school_days: int
    teaching_hours: int
    days_documented: int
    days_undocumented: int
    hours_documented: int
    hours_undocumented: int
    digital_access: bool
    needs_interpreter: bool
    # The coordinator's question or reason for the school (`Referral.coordinator_message`).
    message: str | None

    @classmethod
    def of(cls, referral: Referral, *, show_school: bool, show_message: bool) -> ReferralLine:
        """The line of a loaded referral; the school and the history are read only when
        shown, so that lists that do not load them do not load them one by one."""
        pupil = referral.pupil
        message = referral.coordinator_message if show_message else None
        return cls(
            referral.id,
            pupil.first_name,
            pupil.last_name,
            pupil.birth_date,
            referral.school.name if show_school else None,
            referral.status,
            referral.submitted_at,
            referral.school_days,
            referral.teaching_hours,
            referral.days_documented,
            referral.days_undocumented,
            referral.hours_documented,
            referral.hours_undocumented,
            referral.digital_access,
            referral.needs_interpreter,
            message.comment if message else None,
        )

    @property
    def is_worrying(self) -> bool:
        """As `AbsenceFigures.is_worrying`: at or above 10 % of days or of hours."""
        day = percent(self.days_documented + self.days_undocumented, self.school_days)
        hour = percent(self.hours_documented + self.hours_undocumented, self.teaching_hours)
        return any(value is not None and value >= WORRYING_ABSENCE_PERCENT for value in (day, hour))


class FlagTags:
    """The three tags of `flags`, each written once per table, when a row first shows it,
    rather than once per row."""

    def __init__(self) -> None:
        self._worrying: Markup | None = None
        self._interpreter: Markup | None = None
        self._no_digital_access: Markup | None = None

    @property
    def worrying(self) -> Markup:
        if self._worrying is None:
            self._worrying = _tag("pkt-tag--red", _("≥ 10 %% absence"))
        return self._worrying

    @property
    def interpreter(self) -> Markup:
        if self._interpreter is None:
            self._interpreter = _tag("pkt-tag--yellow", _("Interpreter"))
        return self._interpreter

    @property
    def no_digital_access(self) -> Markup:
        if self._no_digital_access is None:
            self._no_digital_access = _tag("pkt-tag--grey", _("No digital access"))
        return self._no_digital_access


def flags(referral: ReferralLine, tags: FlagTags | None = None) -> Markup | None:
    """Small tags for what the coordinator must notice: high absence, interpreter, no digital
    access; None when there is nothing to notice."""
    tags = tags or FlagTags()
    shown = []
    if referral.is_worrying:
        shown.append(tags.worrying)
    if referral.needs_interpreter:
        shown.append(tags.interpreter)
    if not referral.digital_access:
        shown.append(tags.no_digital_access)
    return Markup(" ").join(shown) or None


def _tag(skin: str, message: str) -> Markup:
    text = Markup(message) % {}  # noqa: S704 (a message of ours)
    return Markup(f'<span class="pkt-tag pkt-tag--small {skin}">{text}</span>')  # noqa: S704


def referral_rows(
    referrals: Iterable[Referral | ReferralLine],
    *,
    show_school: bool,
    show_message: bool,
    now: datetime,
) -> list[list[Any]]:
    """Pupil (a link to the referral), school when asked, age, status, submitted, days waiting
    (while submitted), flags, and the coordinator's question or reason when asked."""
    today = today_oslo()
    referral_url = url_pattern("referrals.detail", "referral_id")
    tags = FlagTags()
    # A table holds few statuses: each one's tag is written once.
    status_tags: dict[ReferralStatus, Markup] = {}
    rows = []
    for item in referrals:
        line = (
            item
            if isinstance(item, ReferralLine)
            else ReferralLine.of(item, show_school=show_school, show_message=show_message)
        )
        name = f"{line.first_name} {line.last_name}"
        row: list[Any] = [link(referral_url(line.id), name)]
        if show_school:
            row.append(line.school_name)
        submitted = line.submitted_at
        status = line.status
        row += [
            age_on(line.birth_date, today),
            _status_tag(status, status_tags),
            localized.day(submitted),
            (now - submitted).days if submitted and status == ReferralStatus.SUBMITTED else None,
            flags(line, tags),
        ]
        if show_message:
            row.append(line.message)
        rows.append(row)
    return rows


def _status_tag(status: ReferralStatus, written: dict[ReferralStatus, Markup]) -> Markup:
    tag = written.get(status)
    if tag is None:
        tag = written[status] = status_tag(status, status.label)
    return tag
