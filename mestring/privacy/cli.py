"""`flask mestring retention`: anonymise pupils whose data is kept no longer."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from mestring.core.time import now_utc
from mestring.extensions import db
from mestring.privacy.services import (
    RetentionCandidate,
    apply_retention,
    retention_candidates,
)


def _line(candidate: RetentionCandidate) -> str:
    # Ids, school and reason only: a pupil's name never goes to a terminal or a log.
    return (
        f"  pupil {candidate.pupil_id:>6}  school {candidate.school_id} ({candidate.school_name})"
        f"  {candidate.reason.value}  last activity {candidate.last_activity.date().isoformat()}"
    )


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="List what would be anonymised; change nothing.")
@with_appcontext
def retention_command(dry_run: bool) -> None:
    """Anonymise pupils inactive longer than MESTRING_RETENTION_MONTHS, or whose referrals all
    ended (declined or withdrawn) more than three months ago."""
    months = int(current_app.config["RETENTION_MONTHS"])
    now = now_utc()
    if dry_run:
        candidates = retention_candidates(db.session, now=now, retention_months=months)
        click.echo(f"Would anonymise {len(candidates)} pupil(s) (retention {months} months):")
    else:
        candidates = apply_retention(db.session, now=now, retention_months=months)
        db.session.commit()
        click.echo(f"Anonymised {len(candidates)} pupil(s) (retention {months} months):")
    for candidate in candidates:
        click.echo(_line(candidate))
