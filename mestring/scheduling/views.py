"""Sessions, a group's plan, calendars, calendar feeds and the closed periods of districts."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import NotFound

from mestring.accounts.enums import Role
from mestring.accounts.models import District, User
from mestring.core.access import acting_user, get_or_404, public, roles_required
from mestring.core.errors import DomainError
from mestring.core.time import now_utc, oslo_to_utc, to_oslo, today_oslo
from mestring.core.translations import gettext as _
from mestring.extensions import db, limiter
from mestring.groups.enums import SessionMode
from mestring.groups.models import FacilitatorAssignment, Group, Venue
from mestring.scheduling import calendar as cal
from mestring.scheduling.calendar_events import feed_events, group_plan_events
from mestring.scheduling.calendar_markup import entries_writer
from mestring.scheduling.conflicts import (
    SchedulingConflict,
    conflicts_by_session,
    find_conflicts,
)
from mestring.scheduling.enums import ClosedPeriodKind, SessionStatus
from mestring.scheduling.forms import (
    CalendarFilterForm,
    CancelSessionForm,
    ClosedPeriodForm,
    GeneratePlanForm,
    SessionForm,
    SubstituteForm,
    VersionForm,
)
from mestring.scheduling.ical import SessionEvent, calendar_ics
from mestring.scheduling.models import ClosedPeriod, Session, SessionChange, SessionSubstitute
from mestring.scheduling.permissions import (
    can_change_session,
    can_change_sessions_of,
    can_generate_plan,
    can_have_feed,
    can_manage_closed_period,
    can_read_session_note,
    can_set_substitute,
    can_view_plan,
    can_view_session,
)
from mestring.scheduling.planning import generate_plan, plan_rows, plan_sessions
from mestring.scheduling.queries import (
    calendar_sessions,
    district_filter_choices,
)
from mestring.scheduling.services import (
    cancel_session,
    delete_closed_period,
    new_feed_token,
    reschedule_session,
    revoke_feed_token,
    save_closed_period,
    user_by_feed_token,
)
from mestring.scheduling.substitutes import remove_substitute, set_substitute

bp = Blueprint("scheduling", __name__)

UID_DOMAIN = "mestring.oslo.kommune.no"
# How far back a personal feed reaches; calendars keep what they have already fetched.
FEED_HISTORY = timedelta(days=180)
COORDINATOR_OR_FACILITATOR = (Role.COORDINATOR, Role.FACILITATOR)

SESSION_OPTIONS = [
    joinedload(Session.group)
    .selectinload(Group.facilitators)
    .joinedload(FacilitatorAssignment.user),
    joinedload(Session.venue),
    selectinload(Session.substitutes).joinedload(SessionSubstitute.substitute),
]


def ics_response(body: bytes, filename: str) -> Response:
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def uid_domain() -> str:
    return str(current_app.config.get("ICAL_UID_DOMAIN", UID_DOMAIN))


# --- Sessions -------------------------------------------------------------------------------


DETAIL_OPTIONS = [*SESSION_OPTIONS, selectinload(Session.changes).joinedload(SessionChange.actor)]


def substitute_form(session: Session, **kwargs: object) -> SubstituteForm:
    """Assigned facilitators without a substitute, and the district's other facilitators."""
    replaced = {s.replaced_id for s in session.substitutes}
    leading = {a.user_id for a in session.group.facilitators} | {
        s.substitute_id for s in session.substitutes
    }
    assigned = [a.user for a in session.group.facilitators if a.user_id not in replaced]
    # The candidates are read as (id, name) rows: the form shows only their names.
    candidates = db.session.execute(
        sa.select(User.id, User.name)
        .where(
            User.role == Role.FACILITATOR,
            User.district_id == session.group.district_id,
            User.active,
            User.id.not_in(leading),
        )
        .order_by(User.name)
    )
    return SubstituteForm(
        assigned=assigned, candidates=[(ident, name) for ident, name in candidates], **kwargs
    )


