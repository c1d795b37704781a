"""brand default critical-fail policy

Revision ID: 0003brandpolicy
Revises: 5888e6a4c5ea
Create Date: 2026-11-23 15:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003brandpolicy'
down_revision = '5888e6a4c5ea'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('brands', schema=None) as batch_op:
        batch_op.add_column(sa.Column('critical_policy', sa.String(length=10), nullable=False,
                                      server_default='flag'))
        batch_op.create_check_constraint('critical_policy', "critical_policy IN ('zero', 'flag')")


def downgrade():
    with op.batch_alter_table('brands', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_brands_critical_policy'), type_='check')
        batch_op.drop_column('critical_policy')
