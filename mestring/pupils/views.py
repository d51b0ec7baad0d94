"""The pupil page."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy.orm import joinedload

from mestring.accounts.enums import Role
from mestring.audit.web import audit_request
from mestring.core.access import acting_user, get_or_404, roles_required
from mestring.core.time import today_oslo
from mestring.extensions import db
from mestring.outcomes.permissions import can_enter_absence
from mestring.outcomes.queries import measurements_for
from mestring.pupils.permissions import can_view_pupil
from mestring.pupils.queries import (
    absence_records_of,
    attendance_counts,
    measured_course,
    memberships_of,
)
from mestring.referrals.models import Pupil

bp = Blueprint("pupils", __name__, url_prefix="/pupils")

# The school, the guardians and the referrals are joined to the pupil's row in one
# statement: the collections are short, and their product of rows costs less than a
# statement per collection. Each keeps its order (the relationships' order_by).
DETAIL_OPTIONS = [
    joinedload(Pupil.school),
    joinedload(Pupil.guardians),
    joinedload(Pupil.referrals),
]


@bp.route("/<int:pupil_id>")
@roles_required(Role.SCHOOL, Role.COORDINATOR, Role.FACILITATOR)
def detail(pupil_id: int) -> str:
    pupil = get_or_404(Pupil, pupil_id, can_view_pupil, options=DETAIL_OPTIONS)
    audit_request("view_pupil", object_type="pupil", object_id=pupil.id, pupil_id=pupil.id)
    absence_records = absence_records_of(db.session, pupil.id)
    memberships = memberships_of(db.session, pupil.id)
    course = measured_course(memberships)
    # Rendered before the commit, so that the page does not reload what the commit expires.
    page = render_template(
        "pupils/detail.html",
        pupil=pupil,
        placed=course is not None,
        measurements=measurements_for(course, absence_records, today_oslo()) if course else [],
        can_enter_absence=can_enter_absence(acting_user(), pupil),
        memberships=memberships,
        absence_records=absence_records,
        attendance=attendance_counts(db.session, pupil.id),
    )
    db.session.commit()
    return page
