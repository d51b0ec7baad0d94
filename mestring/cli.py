"""`flask mestring …`: commands that call the same services as the web."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from mestring.accounts.models import District
from mestring.core.time import now_utc
from mestring.demo import DEMO_PASSWORD, load_demo
from mestring.extensions import db
from mestring.generator import SCALES, generate
from mestring.groups.services import load_course_templates
from mestring.privacy.cli import retention_command
from mestring.scheduling.cli import holidays_command

mestring_cli = AppGroup("mestring", help="Mestring commands.")
mestring_cli.add_command(holidays_command)
mestring_cli.add_command(retention_command)


@mestring_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when the database holds no district yet.")
def demo_command(if_empty: bool) -> None:
    """Fill the database with Bydel Ullern's demo programme (idempotent)."""
    if if_empty and db.session.scalar(sa.select(District.id).limit(1)) is not None:
        click.echo("The database already holds data; no demo data loaded.")
        return
    result = load_demo(db.session, now=now_utc())
    db.session.commit()
    if result.created:
        click.echo("Demo data loaded.")
    else:
        click.echo("Demo data already present; nothing added.")
    click.echo(f"Accounts (password: {DEMO_PASSWORD}):")
    for email, role in result.accounts:
        click.echo(f"  {email:<28} {role}")


@mestring_cli.command("templates")
def templates_command() -> None:
    """Load the shipped course templates (idempotent; existing ones are left as they are)."""
    loaded = load_course_templates(db.session)
    db.session.commit()
    for name, template in loaded.items():
        click.echo(f"  {name}: {len(template.sessions)} sessions")


@mestring_cli.command("generate")
@click.option("--scale", type=click.Choice(sorted(SCALES)), default="small", show_default=True)
@click.option("--seed", type=int, default=2026, show_default=True)
def generate_command(scale: str, seed: int) -> None:
    """Fill an empty database with generated data: the demo (small) or all of Oslo (oslo)."""
    if db.session.scalar(sa.select(District.id).limit(1)) is not None:
        raise click.ClickException("The database already holds data; generate into an empty one.")
    counts = generate(db.session, scale=scale, seed=seed, now=now_utc(), report=click.echo)
    db.session.commit()
    for table, count in counts.items():
        click.echo(f"  {table:<26} {count:>8}")
