"""Referrals keep their school's district, with indexes for the district's lists.

The key to the school covers both columns, so the district is always the school's.

Revision ID: 65a3b3ba8d58
Revises: 3b8d5a0c6e27
Create Date: 2026-11-30 23:52:40.654059

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "65a3b3ba8d58"
down_revision = "3b8d5a0c6e27"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_schools_id_district_id"), ["id", "district_id"]
        )

    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("district_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE referrals SET district_id ="
        " (SELECT schools.district_id FROM schools WHERE schools.id = referrals.school_id)"
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.alter_column("district_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(
            "ix_referrals_district_created_at", ["district_id", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_referrals_district_status_submitted_at",
            ["district_id", "status", "submitted_at"],
            unique=False,
        )
        batch_op.drop_constraint(batch_op.f("fk_referrals_school_id_schools"), type_="foreignkey")
        batch_op.create_foreign_key(
            batch_op.f("fk_referrals_school_id_schools"),
            "schools",
            ["school_id", "district_id"],
            ["id", "district_id"],
        )


def downgrade():
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_referrals_school_id_schools"), type_="foreignkey")
        batch_op.create_foreign_key(
            batch_op.f("fk_referrals_school_id_schools"), "schools", ["school_id"], ["id"]
        )
        batch_op.drop_index("ix_referrals_district_status_submitted_at")
        batch_op.drop_index("ix_referrals_district_created_at")
        batch_op.drop_column("district_id")

    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_schools_id_district_id"), type_="unique")
