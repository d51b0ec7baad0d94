"""CSV and XLSX exports: the filters applied, a header saying what and when, small numbers
withheld for every role, no pupil named, and the export audited."""

from __future__ import annotations

import csv
import io
from datetime import date

import sqlalchemy as sa
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session as OrmSession

from mestring.audit.models import AuditEvent
from tests import factories as f
from tests.conftest import World, sign_in
from tests.outcomes.conftest import in_english
from tests.outcomes.test_views import measured_pupils


def csv_rows(client: FlaskClient, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def row_of(rows: list[list[str]], title: str, label: str) -> dict[str, str]:
    """The row labelled ``label`` of the table titled ``title``, as {column: value}."""
    start = next(i for i, row in enumerate(rows) if row and row[0] == title)
    header = rows[start + 1]
    for row in rows[start + 2 :]:
        if not row:
            break
        if row[0] == label:
            return dict(zip(header, row, strict=True))
    raise AssertionError(f"{label} not in {title}")


def test_csv_of_a_group_of_four_says_under_5_even_to_the_coordinator(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    measured_pupils(world, 3)
    sign_in(client, world.coordinator)
    in_english(client)
    rows = csv_rows(client, f"/outcomes/export.csv?group={world.group.id}")
    assert rows[0] == ["Mestring: outcomes of the Mestrende barn programme"]
    assert rows[1] == ["District", "Bydel Ullern"]
    assert rows[2][1].startswith(f"Term: all; School: all; Group: {world.group.name}")
    assert rows[3][0] == "Made"
    group_row = row_of(
        rows, "Per group: Participation", f"{world.group.name} ({world.group.term.name})"
    )
    assert group_row["Pupils placed"] == "under 5"
    absence = row_of(
        rows,
        "Per group: Day absence before and after",
        f"{world.group.name} ({world.group.term.name})",
    )
    assert absence["Mean before"] == "under 5"
    text = "\n".join(",".join(row) for row in rows)
    assert world.pupil.first_name not in text
    event = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "export_outcomes")
    ).one()
    assert event.details["format"] == "csv" and event.details["group"] == str(world.group.id)


def test_csv_shows_figures_of_five_or_more(client: FlaskClient, world: World) -> None:
    measured_pupils(world, 5)
    sign_in(client, world.analyst)
    in_english(client)
    rows = csv_rows(client, "/outcomes/export.csv")
    programme = row_of(
        rows, "The whole programme: Day absence before and after", "The whole programme"
    )
    assert programme["Pupils measured before and after"] == "5"
    assert programme["Mean before"] == "20.0"
    assert programme["Mean after"] == "5.0"
    assert programme["Change (percentage points)"] == "-15.0"


def test_xlsx_of_a_group_of_four_says_under_5(client: FlaskClient, world: World) -> None:
    measured_pupils(world, 3)
    other = f.MembershipFactory(group=f.GroupFactory(district=world.group.district))
    f.AbsenceRecordFactory(pupil=other.pupil, starts_on=date(2026, 9, 1), ends_on=date(2026, 12, 1))
    sign_in(client, world.analyst)
    in_english(client)
    response = client.get("/outcomes/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Mestring: outcomes of the Mestrende barn programme"
    assert values[3][0] == "Made"
    flat = [cell for row in values for cell in row if cell is not None]
    assert "under 5" in flat
    assert world.pupil.first_name not in {str(cell) for cell in flat}
    start = next(i for i, row in enumerate(values) if row[0] == "Per group: Participation")
    header = values[start + 1]
    group_row = next(
        row
        for row in values[start + 2 :]
        if row[0] == f"{world.group.name} ({world.group.term.name})"
    )
    assert group_row[header.index("Pupils placed")] == "under 5"