def render_session(
    session: Session,
    *,
    form: SubstituteForm | None = None,
    new_conflicts: list[object] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    user = acting_user()
    may_substitute = can_set_substitute(user, session) and session.status is SessionStatus.PLANNED
    if may_substitute and form is None:
        form = substitute_form(session, formdata=None, data={"version": str(session.version_id)})
    return render_template(
        "scheduling/session.html",
        session=session,
        conflicts=find_conflicts(db.session, session),
        can_change=can_change_session(user, session),
        can_read_note=can_read_session_note(user, session),
        substitute_form=form if may_substitute else None,
        new_conflicts=new_conflicts or [],
    ), status


@bp.route("/sessions/<int:session_id>")
@roles_required(*COORDINATOR_OR_FACILITATOR)
def session_detail(session_id: int) -> ResponseReturnValue:
    session = get_or_404(Session, session_id, can_view_session, options=DETAIL_OPTIONS)
    return render_session(session)


@bp.route("/sessions/<int:session_id>/substitutes", methods=["POST"])
@roles_required(Role.COORDINATOR)
def substitute_set(session_id: int) -> ResponseReturnValue:
    session = get_or_404(Session, session_id, can_set_substitute, options=DETAIL_OPTIONS)
    form = substitute_form(session)
    if not form.validate_on_submit():
        return render_session(session, form=form, status=400)
    replaced = db.session.get(User, form.replaced.data)
    substitute = db.session.get(User, form.substitute.data)
    if replaced is None or substitute is None:
        abort(404)
    try:
        set_substitute(
            db.session,
            actor=acting_user(),
            session=session,
            version=int(form.version.data),
            replaced=replaced,
            substitute=substitute,
            accept_conflicts=form.accept_conflicts.data,
            now=now_utc(),
        )
    except SchedulingConflict as error:
        db.session.rollback()
        session = get_or_404(Session, session_id, can_set_substitute, options=DETAIL_OPTIONS)
        return render_session(session, form=form, new_conflicts=list(error.conflicts), status=409)
    except DomainError as error:
        db.session.rollback()
        session = get_or_404(Session, session_id, can_set_substitute, options=DETAIL_OPTIONS)
        form.form_errors.append(str(error))
        return render_session(session, form=form, status=409)
    db.session.commit()
    flash(
        _(
            "%(substitute)s leads the session in place of %(replaced)s.",
            substitute=substitute.name,
            replaced=replaced.name,
        ),
        "success",
    )
    return redirect(url_for("scheduling.session_detail", session_id=session.id))


@bp.route("/sessions/<int:session_id>/substitutes/<int:substitute_id>/remove", methods=["POST"])
@roles_required(Role.COORDINATOR)
def substitute_remove(session_id: int, substitute_id: int) -> ResponseReturnValue:
    session = get_or_404(Session, session_id, can_set_substitute, options=DETAIL_OPTIONS)
    row = next((s for s in session.substitutes if s.id == substitute_id), None)
    if row is None:
        abort(404)
    form = VersionForm()
    if not form.validate_on_submit():
        flash(_("The substitute could not be removed. Please try again."), "error")
        return redirect(url_for("scheduling.session_detail", session_id=session.id))
    try:
        remove_substitute(
            db.session,
            actor=acting_user(),
            session=session,
            version=int(form.version.data),
            row=row,
            now=now_utc(),
        )
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("The substitute is removed."), "success")
    return redirect(url_for("scheduling.session_detail", session_id=session.id))


def district_venues(district_id: int) -> list[Venue]:
    return list(
        db.session.scalars(
            sa.select(Venue).where(Venue.district_id == district_id).order_by(Venue.name)
        )
    )


def session_form_data(session: Session) -> dict[str, object]:
    return {
        "version": str(session.version_id),
        "day": to_oslo(session.starts_at).date(),
        "starts": to_oslo(session.starts_at).time(),
        "ends": to_oslo(session.ends_at).time(),
        "mode": session.mode.value,
        "venue": session.venue_id or 0,
        "video_link": session.video_link or session.group.video_link,
    }


