"""storage: report files expire (status "expired", expired_at)

Revision ID: 0010storage
Revises: 0007reports
Create Date: 2026-11-24 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010storage'
down_revision = '0009privacy'
branch_labels = None
depends_on = None

OLD = "status IN ('queued', 'running', 'done', 'failed')"
NEW = "status IN ('queued', 'running', 'done', 'failed', 'expired')"


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expired_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f('ck_reports_status'), type_='check')
        batch_op.create_check_constraint('status', NEW)


def downgrade():
    # Expired rows have no file left: they go back as failed ("generate it again").
    op.execute("UPDATE reports SET status = 'failed', error = 'interrupted' "
               "WHERE status = 'expired'")
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_reports_status'), type_='check')
        batch_op.create_check_constraint('status', OLD)
        batch_op.drop_column('expired_at')
