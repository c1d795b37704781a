"""delivery: e-mail retries and digests, per-person preferences, leases of the tick (issue 16)

Revision ID: 0018delivery
Revises: 0017notifications
Create Date: 2026-12-07 08:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018delivery'
down_revision = '0017notifications'
branch_labels = None
depends_on = None

OLD = "mail_status IN ('none', 'queued', 'sent', 'failed')"
NEW = "mail_status IN ('none', 'queued', 'sent', 'logged', 'failed')"


def upgrade():
    op.create_table('leases',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('holder', sa.String(length=100), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_leases'))
    )
    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('last_digest_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_preferences'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('digested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_notifications_mail_status'), type_='check')
        batch_op.create_check_constraint('mail_status', NEW)


def downgrade():
    op.execute("UPDATE notifications SET mail_status = 'sent' WHERE mail_status = 'logged'")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_mail_status'), type_='check')
        batch_op.create_check_constraint('mail_status', OLD)
        batch_op.drop_column('digested_at')
        batch_op.drop_column('next_attempt_at')
    op.drop_table('notification_preferences')
    op.drop_table('leases')
