"""What a facilitator needs to know about a pupil, as table cells: guardian contact, practical
needs, the referral's worry only when the coordinator has shared it, and why the pupil needs
following up. Written in Python
because a group's pages show them for every pupil and a Jinja macro call costs more than the
few tags. As in the templates, values are escaped and translations are not (Jinja's new-style
gettext marks a message safe and escapes what is put into it)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from markupsafe import Markup, escape

from mestring.attendance.enums import FlagKind
from mestring.attendance.flags import ACTIVE_REFERRAL_STATUSES, AttendanceSummary
from mestring.attendance.queries import FlaggedPupil, Leader, MemberNeeds, Substitute
from mestring.core import localized
from mestring.core.fragments import link, url_pattern
from mestring.core.translations import gettext as _
from mestring.referrals.models import Guardian, Referral


def _guardian_item(guardian: Guardian) -> str:
    parts = [f"\n  <li>{escape(guardian.name)}"]
    if guardian.relation:
        parts.append(f" ({escape(guardian.relation)})")
    if guardian.phone:
        number = escape(guardian.phone.replace(" ", ""))
        parts.append(f', <a class="pkt-link" href="tel:{number}">{escape(guardian.phone)}</a>')
    if guardian.email:
        email = escape(guardian.email)
        parts.append(f', <a class="pkt-link" href="mailto:{email}">{email}</a>')
    if guardian.interpreter_needed:
        language = f": {escape(guardian.language)}" if guardian.language else ""
        interpreter = _("Interpreter")
        parts.append(
            f' <span class="pkt-tag pkt-tag--small pkt-tag--yellow">{interpreter}{language}</span>'
        )
    parts.append("\n  </li>")
    return "".join(parts)


def guardian_contact(guardians: Iterable[Guardian]) -> Markup:
    """The pupil's guardians with their phone, e-mail and interpreter need; empty for none."""
    items = "".join(_guardian_item(guardian) for guardian in guardians)
    if not items:
        return Markup("")
    return Markup(f'\n<ul class="mestring-plain-list">{items}\n</ul>')  # noqa: S704 (escaped)


class Needs(Protocol):
    """A referral's practical needs (a Referral, or a row of its columns)."""

    @property
    def digital_access(self) -> bool: ...
    @property
    def travel_needs(self) -> str: ...
    @property
    def other_needs(self) -> str: ...


def practical_needs(referral: Needs) -> Markup:
    """No digital access, travel and other needs as a list; empty for none."""
    items = []
    if not referral.digital_access:
        items.append(Markup(_("No digital access")))  # noqa: S704 (a message)
    if referral.travel_needs:
        items.append(Markup(_("Travel: %(needs)s")) % {"needs": referral.travel_needs})  # noqa: S704
    if referral.other_needs:
        items.append(escape(referral.other_needs))
    if not items:
        return Markup("")
    listed = "".join(f"\n  <li>{item}</li>" for item in items)
    return Markup(f'\n<ul class="mestring-plain-list">{listed}\n</ul>')  # noqa: S704 (escaped)


def shared_worry(referral: Referral) -> Markup:
    """The referral's free-text worry, only when the coordinator has shared it with the group."""
    if not (referral.worry_shared and referral.worry_text):
        return Markup("")
    summary = _("The worry, shared by the coordinator")
    return Markup(  # noqa: S704 (escaped)
        f'\n<details class="mestring-worry">\n  <summary>{summary}</summary>\n'
        f"  <p>{escape(referral.worry_text)}</p>\n</details>"
    )


def flag_tags(summary: AttendanceSummary) -> Markup:
    """The pupil's follow-up flags as red tags; empty for none."""
    return Markup("\n").join(
        Markup('<span class="pkt-tag pkt-tag--small pkt-tag--red" data-flag="%s">%s</span>')
        % (flag, flag.label)
        for flag in summary.flags
    )