def render_session_edit(
    session: Session,
    form: SessionForm,
    cancel_form: CancelSessionForm,
    conflicts: list[object],
    *,
    confirm: bool = False,
    status: int = 200,
) -> tuple[str, int]:
    return render_template(
        "scheduling/session_edit.html",
        session=session,
        form=form,
        cancel_form=cancel_form,
        conflicts=conflicts,
        confirm=confirm,
    ), status


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(*COORDINATOR_OR_FACILITATOR)
def session_edit(session_id: int) -> ResponseReturnValue:
    session = get_or_404(Session, session_id, can_change_session, options=SESSION_OPTIONS)
    venues = district_venues(session.group.district_id)
    initial = session_form_data(session)
    form = SessionForm(venues=venues, data=initial)
    cancel_form = CancelSessionForm(data={"version": initial["version"]}, formdata=None)
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_session_edit(
            session, form, cancel_form, list(find_conflicts(db.session, session)), status=status
        )
    starts_at = oslo_to_utc(form.day.data, form.starts.data)
    ends_at = oslo_to_utc(form.day.data, form.ends.data)
    venue = next((v for v in venues if v.id == form.venue.data), None)
    try:
        change = reschedule_session(
            db.session,
            actor=acting_user(),
            session=session,
            version=int(form.version.data),
            starts_at=starts_at,
            ends_at=ends_at,
            mode=SessionMode(form.mode.data),
            venue=venue,
            video_link=form.video_link.data or "",
            accept_conflicts=form.accept_conflicts.data,
            now=now_utc(),
        )
    except SchedulingConflict as error:
        db.session.rollback()
        return render_session_edit(
            session, form, cancel_form, list(error.conflicts), confirm=True, status=409
        )
    except DomainError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return render_session_edit(session, form, cancel_form, [], status=409)
    db.session.commit()
    flash(_("The session has been changed.") if change else _("Nothing was changed."), "success")
    return redirect(url_for("scheduling.session_detail", session_id=session.id))


@bp.route("/sessions/<int:session_id>/cancel", methods=["POST"])
@roles_required(*COORDINATOR_OR_FACILITATOR)
def session_cancel(session_id: int) -> ResponseReturnValue:
    session = get_or_404(Session, session_id, can_change_session, options=SESSION_OPTIONS)
    cancel_form = CancelSessionForm()
    form = SessionForm(
        venues=district_venues(session.group.district_id),
        data=session_form_data(session),
        formdata=None,
    )
    if cancel_form.validate_on_submit():
        try:
            cancel_session(
                db.session,
                actor=acting_user(),
                session=session,
                version=int(cancel_form.version.data),
                reason=cancel_form.reason.data,
                now=now_utc(),
            )
        except DomainError as error:
            db.session.rollback()
            cancel_form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The session has been cancelled."), "success")
            return redirect(url_for("scheduling.session_detail", session_id=session.id))
    return render_session_edit(session, form, cancel_form, [], status=400)


@bp.route("/sessions/<int:session_id>.ics")
@roles_required(*COORDINATOR_OR_FACILITATOR)
def session_ics(session_id: int) -> Response:
    session = get_or_404(Session, session_id, can_view_session, options=SESSION_OPTIONS)
    body = calendar_ics(
        [SessionEvent.of(session)], name=session.group.name, domain=uid_domain(), stamp=now_utc()
    )
    return ics_response(body, f"samling-{session.id}.ics")


# --- A group's plan -------------------------------------------------------------------------

# What the plan shows of the group: its course template's name. The facilitators are the plan's
# conflict checks' (and a facilitator's access check's): two or three, joined to the group's row
# rather than read in a statement of their own.
PLAN_GROUP_OPTIONS = [joinedload(Group.template), joinedload(Group.facilitators)]


def render_plan(group: Group, form: GeneratePlanForm, status: int = 200) -> tuple[str, int]:
    user = acting_user()
    sessions = plan_sessions(db.session, group)
    conflicts = conflicts_by_session(db.session, [s.proposal for s in sessions])
    rows = list(zip(sessions, conflicts, strict=True))
    return render_template(
        "scheduling/plan.html",
        group=group,
        rows=rows,
        table_rows=plan_rows(rows, can_change=can_change_sessions_of(user, group)),
        form=form,
        can_generate=can_generate_plan(user, group),
    ), status


@bp.route("/groups/<int:group_id>/plan")
@roles_required(*COORDINATOR_OR_FACILITATOR)
def group_plan(group_id: int) -> ResponseReturnValue:
    group = get_or_404(Group, group_id, can_view_plan, options=PLAN_GROUP_OPTIONS)
    start = group.starts_on or today_oslo()
    return render_plan(group, GeneratePlanForm(data={"start": start}))


# Generating lays the sessions out in the group's room.
_GENERATE_OPTIONS = (*PLAN_GROUP_OPTIONS, joinedload(Group.venue), selectinload(Group.sessions))


