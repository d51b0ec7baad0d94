"""Groups: list, new, page, edit, status, placing and removing pupils; the composer; course
templates; keep-apart pairs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import joinedload, selectinload, undefer_group

from mestring.accounts.enums import Role
from mestring.accounts.models import Term, User
from mestring.audit.web import audit_request
from mestring.core.access import acting_user, get_or_404, roles_required
from mestring.core.errors import DomainError
from mestring.core.form_markup import form_rows_markup
from mestring.core.fragments import url_pattern
from mestring.core.localized import day as formatted_day
from mestring.core.pagination import paginate
from mestring.core.time import age_on, now_utc, today_oslo
from mestring.core.translations import gettext as _
from mestring.core.translations import lazy_gettext as _l
from mestring.db import DbSession
from mestring.extensions import db
from mestring.groups.composer import Proposal, outside_bands, propose_groups
from mestring.groups.enums import GroupStatus, SessionMode
from mestring.groups.forms import (
    WEEKDAYS,
    ComposerTermForm,
    GroupForm,
    KeepApartForm,
    MoveForm,
    PlaceForm,
    ProposalDetailsForm,
    ProposalForm,
    RemoveMemberForm,
    StatusForm,
    TemplateForm,
    TemplateSessionForm,
)
from mestring.groups.forms import choices as select_choices
from mestring.groups.fragments import facilitator_rows, member_rows, session_rows
from mestring.groups.list_fragments import group_rows
from mestring.groups.models import (
    CourseTemplate,
    Group,
    GroupMembership,
    KeepApartPair,
    TemplateSession,
    Venue,
)
from mestring.groups.permissions import (
    can_edit_template,
    can_edit_template_session,
    can_manage_group,
    can_manage_keep_apart,
    can_manage_membership,
    can_view_group,
    can_view_template,
)
from mestring.groups.proposal_forms import proposal_form_rows
from mestring.groups.queries import (
    group_facts,
    group_members,
    groups_in_scope,
    keep_apart_page_query,
    member_keep_apart_pairs,
    plan_rows,
    pupils_for_keep_apart,
    rows_of,
    template_options,
    templates_page_query,
    term_options,
    venue_options,
    waitlist_entries,
    waitlist_names,
)
from mestring.groups.services import (
    EDITABLE_STATUSES,
    GroupDetails,
    InvalidGroup,
    TemplatePattern,
    TemplateSessionDetails,
    add_template_session,
    change_group_status,
    copy_course_template,
    create_group,
    create_group_from_proposal,
    delete_keep_apart,
    delete_template_session,
    group_targets,
    move_template_session,
    place_referral,
    record_keep_apart,
    remove_member,
    update_course_template,
    update_group,
    update_template_session,
)
from mestring.groups.warnings import facilitator_warnings, group_warnings
from mestring.referrals.models import Pupil, Referral

bp = Blueprint("groups", __name__, url_prefix="/groups")

COORDINATOR = Role.COORDINATOR
DEFAULT_CAPACITY, DEFAULT_MIN_SIZE = 8, 4

# The button for each status change, and whether it asks for confirmation.
STATUS_ACTIONS: dict[GroupStatus, tuple[Any, Any]] = {
    GroupStatus.RUNNING: (_l("Start the group"), None),
    GroupStatus.FINISHED: (_l("Mark as finished"), None),
    GroupStatus.CANCELLED: (
        _l("Cancel the group"),
        _l("Cancel the group? Its pupils go back to the waitlist."),
    ),
}

# The template's sessions are not loaded: a group without a plan asks the database whether its
# template has digital sessions. A group has two or three facilitators: they come with the
# group's row, with their names and services as columns (the "page" columns of
# FacilitatorAssignment), as do the names of its term, template and venue (those of Group).
# The group page reads its members and its plan as rows (group_members, plan_rows), not as
# objects.
PAGE_OPTIONS = [
    joinedload(Group.facilitators).undefer_group("page"),
    undefer_group("page"),
]
# The pages that change a group load its members, sessions, term, template and venue too. A
# pupil has one or two guardians: they come with the rows they belong to, not in queries of
# their own.
DETAIL_OPTIONS = [
    selectinload(Group.memberships).options(
        joinedload(GroupMembership.pupil).options(
            joinedload(Pupil.school), joinedload(Pupil.guardians)
        ),
        joinedload(GroupMembership.referral),
    ),
    selectinload(Group.sessions),
    joinedload(Group.term),
    joinedload(Group.template),
    joinedload(Group.venue),
    *PAGE_OPTIONS,
]


class Place(NamedTuple):
    """A venue as ``venue_text`` writes it, from the group's "page" columns."""

    name: str
    address: str


