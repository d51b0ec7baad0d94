"""Audit events are append-only (triggers refuse UPDATE and DELETE); one-time password links.

Revision ID: aff1a2781c0d
Revises: 059b0e034382
Create Date: 2026-11-23 15:57:47.825341

"""
from alembic import op
import sqlalchemy as sa
import mestring.db

# revision identifiers, used by Alembic.
revision = 'aff1a2781c0d'
down_revision = '059b0e034382'
branch_labels = None
depends_on = None

MESSAGE = "audit events are append-only"

SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]

POSTGRES_TRIGGERS = [
    f"""
    CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
    """,
    """
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()
    """,
]


def upgrade():
    op.create_table('password_setup_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', mestring.db.UTCDateTime(), nullable=False),
    sa.Column('expires_at', mestring.db.UTCDateTime(), nullable=False),
    sa.Column('used_at', mestring.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_password_setup_tokens_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_setup_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_setup_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_setup_tokens_token_hash'))
    )
    with op.batch_alter_table('password_setup_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_setup_tokens_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_setup_tokens_user_id'), ['user_id'], unique=False)

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        statements = SQLITE_TRIGGERS
    elif dialect == "postgresql":
        statements = POSTGRES_TRIGGERS
    else:
        raise NotImplementedError(f"no append-only triggers for {dialect}")
    for statement in statements:
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update_or_delete ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")

    with op.batch_alter_table('password_setup_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_setup_tokens_user_id'))
        batch_op.drop_index(batch_op.f('ix_password_setup_tokens_created_by_id'))

    op.drop_table('password_setup_tokens')
