"""The dashboard's tables as CSV and XLSX: the filters applied, small numbers always withheld,
and a header saying what the file holds and when it was made. No pupil is ever named."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from mestring.core.time import to_oslo
from mestring.core.translations import gettext as _
from mestring.outcomes.measures import Outcomes
from mestring.outcomes.suppression import MIN_PUPILS, WITHHELD, ShownRow, shown_rows
from mestring.outcomes.tables import DIMENSION_COLUMN, DIMENSION_TITLES, TABLES, Column, TableSpec

Cell = str | int | float | None


@dataclass(frozen=True)
class ExportTable:
    title: str
    header: list[str]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class ExportMeta:
    district: str
    filters: str
    made_at: datetime


def withheld_text() -> str:
    return _("under %(n)s", n=MIN_PUPILS)


def cell(value: Any, column: Column) -> Cell:
    if value is WITHHELD:
        return withheld_text()
    if value is None:
        return None
    if column.kind == "count":
        return int(value)
    return round(float(value), 1)


def table_visible(spec: TableSpec, rows: Sequence[ShownRow]) -> bool:
    if spec.needs is None:
        return True
    return any(row[spec.needs] is WITHHELD or row[spec.needs] for row in rows)


def export_tables(outcomes: Outcomes) -> list[ExportTable]:
    """Every dashboard table, with small numbers withheld (exports always suppress)."""
    tables = []
    for dimension, rows in outcomes.tables():
        shown = shown_rows(rows, suppress=True)
        for spec in TABLES:
            if not table_visible(spec, shown):
                continue
            tables.append(
                ExportTable(
                    title=f"{DIMENSION_TITLES[dimension]}: {spec.title}",
                    header=[str(DIMENSION_COLUMN[dimension])]
                    + [str(column.label) for column in spec.columns],
                    rows=[
                        [
                            row.label or str(DIMENSION_TITLES[dimension]),
                            *(cell(row[column.name], column) for column in spec.columns),
                        ]
                        for row in shown
                    ],
                )
            )
    return tables


def header_lines(meta: ExportMeta) -> list[list[Cell]]:
    return [
        [_("Mestring: outcomes of the Mestrende barn programme")],
        [_("District"), meta.district],
        [_("Filters"), meta.filters],
        [_("Made"), to_oslo(meta.made_at).strftime("%Y-%m-%d %H:%M")],
        [
            _(
                "Figures that describe fewer than %(n)s pupils are shown as “%(text)s”.",
                n=MIN_PUPILS,
                text=withheld_text(),
            )
        ],
        [_("Day absence in percent of school days; changes in percentage points.")],
    ]


def to_csv(tables: list[ExportTable], meta: ExportMeta) -> str:
    """Comma-separated, with a byte order mark so that spreadsheets read it as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(header_lines(meta))
    for table in tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.header)
        writer.writerows(table.rows)
    return out.getvalue()


def to_xlsx(tables: list[ExportTable], meta: ExportMeta) -> bytes:
    """One sheet: the header, then each table under its title."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.title = _("Outcomes")[:31]
    for line in header_lines(meta):
        sheet.append(line)
    sheet["A1"].font = Font(bold=True, size=14)
    for table in tables:
        sheet.append([])
        sheet.append([table.title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append(table.header)
        for column in range(1, len(table.header) + 1):
            sheet.cell(row=sheet.max_row, column=column).font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
    sheet.column_dimensions["A"].width = 32
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
