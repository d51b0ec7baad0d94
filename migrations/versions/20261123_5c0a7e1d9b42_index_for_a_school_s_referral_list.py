"""Index for a school's referral list, newest first.

Revision ID: 5c0a7e1d9b42
Revises: aff1a2781c0d
Create Date: 2026-11-23 18:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5c0a7e1d9b42'
down_revision = 'aff1a2781c0d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(
            'ix_referrals_school_created_at', ['school_id', 'created_at', 'id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_school_created_at')
