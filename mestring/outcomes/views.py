"""Absence entry and import, outstanding measurements, the outcome dashboard and its exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from mestring.accounts.enums import Role
from mestring.accounts.models import School, User
from mestring.audit.web import audit_request
from mestring.core.access import acting_user, get_or_404, roles_required
from mestring.core.errors import DomainError
from mestring.core.fragments import url_pattern
from mestring.core.pagination import Page
from mestring.core.time import now_utc, today_oslo
from mestring.core.translations import gettext as _
from mestring.extensions import db
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.exports import ExportMeta, export_tables, table_visible, to_csv, to_xlsx
from mestring.outcomes.forms import AbsenceForm, ConfirmImportForm, ImportForm
from mestring.outcomes.freshness import FiguresCache
from mestring.outcomes.importing import (
    HEADER,
    SAMPLE_CSV,
    ImportPreview,
    ImportRefused,
    check_rows,
    commit_rows,
    load_rows,
    preview_file,
    sign_rows,
)
from mestring.outcomes.measures import (
    Dimension,
    OutcomeFilters,
    Outcomes,
    outcomes,
    placed_memberships,
    placed_pupils_page,
)
from mestring.outcomes.permissions import (
    can_enter_absence,
    can_import_absence,
    sees_pupils,
    suppresses_small_numbers,
)
from mestring.outcomes.queries import (
    FilterChoices,
    district_schools,
    filter_choices,
    measurements_of,
    outstanding_measurements,
    outstanding_per_school,
)
from mestring.outcomes.services import record_for, save_absence_record
from mestring.outcomes.suppression import MIN_PUPILS, WITHHELD, ShownRow, shown_rows
from mestring.outcomes.tables import (
    DIMENSION_COLUMN,
    DIMENSION_TITLES,
    TABLES,
    TableSpec,
    chart_rows,
    figure_rows,
    pupil_rows,
)
from mestring.referrals.models import Pupil

bp = Blueprint("outcomes", __name__, url_prefix="/outcomes")
bp.add_app_template_global(figure_rows, "outcome_figure_rows")
bp.add_app_template_global(chart_rows, "outcome_chart_rows")

ENTERING = (Role.SCHOOL, Role.COORDINATOR)
VIEWING = (Role.COORDINATOR, Role.ANALYST)


def _district_id(user: User) -> int:
    if user.district_id is None:
        abort(404)
    return user.district_id


# -- Dashboard -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    values: OutcomeFilters
    choices: FilterChoices
    # The chosen term, school and group as their choices' tuples (id, name, ...), or None.
    chosen: tuple[Any, Any, Any]
    args: dict[str, str]

    @property
    def description(self) -> str:
        """The filters in words, for the exports."""
        every = _("all")
        labels = (_("Term"), _("School"), _("Group"))
        return "; ".join(
            f"{label}: {chosen[1] if chosen else every}"
            for label, chosen in zip(labels, self.chosen, strict=True)
        )

    @property
    def options(self) -> list[tuple[str, str, str, list[tuple[int, str]]]]:
        """Each filter's name, label, label of no choice, and choices (for the form, which is
        cached: made only when it is rendered)."""
        groups = [(id_, f"{name} ({term})") for id_, name, term in self.choices.groups]
        return [
            ("term", _("Term"), _("All terms"), self.choices.terms),
            ("school", _("School"), _("All schools"), self.choices.schools),
            ("group", _("Group"), _("All groups"), groups),
        ]


def _chosen(args: Any, name: str, items: list[Any]) -> Any:
    """The item whose id the request names under ``name``; None for none or one not offered."""
    value = args.get(name)
    if value is None:
        return None
    return next((item for item in items if str(item[0]) == value), None)


def _filters(cache: FiguresCache, district_id: int) -> Filters:
    """The filters the request chose among the district's terms, schools and groups (read
    from the cache with the figures, as they change only when the figures may)."""
    choices = cache.get(("filter-choices",), lambda: filter_choices(db.session, district_id))
    args = request.args
    term = _chosen(args, "term", choices.terms)
    school = _chosen(args, "school", choices.schools)
    group = _chosen(args, "group", choices.groups)
    return Filters(
        values=OutcomeFilters(
            term_id=term[0] if term else None,
            school_id=school[0] if school else None,
            group_id=group[0] if group else None,
        ),
        choices=choices,
        chosen=(term, school, group),
        args={
            name: str(item[0])
            for name, item in (("term", term), ("school", school), ("group", group))
            if item
        },
    )


def _figures_cache(user: User) -> FiguresCache:
    return FiguresCache(db.session, district_id=_district_id(user), now=now_utc())


@dataclass(frozen=True)
class ShownTable:
    dimension: Dimension
    heading: str
    spec: TableSpec
    title: str
    first_column: str
    rows: list[ShownRow]


def _shown_tables(figures: Outcomes, *, suppress: bool) -> list[ShownTable]:
    tables = []
    for dimension, rows in figures.tables():
        shown = shown_rows(rows, suppress=suppress)
        for row in shown:
            row.label = row.label or str(DIMENSION_TITLES[dimension])
        for spec in TABLES:
            if rows and table_visible(spec, shown):
                tables.append(
                    ShownTable(
                        dimension,
                        str(DIMENSION_TITLES[dimension]),
                        spec,
                        f"{DIMENSION_TITLES[dimension]}: {spec.title}",
                        str(DIMENSION_COLUMN[dimension]),
                        shown,
                    )
                )
    return tables


def _chart_value(value: Any) -> float | None:
    return None if value is WITHHELD or value is None else round(float(value), 1)


def _charts(tables: list[ShownTable]) -> list[dict[str, Any]]:
    """The charts' data (withheld figures become gaps); each is drawn beside its own table."""
    by = {(t.dimension, t.spec.key): t.rows for t in tables}
    charts = []

    def chart(
        key: str,
        title: str,
        dimension: Dimension,
        rows: list[ShownRow],
        series: list[tuple[str, str]],
    ) -> None:
        if not rows:
            return
        charts.append(
            {
                "id": f"chart-{key}",
                "title": title,
                "label_column": str(DIMENSION_COLUMN[dimension]),
                "unit": _("days") if key == "waiting" else "%",
                "labels": [row.label for row in rows],
                "series": [
                    {"label": label, "values": [_chart_value(row[name]) for row in rows]}
                    for name, label in series
                ],
                "withheld": [[row[name] is WITHHELD for name, _label in series] for row in rows],
            }
        )

    before_after = [("before_mean", _("Mean before")), ("after_mean", _("Mean after"))]
    chart(
        "group",
        _("Day absence before and after, per group (%)"),
        Dimension.GROUP,
        by.get((Dimension.GROUP, "absence"), []),
        before_after,
    )
    chart(
        "term",
        _("Day absence before and after, per term (%)"),
        Dimension.TERM,
        by.get((Dimension.TERM, "absence"), []),
        before_after,
    )
    chart(
        "worrying",
        _("Share at or above 10 % absence, before and after, per term (%)"),
        Dimension.TERM,
        by.get((Dimension.TERM, "absence"), []),
        [
            ("share_worrying_before", _("Before")),
            ("share_worrying_after", _("After")),
        ],
    )
    chart(
        "waiting",
        _("Median wait from submission to first session, per term (days)"),
        Dimension.TERM,
        by.get((Dimension.TERM, "participation"), []),
        [("waiting_median_days", _("Median wait (days)"))],
    )
    return charts


