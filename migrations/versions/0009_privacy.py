"""privacy: retention, staff names and call recordings per brand, purge and erasure markers

Revision ID: 0009privacy
Revises: 0007reports
Create Date: 2026-11-23 18:08:16.697299

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009privacy'
down_revision = '0008security'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('action_photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('brands', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_months', sa.Integer(), server_default='24', nullable=False))
        batch_op.add_column(sa.Column('capture_staff_names', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('allow_call_recordings', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_check_constraint(
            'retention', 'retention_months >= 0 AND retention_months <= 240')

    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_column('purged_at')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('erased_at')

    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_column('purged_at')

    with op.batch_alter_table('brands', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_brands_retention'), type_='check')
        batch_op.drop_column('allow_call_recordings')
        batch_op.drop_column('capture_staff_names')
        batch_op.drop_column('retention_months')

    with op.batch_alter_table('action_photos', schema=None) as batch_op:
        batch_op.drop_column('purged_at')

