"""Referrals: the list and queue, the form, the referral page, consent and status changes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import joinedload

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.audit.web import audit_request
from mestring.core.access import acting_user, get_or_404, roles_required
from mestring.core.errors import DomainError
from mestring.core.time import now_utc, today_oslo
from mestring.core.translations import gettext as _
from mestring.core.translations import lazy_gettext as _l
from mestring.extensions import db
from mestring.referrals.eligibility import next_term_start
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.fields import PUPIL_FIELDS, REFERRAL_FIELDS
from mestring.referrals.forms import ConsentForm, ReferralForm, StatusForm
from mestring.referrals.fragments import ReferralLine, referral_rows
from mestring.referrals.models import Consent, Pupil, Referral, ReferralStatusChange
from mestring.referrals.permissions import (
    can_create_referral,
    can_edit_referral,
    can_record_consent,
    can_view_referral,
)
from mestring.referrals.queries import (
    AGE_BANDS,
    ReferralFilters,
    filter_rows,
    referral_lines_page,
    term_rows,
)
from mestring.referrals.services import (
    DuplicateReferral,
    ReferralInput,
    create_referral,
    move_referral,
    record_consent,
    share_worry,
    submission_problems,
    update_referral,
)
from mestring.referrals.workflow import allowed_targets, comment_needed

bp = Blueprint("referrals", __name__, url_prefix="/referrals")
bp.add_app_template_global(referral_rows, "referral_rows")

# The button for each status change, and what its comment asks for when one is needed.
ACTIONS = {
    ReferralStatus.SUBMITTED: (_l("Submit to the district"), _l("Your answer")),
    ReferralStatus.NEEDS_INFO: (_l("Ask the school for more information"), _l("Question")),
    ReferralStatus.ACCEPTED: (_l("Accept (waitlist)"), _l("Why back to the waitlist")),
    ReferralStatus.DECLINED: (_l("Decline"), _l("Reason (shown to the school)")),
    ReferralStatus.WITHDRAWN: (_l("Withdraw the referral"), _l("Why it is withdrawn")),
    ReferralStatus.PLACED: (_l("Place in a group"), _l("Comment")),
    ReferralStatus.COMPLETED: (_l("Mark as completed"), _l("Comment")),
    ReferralStatus.DISCONTINUED: (_l("Mark as discontinued"), _l("Why the pupil stopped")),
}

# Everything the page shows is joined to the referral's own row in one statement: the
# collections are short (a few changes, consents and guardians), and one statement with their
# product of rows costs less than a statement per collection. Each collection keeps its order:
# the joined loader orders by the relationship's order_by, in the order of the options.
DETAIL_OPTIONS = [
    joinedload(Referral.history).joinedload(ReferralStatusChange.actor),
    joinedload(Referral.consents).joinedload(Consent.guardian),
    joinedload(Referral.pupil).joinedload(Pupil.guardians),
    joinedload(Referral.school),
]


def coming_term_start(user: User) -> date:
    terms = term_rows(db.session, user.district_id)
    return next_term_start(
        today_oslo(), [term.starts_on for term in terms], list(current_app.config["TERM_STARTS"])
    )


@bp.route("/")
@roles_required(Role.SCHOOL, Role.COORDINATOR)
def index() -> str:
    user = acting_user()
    coordinator = user.role is Role.COORDINATOR
    schools, terms = filter_rows(db.session, user.district_id)
    if not coordinator:
        schools = []  # a school lists its own referrals only
    args = request.args
    term = next((t for t in terms if str(t.id) == args.get("term")), None)
    filters = ReferralFilters(
        status=ReferralStatus(args["status"])
        if args.get("status") in set(ReferralStatus)
        else None,
        school_id=next((s.id for s in schools if str(s.id) == args.get("school")), None),
        term=term,
        age_band=args.get("age") if args.get("age") in AGE_BANDS else None,
        age_on=term.starts_on if term else today_oslo(),
    )
    page = referral_lines_page(db.session, user, filters, args.get("page", 1, type=int))
    lines = [ReferralLine._make(row) for row in page.items]
    filter_options = [
        ("status", _("Status"), _("All statuses"), [(s.value, s.label) for s in ReferralStatus]),
        ("school", _("School"), _("All schools"), [(s.id, s.name) for s in schools]),
        ("term", _("Term"), _("All terms"), [(t.id, t.name) for t in terms]),
        ("age", _("Age band"), _("All ages"), [(b, b.replace("-", "–")) for b in AGE_BANDS]),
    ]
    return render_template(
        "referrals/index.html",
        page=replace(page, items=lines),
        filter_options=filter_options,
        show_school=coordinator,
        can_create=can_create_referral(user),
    )


def _input(form: ReferralForm) -> ReferralInput:
    return ReferralInput(
        pupil=form.section(PUPIL_FIELDS),
        guardians=form.guardian_entries(),
        referral=form.section(REFERRAL_FIELDS),
    )


def _duplicate(form: ReferralForm, error: DuplicateReferral, user: User) -> Referral | None:
    """Explain the duplicate; the existing referral, if the user may open it."""
    if can_view_referral(user, error.existing):
        form.form_errors.append(_("This pupil already has an active referral."))
        return error.existing
    form.form_errors.append(
        _(
            "This pupil already has an active referral from another school. "
            "Contact the district's coordinator."
        )
    )
    return None


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.SCHOOL)
def new() -> ResponseReturnValue:
    user = acting_user()
    form = ReferralForm()
    duplicate = None
    if form.validate_on_submit():
        try:
            referral = create_referral(db.session, actor=user, data=_input(form), now=now_utc())
        except DuplicateReferral as error:
            db.session.rollback()
            duplicate = _duplicate(form, error, user)
        else:
            audit_request(
                "create_referral",
                object_type="referral",
                object_id=referral.id,
                pupil_id=referral.pupil_id,
            )
            db.session.commit()
            flash(_("The referral is saved as a draft."), "success")
            return redirect(url_for("referrals.detail", referral_id=referral.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "referrals/form.html", form=form, referral=None, duplicate=duplicate
    ), status


@bp.route("/<int:referral_id>/edit", methods=["GET", "POST"])
@roles_required(Role.SCHOOL, Role.COORDINATOR)
def edit(referral_id: int) -> ResponseReturnValue:
    user = acting_user()
    referral = get_or_404(Referral, referral_id, can_edit_referral, options=DETAIL_OPTIONS)
    form = ReferralForm(data=ReferralForm.initial(referral))
    duplicate = None
    if form.validate_on_submit():
        try:
            update_referral(
                db.session,
                actor=user,
                referral=referral,
                data=_input(form),
                version=int(form.version.data or 0),
                now=now_utc(),
            )
        except DuplicateReferral as error:
            db.session.rollback()
            duplicate = _duplicate(form, error, user)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            audit_request(
                "update_referral",
                object_type="referral",
                object_id=referral.id,
                pupil_id=referral.pupil_id,
            )
            db.session.commit()
            flash(_("The referral is saved."), "success")
            return redirect(url_for("referrals.detail", referral_id=referral.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "referrals/form.html", form=form, referral=referral, duplicate=duplicate
    ), status


@dataclass(frozen=True)
class Action:
    target: ReferralStatus
    form: StatusForm
    button: str
    needs_comment: bool


def _action_form(referral: Referral, target: ReferralStatus) -> Action:
    button, comment_label = ACTIONS[target]
    form = StatusForm(prefix=target.value, formdata=None)
    form.comment.label.text = str(comment_label)
    return Action(target, form, str(button), comment_needed(referral.status, target))


def _render_detail(
    referral: Referral, user: User, *, consent_form: ConsentForm | None = None, status: int = 200
) -> ResponseReturnValue:
    targets = allowed_targets(user, referral)
    actions = [_action_form(referral, target) for target in targets]
    return render_template(
        "referrals/detail.html",
        referral=referral,
        actions=actions,
        can_edit=can_edit_referral(user, referral),
        consent_form=consent_form
        or (
            ConsentForm(guardians=referral.pupil.guardians, formdata=None)
            if can_record_consent(user, referral)
            else None
        ),
        # The terms are read only when the referral may be submitted.
        problems=submission_problems(referral, term_start=coming_term_start(user))
        if ReferralStatus.SUBMITTED in targets
        else [],
    ), status


@bp.route("/<int:referral_id>")
@roles_required(Role.SCHOOL, Role.COORDINATOR)
def detail(referral_id: int) -> ResponseReturnValue:
    referral = get_or_404(Referral, referral_id, can_view_referral, options=DETAIL_OPTIONS)
    audit_request(
        "view_referral",
        object_type="referral",
        object_id=referral.id,
        pupil_id=referral.pupil_id,
    )
    # Rendered before the commit, so that the page does not reload what the commit expires.
    page = _render_detail(referral, acting_user())
    db.session.commit()
    return page


@bp.route("/<int:referral_id>/consent", methods=["POST"])
@roles_required(Role.SCHOOL, Role.COORDINATOR)
def consent(referral_id: int) -> ResponseReturnValue:
    user = acting_user()
    referral = get_or_404(Referral, referral_id, can_record_consent, options=DETAIL_OPTIONS)
    form = ConsentForm(guardians=referral.pupil.guardians)
    if form.validate_on_submit():
        guardian = next(g for g in referral.pupil.guardians if g.id == form.guardian.data)
        try:
            record_consent(
                db.session,
                actor=user,
                referral=referral,
                guardian=guardian,
                given_on=form.given_on.data,
                method=form.method.data,
                note=form.note.data or "",
                covers_participation=form.covers_participation.data,
                covers_sharing=form.covers_sharing.data,
                covers_absence_data=form.covers_absence_data.data,
                now=now_utc(),
            )
        except DomainError as error:
            form.form_errors.append(str(error))
        else:
            audit_request(
                "record_consent",
                object_type="referral",
                object_id=referral.id,
                pupil_id=referral.pupil_id,
            )
            db.session.commit()
            flash(_("The consent is recorded."), "success")
            return redirect(url_for("referrals.detail", referral_id=referral.id))
    return _render_detail(referral, user, consent_form=form, status=400)


@bp.route("/<int:referral_id>/status/<target>", methods=["POST"])
@roles_required(Role.SCHOOL, Role.COORDINATOR)
def status(referral_id: int, target: str) -> ResponseReturnValue:
    user = acting_user()
    referral = get_or_404(Referral, referral_id, can_view_referral, options=DETAIL_OPTIONS)
    if target not in set(ReferralStatus):
        abort(404)
    form = StatusForm(prefix=target)
    if form.validate_on_submit():
        try:
            move_referral(
                db.session,
                actor=user,
                referral=referral,
                target=ReferralStatus(target),
                comment=form.comment.data or "",
                term_start=coming_term_start(user),
                now=now_utc(),
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            audit_request(
                "change_referral_status",
                object_type="referral",
                object_id=referral.id,
                pupil_id=referral.pupil_id,
                details={"to": target},
            )
            db.session.commit()
            flash(_("The referral is now: %(status)s.", status=referral.status.label), "success")
    else:
        flash(_("The status could not be changed."), "error")
    return redirect(url_for("referrals.detail", referral_id=referral_id))


@bp.route("/<int:referral_id>/share-worry", methods=["POST"])
@roles_required(Role.COORDINATOR)
def share_worry_view(referral_id: int) -> ResponseReturnValue:
    referral = get_or_404(Referral, referral_id, can_view_referral)
    shared = not referral.worry_shared
    share_worry(db.session, actor=acting_user(), referral=referral, shared=shared)
    audit_request(
        "share_worry" if shared else "unshare_worry",
        object_type="referral",
        object_id=referral.id,
        pupil_id=referral.pupil_id,
    )
    db.session.commit()
    if shared:
        flash(_("The group's facilitators can now read the description of the worry."), "success")
    else:
        flash(_("The description of the worry is no longer shown to facilitators."), "success")
    return redirect(url_for("referrals.detail", referral_id=referral.id))