def _dashboard(user: User, filters: Filters) -> Outcomes:
    return outcomes(
        db.session,
        district_id=_district_id(user),
        filters=filters.values,
        now=now_utc(),
        programme_label=_("The whole programme"),
    )


def _figures_html(user: User, cache: FiguresCache, filters: Filters, suppress: bool) -> Markup:
    """The dashboard's charts and tables, from the cache while the data is unchanged."""

    def context() -> dict[str, Any]:
        tables = _shown_tables(_dashboard(user, filters), suppress=suppress)
        return {"outcome_tables": tables, "charts": _charts(tables), "min_pupils": MIN_PUPILS}

    chosen = filters.values
    return cache.fragment(
        "outcomes/_figures.html",
        (suppress, chosen.term_id, chosen.school_id, chosen.group_id),
        context,
    )


def _filters_html(cache: FiguresCache, filters: Filters) -> Markup:
    """The filter form, from the cache: its choices change only when the figures may."""
    chosen = filters.values
    return cache.fragment(
        "outcomes/_filters.html",
        (chosen.term_id, chosen.school_id, chosen.group_id),
        lambda: {"filters": filters},
    )


def _pupils(user: User, cache: FiguresCache, filters: Filters) -> tuple[Page[Any], list[list[Any]]]:
    """The page of placed pupils the request asks for, and its table's cells. Which they are,
    in order, is cached with the figures (as membership ids): it changes only when they may."""
    district_id, chosen = _district_id(user), filters.values
    memberships = cache.get(
        ("placed-pupils", chosen.term_id, chosen.school_id, chosen.group_id),
        lambda: placed_memberships(db.session, district_id, chosen),
    )
    number = request.args.get("page", 1, type=int)
    page = placed_pupils_page(db.session, memberships, number)
    return page, pupil_rows(page.items, url_pattern("pupils.detail", "pupil_id"))


