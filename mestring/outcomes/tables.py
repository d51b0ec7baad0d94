"""The dashboard's tables: which figures each shows, under which heading, in which unit.

The web page and the CSV/XLSX exports use the same tables, so they always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from markupsafe import Markup

from mestring.core import formatting, localized
from mestring.core.fragments import link
from mestring.core.translations import gettext as _
from mestring.core.translations import lazy_gettext as _l
from mestring.outcomes.measures import Dimension, PupilOutcome
from mestring.outcomes.suppression import ShownRow

Kind = Literal["count", "percent", "days", "points"]


@dataclass(frozen=True)
class Column:
    name: str
    label: Any
    kind: Kind


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: Any
    columns: tuple[Column, ...]
    # Shown only when some row has this count above zero (follow-up is optional).
    needs: str | None = None

    @property
    def figures(self) -> list[tuple[str, Kind]]:
        """Each column's figure and unit, for `figure_rows`."""
        return [(column.name, column.kind) for column in self.columns]


PARTICIPATION = TableSpec(
    "participation",
    _l("Participation"),
    (
        Column("referred", _l("Pupils referred"), "count"),
        Column("placed", _l("Pupils placed"), "count"),
        Column("completed", _l("Completed (≥ 75 % of sessions)"), "count"),
        Column("discontinued", _l("Discontinued"), "count"),
        Column(
            "waiting_median_days", _l("Median wait, submission to first session (days)"), "days"
        ),
        Column("attendance_rate", _l("Session attendance"), "percent"),
    ),
)
ABSENCE = TableSpec(
    "absence",
    _l("Day absence before and after"),
    (
        Column("measured", _l("Pupils measured before and after"), "count"),
        Column("before_mean", _l("Mean before"), "percent"),
        Column("before_median", _l("Median before"), "percent"),
        Column("after_mean", _l("Mean after"), "percent"),
        Column("after_median", _l("Median after"), "percent"),
        Column("change", _l("Change (percentage points)"), "points"),
        Column("worrying_before", _l("At or above 10 % before"), "count"),
        Column("share_worrying_before", _l("Share at or above 10 % before"), "percent"),
        Column("worrying_after", _l("At or above 10 % after"), "count"),
        Column("share_worrying_after", _l("Share at or above 10 % after"), "percent"),
    ),
)
FOLLOW_UP = TableSpec(
    "follow_up",
    _l("Day absence at follow-up"),
    (
        Column("follow_up_measured", _l("Pupils measured before and at follow-up"), "count"),
        Column("follow_up_mean", _l("Mean at follow-up"), "percent"),
        Column("follow_up_median", _l("Median at follow-up"), "percent"),
        Column("follow_up_change", _l("Change from before (percentage points)"), "points"),
        Column("worrying_follow_up", _l("At or above 10 % at follow-up"), "count"),
        Column("share_worrying_follow_up", _l("Share at or above 10 % at follow-up"), "percent"),
    ),
    needs="follow_up_measured",
)
TABLES = (PARTICIPATION, ABSENCE, FOLLOW_UP)

DIMENSION_TITLES = {
    Dimension.PROGRAMME: _l("The whole programme"),
    Dimension.TERM: _l("Per term"),
    Dimension.GROUP: _l("Per group"),
    Dimension.SCHOOL: _l("Per school"),
}
DIMENSION_COLUMN = {
    Dimension.PROGRAMME: _l("Programme"),
    Dimension.TERM: _l("Term"),
    Dimension.GROUP: _l("Group"),
    Dimension.SCHOOL: _l("School"),
}


def figure_rows(
    rows: Iterable[ShownRow], figures: Sequence[tuple[str, Kind]], min_pupils: int
) -> list[list[Any]]:
    """The cells of a table of figures: each row's label, then each of ``figures`` (name, unit)
    as a cell shows it: "under 5" when withheld, else in its unit; None when there is no
    figure. The dashboard has thousands of cells, so they are made here rather than by a
    template loop."""
    language = localized.language()
    withheld = _withheld_cell(min_pupils)
    formats = [(name, _FORMATS.get(kind, formatting.number)) for name, kind in figures]
    # Counts and shares repeat across rows and tables: each (unit, value) is formatted once.
    texts: dict[tuple[Any, type, Any], str] = {}
    table = []
    for row in rows:
        cells: list[Any] = [row.label]
        for name, shown in formats:
            if row.withheld(name):
                cells.append(withheld)
                continue
            value = row[name]
            if value is None:
                cells.append(None)
                continue
            key = (shown, type(value), value)
            text = texts.get(key)
            if text is None:
                text = texts[key] = shown(value, language)
            cells.append(text)
        table.append(cells)
    return table


_FORMATS = {"count": formatting.whole, "percent": formatting.percent, "points": formatting.change}


def chart_rows(chart: dict[str, Any], min_pupils: int) -> list[list[Any]]:
    """The cells of the table beside a chart (see the dashboard's charts): each label, then
    its value in each series with one decimal, "under 5" when withheld."""
    language = localized.language()
    withheld = _withheld_cell(min_pupils)
    rows = []
    for index, label in enumerate(chart["labels"]):
        cells: list[Any] = [label]
        for number, series in enumerate(chart["series"]):
            value = series["values"][index]
            if chart["withheld"][index][number]:
                cells.append(withheld)
            else:
                cells.append(None if value is None else formatting.number(value, language))
        rows.append(cells)
    return rows


def _withheld_cell(min_pupils: int) -> Markup:
    return Markup('<span class="mestring-withheld">{}</span>').format(
        _("under %(n)s", n=min_pupils)
    )


def pupil_rows(items: Iterable[PupilOutcome], pupil_url: Callable[[int], str]) -> list[list[Any]]:
    """The cells of the coordinator's table of pupils before and after: a link to the pupil,
    school, group, and the day absence before, after, its change and at follow-up."""
    language = localized.language()
    percent, change = formatting.percent, formatting.change
    return [
        [
            link(pupil_url(item.pupil_id), item.name),
            item.school,
            item.group,
            percent(item.before, language),
            percent(item.after, language),
            change(item.change, language) if item.change is not None else None,
            percent(item.follow_up, language),
        ]
        for item in items
    ]
