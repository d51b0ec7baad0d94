"""Consent withdrawal and the access export of one pupil."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import joinedload

from mestring.accounts.enums import Role
from mestring.attendance.enums import AttendanceStatus
from mestring.audit.web import audit_request
from mestring.core.access import acting_user, get_or_404, roles_required
from mestring.core.errors import DomainError
from mestring.core.time import now_utc
from mestring.core.translations import gettext as _
from mestring.extensions import db
from mestring.groups.enums import GroupStatus
from mestring.outcomes.enums import PeriodKind
from mestring.privacy.export import pupil_export
from mestring.privacy.forms import WithdrawConsentForm
from mestring.privacy.permissions import can_export_pupil, can_withdraw_consent
from mestring.privacy.services import withdraw_consent
from mestring.pupils.permissions import can_view_pupil
from mestring.referrals.enums import ConsentMethod, ReferralStatus
from mestring.referrals.models import Pupil

bp = Blueprint("privacy", __name__)

PUPIL_OPTIONS = [joinedload(Pupil.school)]


@bp.app_template_global()
def may_withdraw_consent(pupil: Pupil) -> bool:
    """For pages: whether the signed-in user may withdraw consent for ``pupil``."""
    return current_user.is_authenticated and can_withdraw_consent(acting_user(), pupil)


@bp.app_template_global()
def may_export_pupil(pupil: Pupil) -> bool:
    """For pages: whether the signed-in user may export everything held about ``pupil``."""
    return current_user.is_authenticated and can_export_pupil(acting_user(), pupil)


@bp.route("/pupils/<int:pupil_id>/withdraw-consent", methods=["POST"])
@roles_required(Role.SCHOOL, Role.COORDINATOR)
def withdraw(pupil_id: int) -> ResponseReturnValue:
    user = acting_user()
    pupil = get_or_404(Pupil, pupil_id, can_view_pupil, options=PUPIL_OPTIONS)
    form = WithdrawConsentForm()
    if not form.validate_on_submit():
        flash(_("The consent could not be withdrawn. Please try again."), "error")
    elif not can_withdraw_consent(user, pupil):
        flash(_("The pupil's data has already been anonymised."), "info")
    else:
        try:
            withdraw_consent(db.session, actor=user, pupil=pupil, now=now_utc())
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            audit_request(
                "withdraw_consent", object_type="pupil", object_id=pupil.id, pupil_id=pupil.id
            )
            db.session.commit()
            flash(
                _(
                    "The consent is withdrawn: the pupil has left the programme and their "
                    "personal data is anonymised."
                ),
                "success",
            )
    return redirect(url_for("pupils.detail", pupil_id=pupil_id))


def _exported(pupil_id: int, file_format: str) -> tuple[Pupil, dict[str, Any]]:
    """Everything held about the pupil, with the export written to the audit log."""
    pupil = get_or_404(Pupil, pupil_id, can_export_pupil, options=PUPIL_OPTIONS)
    data = pupil_export(db.session, pupil.id)
    audit_request(
        "export_pupil",
        object_type="pupil",
        object_id=pupil.id,
        pupil_id=pupil.id,
        details={"format": file_format},
    )
    db.session.commit()
    return pupil, data


@bp.route("/pupils/<int:pupil_id>/export.json")
@roles_required(Role.COORDINATOR)
def export_json(pupil_id: int) -> Response:
    pupil, data = _exported(pupil_id, "json")
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="pupil-{pupil.id}.json"'},
    )


@bp.route("/pupils/<int:pupil_id>/export")
@roles_required(Role.COORDINATOR)
def export_page(pupil_id: int) -> str:
    pupil, data = _exported(pupil_id, "html")
    return render_template("privacy/export.html", pupil=pupil, data=data, labels=_labels())


def _labels() -> dict[str, dict[str, str]]:
    """Readable labels for the coded values of the export."""
    return {
        kind: {member.value: member.label for member in enum_cls}
        for kind, enum_cls in (
            ("status", ReferralStatus),
            ("method", ConsentMethod),
            ("group_status", GroupStatus),
            ("attendance", AttendanceStatus),
            ("period", PeriodKind),
        )
    }