@bp.route("/")
@roles_required(*VIEWING)
def index() -> str:
    user = acting_user()
    cache = _figures_cache(user)
    filters = _filters(cache, _district_id(user))
    suppress = suppresses_small_numbers(user)
    figures = _figures_html(user, cache, filters, suppress)
    pupils: Page[Any] | None = None
    rows: list[list[Any]] = []
    if sees_pupils(user):
        pupils, rows = _pupils(user, cache, filters)
        audit_request("view_pupil_outcomes", object_type="outcomes", details=filters.args)
    # Rendered before the commit, so that the page does not reload what the commit expires.
    body = render_template(
        "outcomes/index.html",
        filters=filters,
        filters_form=_filters_html(cache, filters),
        figures=figures,
        pupils=pupils,
        pupil_rows=rows,
        suppress=suppress,
        min_pupils=MIN_PUPILS,
    )
    db.session.commit()
    return body


def _export_meta(user: User, filters: Filters) -> ExportMeta:
    district = user.district.name if user.district else ""
    return ExportMeta(district=district, filters=filters.description, made_at=now_utc())


def _download(body: bytes | str, mimetype: str, extension: str) -> Response:
    stamp = today_oslo().isoformat()
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="mestring-outcomes-{stamp}.{extension}"'
        },
    )


@bp.route("/export.csv")
@roles_required(*VIEWING)
def export_csv() -> Response:
    user = acting_user()
    filters = _filters(_figures_cache(user), _district_id(user))
    tables = export_tables(_dashboard(user, filters))
    audit_request(
        "export_outcomes", object_type="outcomes", details={"format": "csv", **filters.args}
    )
    body = to_csv(tables, _export_meta(user, filters))
    db.session.commit()
    return _download(body, "text/csv", "csv")


@bp.route("/export.xlsx")
@roles_required(*VIEWING)
def export_xlsx() -> Response:
    user = acting_user()
    filters = _filters(_figures_cache(user), _district_id(user))
    tables = export_tables(_dashboard(user, filters))
    audit_request(
        "export_outcomes", object_type="outcomes", details={"format": "xlsx", **filters.args}
    )
    body = to_xlsx(tables, _export_meta(user, filters))
    db.session.commit()
    return _download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )


# -- Outstanding measurements ----------------------------------------------------------------


