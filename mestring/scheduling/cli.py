"""`flask mestring holidays DISTRICT_NAME`: load Oslo's shipped school holidays for a district."""

from __future__ import annotations

import click
import sqlalchemy as sa

from mestring.accounts.models import District
from mestring.extensions import db
from mestring.scheduling.services import load_school_holidays


@click.command("holidays")
@click.argument("district_name")
def holidays_command(district_name: str) -> None:
    """Add the shipped school holidays (closed periods) the district lacks; idempotent."""
    district = db.session.scalar(sa.select(District).where(District.name == district_name))
    if district is None:
        raise click.ClickException(f"No district is called {district_name!r}.")
    added = load_school_holidays(db.session, district=district)
    db.session.commit()
    click.echo(f"{added} closed periods added to {district.name}.")
