"""Stamps replaced whenever data behind a district's outcome figures changes, for their cache.

Revision ID: 7c1f0e2b9d41
Revises: 54e1e795734c
Create Date: 2026-11-30 16:00:00.000000

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c1f0e2b9d41"
down_revision = "54e1e795734c"
branch_labels = None
depends_on = None


def upgrade():
    stamps = op.create_table(
        "figures_stamps",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_figures_stamps")),
    )
    # Random, so that two databases never share a stamp (they may share one Redis).
    op.bulk_insert(stamps, [{"name": "all", "stamp": secrets.token_hex(16)}])


def downgrade():
    op.drop_table("figures_stamps")