@bp.route("/measurements")
@roles_required(*ENTERING)
def outstanding() -> str:
    """Due and missing periods: a school's own pupils, or per school for the coordinator."""
    user = acting_user()
    district_id = _district_id(user)
    schools = district_schools(db.session, district_id) if user.role is Role.COORDINATOR else []
    school_id = user.school_id
    if user.role is Role.COORDINATOR:
        school_id = next((s.id for s in schools if str(s.id) == request.args.get("school")), None)
    items = outstanding_measurements(
        db.session, district_id=district_id, school_id=school_id, today=today_oslo()
    )
    per_page = 50
    number = max(1, request.args.get("page", 1, type=int))
    last = max(1, -(-len(items) // per_page))
    number = min(number, last)
    page = Page(
        items=items[(number - 1) * per_page : number * per_page],
        page=number,
        per_page=per_page,
        total=len(items),
    )
    return render_template(
        "outcomes/outstanding.html",
        page=page,
        per_school=outstanding_per_school(items),
        schools=schools,
        school_id=school_id,
        periods=list(PeriodKind),
    )


# -- Entry by form ---------------------------------------------------------------------------


_WITH_SCHOOL = (joinedload(Pupil.school),)


@bp.route("/pupils/<int:pupil_id>/absence/<period>", methods=["GET", "POST"])
@roles_required(*ENTERING)
def enter(pupil_id: int, period: str) -> ResponseReturnValue:
    user = acting_user()
    pupil = get_or_404(Pupil, pupil_id, can_enter_absence, options=_WITH_SCHOOL)
    if period not in set(PeriodKind):
        abort(404)
    kind = PeriodKind(period)
    placement, measurements = measurements_of(db.session, pupil, today_oslo())
    if placement is None:
        abort(404)
    measurement = next(m for m in measurements if m.period is kind)
    record = record_for(db.session, pupil.id, kind)
    form = AbsenceForm(data=AbsenceForm.initial(record, measurement.proposal))
    if form.validate_on_submit():
        try:
            saved = save_absence_record(
                db.session,
                actor=user,
                pupil=pupil,
                placement=placement,
                period=kind,
                data=form.absence_input(),
                version=form.expected_version,
                now=now_utc(),
            )
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            audit_request(
                "enter_absence",
                object_type="absence_record",
                object_id=saved.id,
                pupil_id=pupil.id,
                details={"period": kind.value},
            )
            db.session.commit()
            flash(_("The absence for the period is saved."), "success")
            return redirect(url_for("pupils.detail", pupil_id=pupil.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "outcomes/enter.html",
        form=form,
        pupil=pupil,
        placement=placement,
        measurement=measurement,
        record=record,
    ), status


# -- CSV import ------------------------------------------------------------------------------


def _import_schools(user: User) -> list[School] | None:
    """The schools a coordinator chooses from; None for a school user (their own school)."""
    if user.role is Role.SCHOOL:
        return None
    return district_schools(db.session, _district_id(user))


def _school_in_scope(user: User, school_id: Any) -> School:
    school = db.session.get(School, int(school_id)) if str(school_id).isdigit() else None
    if school is None or not can_import_absence(user, school):
        abort(404)
    return school


def _render_import(
    form: ImportForm,
    *,
    preview: ImportPreview | None = None,
    confirm: ConfirmImportForm | None = None,
    school: School | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    return render_template(
        "outcomes/import.html",
        form=form,
        preview=preview,
        confirm=confirm,
        school=school,
        header=",".join(HEADER),
        period_labels={kind: str(kind.label) for kind in PeriodKind},
    ), status


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*ENTERING)
def import_absence() -> ResponseReturnValue:
    """Upload: parse and check every row, and show the preview; nothing is written here."""
    user = acting_user()
    form = ImportForm(schools=_import_schools(user))
    if not form.validate_on_submit():
        return _render_import(form, status=400 if request.method == "POST" else 200)
    school = _school_in_scope(user, form.school.data if "school" in form else user.school_id)
    preview = preview_file(db.session, form.file.data.read(), school)
    confirm = None
    if preview.valid:
        confirm = ConfirmImportForm(
            formdata=None,
            school=school.id,
            token=sign_rows(
                preview, secret_key=current_app.config["SECRET_KEY"], user=user, school=school
            ),
        )
    audit_request(
        "preview_absence_import",
        object_type="school",
        object_id=school.id,
        details={"rows": len(preview.rows), "rows_with_errors": preview.error_count},
    )
    db.session.commit()
    return _render_import(
        form, preview=preview, confirm=confirm, school=school, status=200 if preview.valid else 400
    )


@bp.route("/import/confirm", methods=["POST"])
@roles_required(*ENTERING)
def confirm_import() -> ResponseReturnValue:
    """Write the previewed rows, all or none, after checking them against the database again."""
    user = acting_user()
    confirm = ConfirmImportForm()
    form = ImportForm(schools=_import_schools(user), formdata=None)
    if not confirm.validate_on_submit():
        abort(400)
    school = _school_in_scope(user, confirm.school.data)
    secret = current_app.config["SECRET_KEY"]
    preview: ImportPreview | None = None
    try:
        preview = load_rows(confirm.token.data or "", secret_key=secret, user=user, school=school)
        matched = check_rows(db.session, preview, school)
        created, updated = commit_rows(
            db.session,
            actor=user,
            preview=preview,
            matched=matched,
            overwrite=bool(confirm.overwrite.data),
            now=now_utc(),
        )
    except (ImportRefused, DomainError) as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        again = confirm if preview is not None and preview.valid else None
        return _render_import(form, preview=preview, confirm=again, school=school, status=400)
    audit_request(
        "import_absence",
        object_type="school",
        object_id=school.id,
        details={"created": created, "updated": updated},
    )
    db.session.commit()
    flash(
        _(
            "Imported: %(created)s new periods, %(updated)s updated.",
            created=created,
            updated=updated,
        ),
        "success",
    )
    return redirect(url_for("outcomes.outstanding"))


@bp.route("/import/sample.csv")
@roles_required(*ENTERING)
def import_sample() -> Response:
    return Response(
        SAMPLE_CSV,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="absence-import-sample.csv"'},
    )
