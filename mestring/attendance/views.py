"""Recording a session's attendance and note; a group's attendance with its follow-up flags."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import joinedload, selectinload

from mestring.accounts.enums import Role
from mestring.attendance.forms import AttendanceForm
from mestring.attendance.fragments import (
    flag_reasons,
    flag_tags,
    guardian_contact,
    practical_needs,
    shared_worry,
)
from mestring.attendance.permissions import (
    can_record_attendance,
    can_view_group_attendance,
    can_view_session_attendance,
)
from mestring.attendance.queries import group_attendance, marks_of_session, roster
from mestring.attendance.services import record_attendance, refusal
from mestring.audit.web import audit_request
from mestring.core.access import acting_user, get_or_404, roles_required
from mestring.core.errors import DomainError
from mestring.core.time import now_utc, today_oslo
from mestring.core.translations import gettext as _
from mestring.extensions import db
from mestring.groups.models import FacilitatorAssignment, Group
from mestring.scheduling.models import Session, SessionSubstitute

bp = Blueprint("attendance", __name__)
# A group's pages show these for every pupil (a group's page, its attendance, the start page).
bp.add_app_template_global(guardian_contact, "roster_guardian_contact")
bp.add_app_template_global(practical_needs, "roster_practical_needs")
bp.add_app_template_global(shared_worry, "roster_shared_worry")
bp.add_app_template_global(flag_tags, "attendance_flag_tags")
bp.add_app_template_global(flag_reasons, "attendance_flag_reasons")

STAFF = (Role.FACILITATOR, Role.COORDINATOR)

SESSION_OPTIONS = [
    joinedload(Session.group)
    .selectinload(Group.facilitators)
    .joinedload(FacilitatorAssignment.user),
    joinedload(Session.venue),
    selectinload(Session.substitutes).joinedload(SessionSubstitute.substitute),
]


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@roles_required(*STAFF)
def record(session_id: int) -> ResponseReturnValue:
    session = get_or_404(Session, session_id, can_view_session_attendance, SESSION_OPTIONS)
    user = acting_user()
    now = now_utc()
    members = roster(db.session, session.group_id)
    existing = marks_of_session(db.session, session.id)
    may_record = can_record_attendance(user, session)
    refused = refusal(session, now)
    form = AttendanceForm.for_roster(
        members,
        parent_meeting=session.guardians_attend,
        data=AttendanceForm.initial(existing, session.note),
    )
    status = 200
    viewed = not form.is_submitted()
    if not viewed:
        if not may_record:
            abort(403)
        if refused:
            status = 409
        elif form.validate():
            try:
                record_attendance(
                    db.session,
                    actor=user,
                    session=session,
                    marks=form.marks(),
                    note=form.note.data or "",
                    now=now,
                )
            except DomainError as error:
                db.session.rollback()
                form.form_errors.append(str(error))
                status = 409
            else:
                for member in members:
                    audit_request(
                        "record_attendance",
                        object_type="session",
                        object_id=session.id,
                        pupil_id=member.pupil_id,
                    )
                db.session.commit()
                flash(_("The attendance is saved."), "success")
                return redirect(url_for("attendance.record", session_id=session.id))
        else:
            status = 400
    else:
        audit_request("view_attendance", object_type="session", object_id=session.id)
    page = render_template(
        "attendance/record.html",
        session=session,
        members=members,
        existing=existing,
        form=form,
        may_record=may_record and not refused,
        refused=refused,
    )
    # The view's audit event is committed after rendering, so that the page does not reload
    # what the commit expires.
    if viewed:
        db.session.commit()
    return page, status


_OVERVIEW_OPTIONS = (joinedload(Group.term), joinedload(Group.template))


@bp.route("/groups/<int:group_id>/attendance")
@roles_required(*STAFF)
def group_overview(group_id: int) -> ResponseReturnValue:
    group = get_or_404(
        Group,
        group_id,
        can_view_group_attendance,
        options=_OVERVIEW_OPTIONS,
    )
    attendance = group_attendance(db.session, group)
    audit_request("view_group_attendance", object_type="group", object_id=group.id)
    # Rendered before the commit, so that the page does not reload what the commit expires.
    page = render_template(
        "attendance/group.html",
        group=group,
        attendance=attendance,
        today=today_oslo(),
    )
    db.session.commit()
    return page
