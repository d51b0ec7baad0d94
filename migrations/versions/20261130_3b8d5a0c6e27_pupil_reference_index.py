"""An index on the pupil reference: the absence import looks it up across schools.

Revision ID: 3b8d5a0c6e27
Revises: 7c1f0e2b9d41
Create Date: 2026-11-30 16:40:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "3b8d5a0c6e27"
down_revision = "7c1f0e2b9d41"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("pupils", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pupils_pupil_ref"), ["pupil_ref"], unique=False)


def downgrade():
    with op.batch_alter_table("pupils", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pupils_pupil_ref"))