@bp.route("/groups/<int:group_id>/plan/generate", methods=["POST"])
@roles_required(Role.COORDINATOR)
def generate_group_plan(group_id: int) -> ResponseReturnValue:
    group = get_or_404(
        Group,
        group_id,
        can_generate_plan,
        options=_GENERATE_OPTIONS,
    )
    form = GeneratePlanForm()
    if form.validate_on_submit():
        try:
            created = generate_plan(
                db.session, actor=acting_user(), group=group, start=form.start.data, now=now_utc()
            )
        except DomainError as error:
            db.session.rollback()
            form.start.errors = [*form.start.errors, str(error)]
        else:
            db.session.commit()
            flash(_("The plan has %(n)s new sessions.", n=len(created)), "success")
            return redirect(url_for("scheduling.group_plan", group_id=group.id))
    return render_plan(group, form, status=400)


@bp.route("/groups/<int:group_id>/plan.ics")
@roles_required(*COORDINATOR_OR_FACILITATOR)
def group_plan_ics(group_id: int) -> Response:
    group = get_or_404(Group, group_id, can_view_plan)
    events = group_plan_events(db.session, group.id)
    body = calendar_ics(events, name=group.name, domain=uid_domain(), stamp=now_utc())
    return ics_response(body, f"plan-gruppe-{group.id}.ics")


# --- Calendars ------------------------------------------------------------------------------


def calendar_filters(user: User) -> tuple[CalendarFilterForm | None, int | None, int | None]:
    """The coordinator's group and facilitator filters; values outside the district are ignored.

    Groups and facilitators are read as (id, name) rows: the filter shows only their names."""
    if user.role is not Role.COORDINATOR:
        return None, None, None
    groups, facilitators = district_filter_choices(db.session, user.district_id)
    form = CalendarFilterForm(request.args, groups=groups, facilitators=facilitators)
    # Both filters are optional: with neither given, validation has nothing to find, and
    # would only walk every choice and load WTForms' messages to say so.
    if any(field.raw_data for field in form):
        form.validate()
    group_id = next((ident for ident, _name in groups if ident == form.group.data), None)
    facilitator_id = next(
        (ident for ident, _name in facilitators if ident == form.facilitator.data), None
    )
    return form, group_id, facilitator_id


def filter_args(form: CalendarFilterForm | None) -> dict[str, int]:
    if form is None:
        return {}
    return {
        name: value
        for name, value in (("group", form.group.data), ("facilitator", form.facilitator.data))
        if isinstance(value, int) and value
    }


@bp.route("/calendar/week")
@roles_required(*COORDINATOR_OR_FACILITATOR)
def calendar_week() -> str:
    user = acting_user()
    monday = cal.parse_week(request.args.get("week"), today_oslo())
    form, group_id, facilitator_id = calendar_filters(user)
    start, end = cal.utc_range(monday, monday + timedelta(days=6))
    # Fetched all at once: cheaper than row by row.
    sessions = db.session.execute(
        *calendar_sessions(user, start, end, group_id=group_id, facilitator_id=facilitator_id)
    ).all()
    return render_template(
        "scheduling/calendar_week.html",
        monday=monday,
        days=cal.week_days(monday, sessions),
        week=cal.week_param(monday),
        previous=cal.week_param(monday - timedelta(days=7)),
        following=cal.week_param(monday + timedelta(days=7)),
        month=cal.month_param(monday.replace(day=1)),
        form=form,
        args=filter_args(form),
        entries=entries_writer(),
    )


@bp.route("/calendar/month")
@roles_required(*COORDINATOR_OR_FACILITATOR)
def calendar_month() -> str:
    user = acting_user()
    first = cal.parse_month(request.args.get("month"), today_oslo())
    form, group_id, facilitator_id = calendar_filters(user)
    start, end = cal.utc_range(*cal.month_grid_range(first))
    # Fetched all at once: cheaper than row by row.
    sessions = db.session.execute(
        *calendar_sessions(user, start, end, group_id=group_id, facilitator_id=facilitator_id)
    ).all()
    return render_template(
        "scheduling/calendar_month.html",
        first=first,
        weeks=cal.month_weeks(first, sessions),
        previous=cal.month_param(cal.add_months(first, -1)),
        following=cal.month_param(cal.add_months(first, 1)),
        week=cal.week_param(first),
        form=form,
        args=filter_args(form),
        entries=entries_writer(),
    )