def _form_error(form: Any, error: DomainError) -> None:
    """A service's error shown at its field when it names one, else above the form."""
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors = [*form[field].errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _start_day(group: Group) -> date:
    return group.starts_on or group.term_starts_on


def _waitlist_choices(user: User, on: date) -> list[tuple[int, str]]:
    # One message for every pupil: translated once, filled in per row.
    label = _("%(name)s (%(school)s, %(age)s years)")
    return [
        (
            row.id,
            label
            % {
                "name": f"{row.first_name} {row.last_name}",
                "school": row.school_name,
                "age": age_on(row.birth_date, on),
            },
        )
        for row in waitlist_names(db.session, user.district_id)
    ]


def _group_choices(
    user: User,
    terms: Sequence[Term] | None = None,
    templates: Sequence[CourseTemplate] | None = None,
) -> dict[str, list[tuple[int, str]]]:
    """The terms, templates and venues a group form offers; load once for many forms. Terms and
    templates a page has already loaded are not loaded again."""
    if terms is None:
        terms = term_options(db.session, user.district_id)
    if templates is None:
        templates = template_options(db.session, user.district_id)
    return {
        "terms": [(t.id, t.name) for t in terms],
        "templates": [(t.id, t.name) for t in templates],
        "venues": [
            (v.id, f"{v.name}, {v.address}") for v in venue_options(db.session, user.district_id)
        ],
    }


def _group_form(user: User, choices: dict[str, list[Any]] | None = None, **kwargs: Any) -> Any:
    form_class = kwargs.pop("form_class", GroupForm)
    return form_class(**(choices or _group_choices(user)), **kwargs)


def _details(form: Any) -> GroupDetails:
    return GroupDetails(
        name=form.name.data,
        term_id=form.term_id.data,
        template_id=form.template_id.data,
        capacity=form.capacity.data,
        min_size=form.min_size.data,
        age_min=form.age_min.data,
        age_max=form.age_max.data,
        venue_id=form.venue,
        new_venue_name=form.new_venue_name.data or "",
        new_venue_address=form.new_venue_address.data or "",
        video_link=form.video_link.data or "",
        starts_on=form.starts_on.data,
    )


# --- Groups -------------------------------------------------------------------------------------


@bp.route("/")
@roles_required(Role.COORDINATOR, Role.FACILITATOR)
def index() -> str:
    user = acting_user()
    page = paginate(db.session, groups_in_scope(user), request.args.get("page", 1, type=int))
    return render_template(
        "groups/index.html",
        page=page,
        rows=group_rows(page.items),
        can_create=user.role is Role.COORDINATOR,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(COORDINATOR)
def new() -> ResponseReturnValue:
    user = acting_user()
    form = _group_form(user)
    if form.validate_on_submit():
        try:
            group = create_group(db.session, actor=user, details=_details(form), now=now_utc())
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("The group is created."), "success")
            return redirect(url_for("groups.detail", group_id=group.id))
    status = 400 if request.method == "POST" else 200
    return render_template("groups/form.html", form=form, group=None), status


def _render_detail(
    group: Group,
    *,
    place_form: PlaceForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    user = acting_user()
    can_manage = can_manage_group(user, group)
    manage = can_manage and group.status in EDITABLE_STATUSES
    start_day = _start_day(group)
    if manage and place_form is None:
        place_form = PlaceForm(waitlist=_waitlist_choices(user, start_day))
    members = group_members(db.session, group)
    plan = plan_rows(db.session, group.id)
    pairs = member_keep_apart_pairs(members)
    warnings = group_warnings(group_facts(db.session, group, members, plan, pairs))
    warnings += facilitator_warnings([a.service_kind for a in group.facilitators])
    audit_request("view_group", object_type="group", object_id=group.id)
    # Rendered before the commit, so that the page does not reload what the commit expires.
    page = render_template(
        "groups/detail.html",
        group=group,
        venue=(
            Place(group.venue_name or "", group.venue_address or "")
            if group.venue_id is not None
            else None
        ),
        warnings=warnings,
        session_rows=session_rows(plan, show_position=True, show_status=True),
        members=members,
        member_rows=partial(
            member_rows,
            members,
            start_day=start_day,
            remove_url=url_pattern("groups.remove_member_view", "membership_id", group_id=group.id)
            if manage
            else None,
        ),
        facilitator_rows=facilitator_rows(
            group.facilitators,
            profile_url=url_pattern("facilitators.profile", "user_id") if can_manage else None,
        ),
        can_change_members=manage,
        place_form=place_form if manage else None,
        status_actions=[
            (target, *STATUS_ACTIONS[target]) for target in group_targets(group) if can_manage
        ],
    )
    db.session.commit()
    return page, status


@bp.route("/<int:group_id>")
@roles_required(Role.COORDINATOR, Role.FACILITATOR)
def detail(group_id: int) -> ResponseReturnValue:
    group = get_or_404(Group, group_id, can_view_group, options=PAGE_OPTIONS)
    return _render_detail(group)


@bp.route("/<int:group_id>/edit", methods=["GET", "POST"])
@roles_required(COORDINATOR)
def edit(group_id: int) -> ResponseReturnValue:
    user = acting_user()
    group = get_or_404(Group, group_id, can_manage_group, options=DETAIL_OPTIONS)
    if group.status not in EDITABLE_STATUSES:
        flash(_("A finished or cancelled group cannot be changed."), "warning")
        return redirect(url_for("groups.detail", group_id=group.id))
    form = _group_form(
        user,
        data={
            "version": group.version_id,
            "name": group.name,
            "term_id": group.term_id,
            "template_id": group.template_id,
            "starts_on": group.starts_on,
            "capacity": group.capacity,
            "min_size": group.min_size,
            "age_min": group.age_min,
            "age_max": group.age_max,
            "venue_id": str(group.venue_id) if group.venue_id else "",
            "video_link": group.video_link,
        },
    )
    if form.validate_on_submit():
        try:
            update_group(
                db.session,
                actor=user,
                group=group,
                details=_details(form),
                version=form.version_number,
            )
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("The group is saved."), "success")
            return redirect(url_for("groups.detail", group_id=group.id))
    status = 400 if request.method == "POST" else 200
    return render_template("groups/form.html", form=form, group=group), status


@bp.route("/<int:group_id>/status", methods=["POST"])
@roles_required(COORDINATOR)
def change_status_view(group_id: int) -> ResponseReturnValue:
    user = acting_user()
    group = get_or_404(Group, group_id, can_manage_group, options=DETAIL_OPTIONS)
    form = StatusForm()
    if not form.validate_on_submit():
        flash(_("The status could not be changed. Please try again."), "error")
        return redirect(url_for("groups.detail", group_id=group.id))
    target = GroupStatus(form.target.data)
    try:
        change_group_status(
            db.session,
            actor=user,
            group=group,
            target=target,
            version=form.version_number,
            now=now_utc(),
        )
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        audit_request(
            "change_group_status",
            object_type="group",
            object_id=group.id,
            details={"status": target.value},
        )
        db.session.commit()
        flash(_("The group is now %(status)s.", status=target.label.lower()), "success")
    return redirect(url_for("groups.detail", group_id=group.id))


@bp.route("/<int:group_id>/members", methods=["POST"])
@roles_required(COORDINATOR)
def place(group_id: int) -> ResponseReturnValue:
    user = acting_user()
    group = get_or_404(Group, group_id, can_manage_group, options=DETAIL_OPTIONS)
    form = PlaceForm(waitlist=_waitlist_choices(user, _start_day(group)))
    if form.validate_on_submit():
        referral = db.session.get(Referral, form.referral.data)
        try:
            if referral is None:
                raise InvalidGroup(_l("The referral is not on the waitlist."), "referral")
            membership = place_referral(
                db.session, actor=user, group=group, referral=referral, now=now_utc()
            )
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            audit_request(
                "place_pupil",
                object_type="group",
                object_id=group.id,
                pupil_id=membership.pupil_id,
            )
            db.session.commit()
            flash(_("The pupil is placed in the group."), "success")
            return redirect(url_for("groups.detail", group_id=group.id))
    group = get_or_404(Group, group_id, can_manage_group, options=DETAIL_OPTIONS)
    return _render_detail(group, place_form=form, status=400)


_MEMBERSHIP_OPTIONS = (joinedload(GroupMembership.pupil), joinedload(GroupMembership.group))


@bp.route("/<int:group_id>/members/<int:membership_id>/remove", methods=["GET", "POST"])
@roles_required(COORDINATOR)
def remove_member_view(group_id: int, membership_id: int) -> ResponseReturnValue:
    user = acting_user()
    membership = get_or_404(
        GroupMembership,
        membership_id,
        can_manage_membership,
        options=_MEMBERSHIP_OPTIONS,
    )
    if membership.group_id != group_id:
        abort(404)
    group = membership.group
    form = RemoveMemberForm()
    if form.validate_on_submit():
        pupil_id = membership.pupil_id
        try:
            remove_member(
                db.session,
                actor=user,
                membership=membership,
                comment=form.comment.data,
                now=now_utc(),
            )
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            audit_request(
                "remove_pupil", object_type="group", object_id=group_id, pupil_id=pupil_id
            )
            db.session.commit()
            flash(_("The pupil is back on the waitlist."), "success")
            return redirect(url_for("groups.detail", group_id=group_id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "groups/remove_member.html", form=form, group=group, membership=membership
    ), status


# --- Composer -----------------------------------------------------------------------------------


def _proposal_name(term_name: str, proposal: Proposal, number: int) -> str:
    return _(
        "%(term)s, %(min)s–%(max)s years, group %(number)s",
        term=term_name,
        min=proposal.age_min,
        max=proposal.age_max,
        number=number,
    )


def _proposal_rows(proposal: Proposal, starts_on: date) -> list[list[Any]]:
    """The cells of a proposal's table of pupils: name, age at the start, school, waiting
    since, digital access."""
    yes, no = _("Yes"), _("No")
    return [
        [
            entry.pupil.name,
            age_on(entry.pupil.birth_date, starts_on),
            entry.pupil.school_name,
            formatted_day(entry.waiting_since),
            yes if entry.pupil.digital_access else no,
        ]
        for entry in proposal.entries
    ]


class TermChoice(NamedTuple):
    """A term the composer offers: what it shows of it and when it starts."""

    id: int
    name: str
    starts_on: date


class TemplateChoice(NamedTuple):
    """A course template the composer offers, and whether it has a digital session (the
    proposals' warnings ask)."""

    id: int
    name: str
    has_digital: bool


class ComposerChoices(NamedTuple):
    terms: list[TermChoice]
    templates: list[TemplateChoice]
    venues: list[tuple[int, str]]
    # The district's keep-apart pairs of pupil ids, for the proposals' warnings.
    keep_apart: list[tuple[int, int]]


# The composer's terms, templates and venues, and the keep-apart pairs, read in one statement
# as typed rows: every statement is a round trip, and the forms need only ids and names. Each
# part keeps the order of its own query (groups.queries) as its "position"; rows carry their
# "kind". A pair's pupils are its "id" and "other_id".
_TERM_ROW, _TEMPLATE_ROW, _VENUE_ROW, _PAIR_ROW = 0, 1, 2, 3
_COMPOSER_DISTRICT: Any = sa.bindparam("district_id")


def _option_rows(
    kind: int,
    *columns: Any,
    order_by: tuple[Any, ...],
) -> sa.Select[Any]:
    return sa.select(
        sa.literal_column(str(kind), sa.Integer).label("kind"),
        *columns,
        sa.func.row_number().over(order_by=order_by).label("position"),
    )


_NO_DATE = sa.cast(sa.null(), sa.Date)
_NO_TEXT = sa.cast(sa.null(), sa.String)
_NO_ID = sa.cast(sa.null(), sa.Integer)
_COMPOSER_OPTIONS = sa.union_all(
    _option_rows(
        _TERM_ROW,
        Term.id,
        Term.name,
        Term.starts_on,
        _NO_TEXT.label("address"),
        sa.false().label("has_digital"),
        _NO_ID.label("other_id"),
        order_by=(Term.starts_on.desc(),),
    ).where(Term.district_id == _COMPOSER_DISTRICT),
    _option_rows(
        _TEMPLATE_ROW,
        CourseTemplate.id,
        CourseTemplate.name,
        _NO_DATE,
        _NO_TEXT,
        sa.exists()
        .where(
            TemplateSession.template_id == CourseTemplate.id,
            TemplateSession.mode == SessionMode.DIGITAL,
        )
        .correlate(CourseTemplate),
        _NO_ID,
        order_by=(CourseTemplate.district_id.is_not(None), CourseTemplate.name),
    ).where(
        sa.or_(
            CourseTemplate.district_id.is_(None),
            CourseTemplate.district_id == _COMPOSER_DISTRICT,
        )
    ),
    _option_rows(
        _VENUE_ROW,
        Venue.id,
        Venue.name,
        _NO_DATE,
        Venue.address,
        sa.false(),
        _NO_ID,
        order_by=(Venue.name,),
    ).where(Venue.district_id == _COMPOSER_DISTRICT),
    _option_rows(
        _PAIR_ROW,
        KeepApartPair.pupil_a_id,
        _NO_TEXT,
        _NO_DATE,
        _NO_TEXT,
        sa.false(),
        KeepApartPair.pupil_b_id,
        order_by=(KeepApartPair.id,),
    ).where(KeepApartPair.district_id == _COMPOSER_DISTRICT),
).order_by(sa.literal_column("kind"), sa.literal_column("position"))


def composer_choices(session: DbSession, district_id: int | None) -> ComposerChoices:
    """The district's terms (newest first), the shipped templates and the district's copies
    (shipped first, by name) and its venues (by name), as the composer offers them, and the
    district's keep-apart pairs."""
    choices = ComposerChoices([], [], [], [])
    for kind, ident, name, starts_on, address, has_digital, other_id, _position in rows_of(
        session, _COMPOSER_OPTIONS, {"district_id": district_id}
    ):
        if kind == _TERM_ROW:
            choices.terms.append(TermChoice(ident, name, starts_on))
        elif kind == _TEMPLATE_ROW:
            choices.templates.append(TemplateChoice(ident, name, bool(has_digital)))
        elif kind == _VENUE_ROW:
            choices.venues.append((ident, f"{name}, {address}"))
        else:
            choices.keep_apart.append((ident, other_id))
    return choices


@bp.route("/composer", methods=["GET", "POST"])
@roles_required(COORDINATOR)
def composer() -> ResponseReturnValue:
    """Proposals for a term (GET); a POST with ``proposal=<n>`` creates that proposal's group."""
    user = acting_user()
    terms, templates, venues, pairs = composer_choices(db.session, user.district_id)
    # One set of choices for every proposal's form: the page's queries do not grow with them,
    # and each option is made once.
    choices = {
        "terms": select_choices((t.id, t.name) for t in terms),
        "templates": select_choices((t.id, t.name) for t in templates),
        "venues": select_choices(venues),
    }
    choice_form = ComposerTermForm(
        request.args, terms=choices["terms"], templates=choices["templates"]
    )
    term = next((t for t in terms if t.id == choice_form.term.data), None)
    if term is None and terms:
        # The coming term: the earliest that has not started, else the newest.
        today = today_oslo()
        upcoming = [t for t in terms if t.starts_on >= today]
        term = min(upcoming, key=lambda t: t.starts_on) if upcoming else terms[0]
    template = next((t for t in templates if t.id == choice_form.template.data), None)
    template = template or (templates[0] if templates else None)
    choice_form.term.data = term.id if term else None
    choice_form.template.data = template.id if template else None

    entries = waitlist_entries(db.session, user.district_id)
    waitlist_choices = [(e.referral_id, e.pupil.name) for e in entries]
    submitted, submitted_number = None, request.args.get("proposal", 0, type=int)
    if request.method == "POST":
        submitted = _group_form(
            user,
            choices,
            form_class=ProposalForm,
            waitlist=waitlist_choices,
            prefix=f"p{submitted_number}",
        )
        if submitted.validate_on_submit():
            referrals = [db.session.get(Referral, ident) for ident in submitted.referrals.data]
            try:
                group = create_group_from_proposal(
                    db.session,
                    actor=user,
                    details=_details(submitted),
                    referrals=[r for r in referrals if r is not None],
                    now=now_utc(),
                )
            except DomainError as error:
                db.session.rollback()
                _form_error(submitted, error)
            else:
                for membership in group.memberships:
                    audit_request(
                        "place_pupil",
                        object_type="group",
                        object_id=group.id,
                        pupil_id=membership.pupil_id,
                    )
                db.session.commit()
                flash(_("The group is created and its pupils are placed."), "success")
                return redirect(url_for("groups.detail", group_id=group.id))
        entries = waitlist_entries(db.session, user.district_id)

    proposals: list[tuple[int, Proposal, list[list[Any]], list[Any], Any]] = []
    fresh: dict[int, Any] = {}  # the proposals' forms not submitted, by number
    left_out = []
    if term is not None:
        digital = template.has_digital if template else False
        for number, proposal in enumerate(propose_groups(entries, term.starts_on), start=1):
            shown = {e.referral_id for e in proposal.entries}
            if submitted is not None and number == submitted_number:
                form = submitted
                shown |= {ident for ident in submitted.referrals.data or () if ident is not None}
                form.referrals.choices = [
                    c for c in form.referrals.choices if int(c.value) in shown
                ]
            else:
                # A proposal's form offers its own pupils only, in waitlist order. The first
                # form not submitted is whole; the others have the fields that differ, their
                # other fields are the first's (groups.proposal_forms writes them).
                arguments: dict[str, Any] = {
                    "waitlist": [choice for choice in waitlist_choices if choice[0] in shown],
                    "formdata": None,
                    "prefix": f"p{number}",
                    "data": {
                        "name": _proposal_name(term.name, proposal, number),
                        "term_id": term.id,
                        "template_id": template.id if template else None,
                        "age_min": proposal.age_min,
                        "age_max": proposal.age_max,
                        "referrals": sorted(shown),
                    },
                }
                if fresh:
                    form = ProposalDetailsForm(**arguments)
                else:
                    form = _group_form(user, choices, form_class=ProposalForm, **arguments)
                fresh[number] = form
            warnings = group_warnings(
                proposal.facts(
                    capacity=form.capacity.data or DEFAULT_CAPACITY,
                    min_size=form.min_size.data or DEFAULT_MIN_SIZE,
                    has_digital_sessions=digital,
                    keep_apart=pairs,
                )
            )
            rows = _proposal_rows(proposal, term.starts_on)
            proposals.append((number, proposal, rows, warnings, form))
        left_out = outside_bands(entries, term.starts_on)
    # The fields of each proposal's form: those not submitted are alike, written together.
    form_fields = dict(zip(fresh, proposal_form_rows(list(fresh.values())), strict=True))
    # The submitted proposal may be gone (the waitlist changed): its errors go above the list.
    orphan = submitted if submitted_number not in {p[0] for p in proposals} else None
    if submitted is not None and orphan is None:
        form_fields[submitted_number] = form_rows_markup(submitted)
    return render_template(
        "groups/composer.html",
        choice_form=choice_form,
        term=term,
        template=template,
        proposals=proposals,
        form_fields=form_fields,
        left_out=left_out,
        waitlist_count=len(entries),
        submitted=submitted,
        submitted_number=submitted_number,
        orphan=orphan,
        age_on=age_on,
    ), (400 if submitted is not None else 200)


# --- Course templates ---------------------------------------------------------------------------


@bp.route("/templates")
@roles_required(COORDINATOR)
def templates() -> str:
    user = acting_user()
    page = paginate(
        db.session, templates_page_query(user.district_id), request.args.get("page", 1, type=int)
    )
    return render_template("groups/templates.html", page=page)


TEMPLATE_OPTIONS = [selectinload(CourseTemplate.sessions)]


@bp.route("/templates/<int:template_id>")
@roles_required(COORDINATOR)
def template_detail(template_id: int) -> str:
    user = acting_user()
    template = get_or_404(CourseTemplate, template_id, can_view_template, TEMPLATE_OPTIONS)
    return render_template(
        "groups/template_detail.html",
        template=template,
        can_edit=can_edit_template(user, template),
        weekdays=WEEKDAYS,
        session_form=TemplateSessionForm(formdata=None),
    )


@bp.route("/templates/<int:template_id>/copy", methods=["POST"])
@roles_required(COORDINATOR)
def copy_template(template_id: int) -> ResponseReturnValue:
    user = acting_user()
    template = get_or_404(CourseTemplate, template_id, can_view_template, TEMPLATE_OPTIONS)
    copy = copy_course_template(db.session, actor=user, template=template)
    db.session.commit()
    flash(_("The copy is made. You can now edit it."), "success")
    return redirect(url_for("groups.template_detail", template_id=copy.id))


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@roles_required(COORDINATOR)
def edit_template(template_id: int) -> ResponseReturnValue:
    user = acting_user()
    template = get_or_404(CourseTemplate, template_id, can_edit_template, TEMPLATE_OPTIONS)
    form = TemplateForm(obj=template)
    if form.validate_on_submit():
        pattern = TemplatePattern(
            name=form.name.data,
            description=form.description.data or "",
            physical_weekday=form.physical_weekday.data,
            second_physical_weekday=form.second_physical_weekday.data,
            physical_time=form.physical_time.data,
            digital_weekday=form.digital_weekday.data,
            digital_time=form.digital_time.data,
            guardian_weekday=form.guardian_weekday.data,
            guardian_time=form.guardian_time.data,
        )
        try:
            update_course_template(db.session, actor=user, template=template, pattern=pattern)
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("The course template is saved."), "success")
            return redirect(url_for("groups.template_detail", template_id=template.id))
    status = 400 if request.method == "POST" else 200
    return render_template("groups/template_form.html", form=form, template=template), status


def _session_details(form: TemplateSessionForm) -> TemplateSessionDetails:
    return TemplateSessionDetails(
        title=form.title.data,
        theme=form.theme.data or "",
        mode=SessionMode(form.mode.data),
        duration_minutes=form.duration_minutes.data or 0,
        guardians_attend=bool(form.guardians_attend.data),
    )


@bp.route("/templates/<int:template_id>/sessions/new", methods=["GET", "POST"])
@roles_required(COORDINATOR)
def add_template_session_view(template_id: int) -> ResponseReturnValue:
    user = acting_user()
    template = get_or_404(CourseTemplate, template_id, can_edit_template, TEMPLATE_OPTIONS)
    form = TemplateSessionForm()
    if form.validate_on_submit():
        add_template_session(
            db.session, actor=user, template=template, details=_session_details(form)
        )
        db.session.commit()
        flash(_("The session is added at the end."), "success")
        return redirect(url_for("groups.template_detail", template_id=template.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "groups/template_session_form.html", form=form, template=template, session=None
    ), status


_TEMPLATE_SESSION_OPTIONS = (
    joinedload(TemplateSession.template).selectinload(CourseTemplate.sessions),
)


def _template_session(template_id: int, session_id: int) -> TemplateSession:
    session = get_or_404(
        TemplateSession,
        session_id,
        can_edit_template_session,
        options=_TEMPLATE_SESSION_OPTIONS,
    )
    if session.template_id != template_id:
        abort(404)
    return session


@bp.route("/templates/<int:template_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(COORDINATOR)
def edit_template_session(template_id: int, session_id: int) -> ResponseReturnValue:
    user = acting_user()
    session = _template_session(template_id, session_id)
    form = TemplateSessionForm(obj=session)
    if request.method == "GET":
        form.mode.data = session.mode.value
    if form.validate_on_submit():
        update_template_session(
            db.session, actor=user, session=session, details=_session_details(form)
        )
        db.session.commit()
        flash(_("The session is saved."), "success")
        return redirect(url_for("groups.template_detail", template_id=template_id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "groups/template_session_form.html",
        form=form,
        template=session.template,
        session=session,
    ), status


@bp.route("/templates/<int:template_id>/sessions/<int:session_id>/move", methods=["POST"])
@roles_required(COORDINATOR)
def move_template_session_view(template_id: int, session_id: int) -> ResponseReturnValue:
    user = acting_user()
    session = _template_session(template_id, session_id)
    form = MoveForm()
    if form.validate_on_submit():
        move_template_session(
            db.session, actor=user, session=session, up=form.direction.data == "up"
        )
        db.session.commit()
    else:
        flash(_("The session could not be moved. Please try again."), "error")
    return redirect(url_for("groups.template_detail", template_id=template_id))


@bp.route("/templates/<int:template_id>/sessions/<int:session_id>/delete", methods=["POST"])
@roles_required(COORDINATOR)
def delete_template_session_view(template_id: int, session_id: int) -> ResponseReturnValue:
    user = acting_user()
    session = _template_session(template_id, session_id)
    try:
        delete_template_session(db.session, actor=user, session=session)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("The session is deleted."), "success")
    return redirect(url_for("groups.template_detail", template_id=template_id))


# --- Keep-apart pairs ---------------------------------------------------------------------------


@bp.route("/keep-apart", methods=["GET", "POST"])
@roles_required(COORDINATOR)
def keep_apart() -> ResponseReturnValue:
    user = acting_user()
    options = pupils_for_keep_apart(db.session, user.district_id)
    pupils = {referral.pupil_id: referral.pupil for referral in options}
    form = KeepApartForm(
        pupils=[
            (
                pupil.id,
                _("%(name)s (%(school)s)", name=pupil.full_name, school=pupil.school.name),
            )
            for pupil in pupils.values()
        ]
    )
    if form.validate_on_submit():
        try:
            pair = record_keep_apart(
                db.session,
                actor=user,
                first=pupils[form.first.data],
                second=pupils[form.second.data],
                note=form.note.data or "",
                now=now_utc(),
            )
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            audit_request(
                "record_keep_apart",
                object_type="keep_apart_pair",
                object_id=pair.id,
                details={"pupils": [pair.pupil_a_id, pair.pupil_b_id]},
            )
            db.session.commit()
            flash(_("The pair is recorded."), "success")
            return redirect(url_for("groups.keep_apart"))
    page = paginate(
        db.session, keep_apart_page_query(user.district_id), request.args.get("page", 1, type=int)
    )
    status = 400 if request.method == "POST" else 200
    return render_template("groups/keep_apart.html", form=form, page=page), status


@bp.route("/keep-apart/<int:pair_id>/delete", methods=["POST"])
@roles_required(COORDINATOR)
def delete_keep_apart_view(pair_id: int) -> ResponseReturnValue:
    user = acting_user()
    pair = get_or_404(KeepApartPair, pair_id, can_manage_keep_apart)
    delete_keep_apart(db.session, actor=user, pair=pair)
    audit_request("delete_keep_apart", object_type="keep_apart_pair", object_id=pair_id)
    db.session.commit()
    flash(_("The pair is deleted."), "success")
    return redirect(url_for("groups.keep_apart"))
