"""last log-in: users.last_login_at, set by every successful log-in

Revision ID: 0013lastlogin
Revises: 0012photopurge
Create Date: 2026-12-03 05:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013lastlogin'
down_revision = '0012photopurge'
branch_labels = None
depends_on = None


def upgrade():
    # NULL for every existing account: nobody knows when they last logged in before this.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('last_login_at')