@bp.route("/calendar/feed/<token>.ics")
@public
@limiter.limit("60 per minute")
def calendar_feed(token: str) -> Response:
    """A personal feed; the secret token is its only key, so any wrong token is 404."""
    user = user_by_feed_token(db.session, token)
    if user is None or not can_have_feed(user):
        raise NotFound()
    now = now_utc()
    events = feed_events(db.session, user, now - FEED_HISTORY)
    ics = calendar_ics(events, name=f"Mestring – {user.name}", domain=uid_domain(), stamp=now)
    return Response(ics, mimetype="text/calendar")


@bp.route("/calendar/feed-link", methods=["POST"])
@roles_required(*COORDINATOR_OR_FACILITATOR)
def feed_link() -> str:
    """Make a new feed link and show it once: only its hash is kept."""
    user = acting_user()
    token = new_feed_token(db.session, user=user)
    db.session.commit()
    feed_url = url_for("scheduling.calendar_feed", token=token, _external=True)
    return render_template("scheduling/feed_link.html", feed_url=feed_url)


@bp.route("/calendar/feed-link/revoke", methods=["POST"])
@roles_required(*COORDINATOR_OR_FACILITATOR)
def feed_link_revoke() -> ResponseReturnValue:
    revoke_feed_token(db.session, user=acting_user())
    db.session.commit()
    flash(_("The calendar link no longer works."), "success")
    return redirect(url_for("accounts.account"))


# --- Closed periods -------------------------------------------------------------------------


def admin_districts(user: User) -> list[District]:
    stmt = sa.select(District).order_by(District.name)
    if user.district_id is not None:
        stmt = stmt.where(District.id == user.district_id)
    return list(db.session.scalars(stmt))


@bp.route("/closed-periods/")
@roles_required(Role.ADMIN)
def closed_periods() -> str:
    districts = admin_districts(acting_user())
    periods = db.session.scalars(
        sa.select(ClosedPeriod)
        .where(ClosedPeriod.district_id.in_([d.id for d in districts]))
        .order_by(ClosedPeriod.district_id, ClosedPeriod.starts_on)
    )
    names = {d.id: d.name for d in districts}
    return render_template("scheduling/closed_periods.html", periods=list(periods), names=names)


def save_period_from(form: ClosedPeriodForm, period: ClosedPeriod) -> ResponseReturnValue | None:
    try:
        save_closed_period(
            db.session,
            period=period,
            district_id=form.district.data,
            kind=ClosedPeriodKind(form.kind.data),
            name=form.name.data,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
        )
    except DomainError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return None
    db.session.commit()
    flash(_("The closed period has been saved."), "success")
    return redirect(url_for("scheduling.closed_periods"))


@bp.route("/closed-periods/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def closed_period_new() -> ResponseReturnValue:
    form = ClosedPeriodForm(districts=admin_districts(acting_user()))
    if form.validate_on_submit():
        done = save_period_from(form, ClosedPeriod())
        if done is not None:
            return done
    status = 400 if form.is_submitted() else 200
    return render_template("scheduling/closed_period_form.html", form=form, period=None), status


@bp.route("/closed-periods/<int:period_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def closed_period_edit(period_id: int) -> ResponseReturnValue:
    period = get_or_404(ClosedPeriod, period_id, can_manage_closed_period)
    form = ClosedPeriodForm(
        districts=admin_districts(acting_user()),
        data={
            "district": period.district_id,
            "kind": period.kind.value,
            "name": period.name,
            "starts_on": period.starts_on,
            "ends_on": period.ends_on,
        },
    )
    if form.validate_on_submit():
        done = save_period_from(form, period)
        if done is not None:
            return done
    status = 400 if form.is_submitted() else 200
    return render_template("scheduling/closed_period_form.html", form=form, period=period), status


@bp.route("/closed-periods/<int:period_id>/delete", methods=["POST"])
@roles_required(Role.ADMIN)
def closed_period_delete(period_id: int) -> ResponseReturnValue:
    period = get_or_404(ClosedPeriod, period_id, can_manage_closed_period)
    delete_closed_period(db.session, period=period)
    db.session.commit()
    flash(_("The closed period has been deleted."), "success")
    return redirect(url_for("scheduling.closed_periods"))
