"""sessions: users.session_key, replaced with every new password so older cookies end

Revision ID: 0011sessions
Revises: 0010storage
Create Date: 2026-12-03 04:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011sessions'
down_revision = '0010storage'
branch_labels = None
depends_on = None


def upgrade():
    # NULL for every existing account: their session cookies hold the bare user id, which
    # keeps loading them until their password next changes.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_key', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_key')