class ReasonMessages:
    """The two messages of `flag_reasons`, each translated once per list, when a row first
    needs it, rather than once per row; and its days and rates, each written once per list
    (the pupils of a group miss the same sessions)."""

    def __init__(self) -> None:
        self._missed: Markup | None = None
        self._low: Markup | None = None
        self._days: dict[datetime, str] = {}
        self._rates: dict[float | None, str] = {}

    def day(self, value: datetime) -> str:
        text = self._days.get(value)
        if text is None:
            text = self._days[value] = localized.day(value)
        return text

    def rate(self, value: float | None) -> str:
        text = self._rates.get(value)
        if text is None:
            text = self._rates[value] = localized.percent(value)
        return text

    @property
    def missed(self) -> Markup:
        if self._missed is None:
            self._missed = Markup(_("missed %(n)s sessions in a row (%(dates)s)"))  # noqa: S704
        return self._missed

    @property
    def low(self) -> Markup:
        if self._low is None:
            self._low = Markup(  # noqa: S704 (a message)
                _("present at %(present)s of %(held)s held sessions (%(rate)s)")
            )
        return self._low


def flag_reasons(summary: AttendanceSummary, messages: ReasonMessages | None = None) -> Markup:
    """Why the pupil is flagged, with the sessions and figures behind it."""
    messages = messages or ReasonMessages()
    # The messages are filled in as plain strings, the days and the rate escaped: Markup's own
    # formatting wraps every value to escape it and costs more than the rest of the row.
    parts = []
    if summary.missed_run:
        dates = ", ".join(messages.day(session.starts_at) for session in summary.missed_run)
        values = {"n": len(summary.missed_run), "dates": escape(dates)}
        parts.append(str(messages.missed) % values)
    if summary.low_attendance:
        rate = escape(messages.rate(summary.rate))
        values = {"present": summary.present, "held": summary.held, "rate": rate}
        parts.append(str(messages.low) % values)
    return Markup("; ".join(parts))  # noqa: S704 (messages and escaped values)


# --- The facilitator's start page -----------------------------------------------------------------


def also_leading(leaders: Iterable[Leader], substitutes: Sequence[Substitute], user_id: int) -> str:
    """Who else leads the session: the group's facilitators who are not replaced, with their
    service, then the substitutes, the user left out. Plain text, escaped where it is shown."""
    replaced = {substitute.replaced_id for substitute in substitutes}
    others = [
        f"{leader.name} ({leader.service_kind.label})" if leader.service_kind else leader.name
        for leader in leaders
        if leader.user_id != user_id and leader.user_id not in replaced
    ]
    label = _("substitute")
    others += [
        f"{substitute.name} ({label})"
        for substitute in substitutes
        if substitute.substitute_id != user_id
    ]
    return ", ".join(others)


def pupils_needs(members: Iterable[MemberNeeds]) -> Markup:
    """The active members' practical needs and interpreter tags, or a note that none are
    recorded; the same for every session of the group."""
    entries = []
    for member in members:
        if member.status not in ACTIVE_REFERRAL_STATUSES:
            continue
        needs = practical_needs(member).strip()
        if not (needs or member.interpreter_needed):
            continue
        interpreter = _("Interpreter")
        tag = (
            f' <span class="pkt-tag pkt-tag--small pkt-tag--yellow">{interpreter}</span>'
            if member.interpreter_needed
            else ""
        )
        entries.append(f"<li><strong>{escape(member.full_name)}:</strong>{tag}{needs}</li>")
    if not entries:
        return Markup(_("No practical needs recorded.")) % {}  # noqa: S704 (a message)
    return Markup(f'<ul class="mestring-plain-list">{"".join(entries)}</ul>')  # noqa: S704


# --- The coordinator's start page ---------------------------------------------------------------


def follow_up_rows(flagged: Iterable[FlaggedPupil]) -> list[list[Markup]]:
    """The pupils to follow up: the pupil (a link to them), their group (a link to its
    attendance), the flags and why."""
    pupil_url = url_pattern("pupils.detail", "pupil_id")
    group_url = url_pattern("attendance.group_overview", "group_id")
    # The list holds at most three sets of flags: each one's tags are written once.
    tags: dict[tuple[FlagKind, ...], Markup] = {}
    messages = ReasonMessages()
    rows = []
    for item in flagged:
        summary = item.summary
        flags = summary.flags
        if flags not in tags:
            tags[flags] = flag_tags(summary)
        rows.append(
            [
                link(pupil_url(item.pupil.id), item.pupil.full_name),
                link(group_url(item.group.id), item.group.name),
                tags[flags],
                flag_reasons(summary, messages),
            ]
        )
    return rows
