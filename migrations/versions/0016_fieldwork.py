"""fieldwork: an offline phone's outbox and presence

Photos carry the phone's id for them (a retried upload finds the first one) and where
their capture time came from; answers keep
when they were first given and last changed, on the server's clock and the phone's; a
campaign may ask for a check-in on arrival within a radius; check_ins keeps one per visit.

Revision ID: 0016fieldwork
Revises: 0015loginsessions
Create Date: 2026-12-07 04:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016fieldwork'
down_revision = '0015loginsessions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('capture_source', sa.String(length=10), nullable=True))
        batch_op.create_unique_constraint('uq_photos_visit_client', ['visit_id', 'client_id'])
    with op.batch_alter_table('answers', schema=None) as batch_op:
        for name in ('first_answered_at', 'last_answered_at', 'device_first_at',
                     'device_last_at'):
            batch_op.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('check_in', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('check_in_radius_m', sa.Integer(), nullable=False,
                                      server_default='300'))
        batch_op.add_column(sa.Column('check_in_since', sa.DateTime(timezone=True),
                                      nullable=True))
    op.create_table('check_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('accuracy_m', sa.Double(), nullable=True),
    sa.Column('distance_m', sa.Double(), nullable=True),
    sa.Column('radius_m', sa.Integer(), nullable=True),
    sa.Column('device_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('inside', 'outside', 'denied', 'unavailable', 'no_branch_location')", name=op.f('ck_check_ins_status')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_check_ins_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_ins')),
    sa.UniqueConstraint('visit_id', name=op.f('uq_check_ins_visit_id'))
    )


def downgrade():
    op.drop_table('check_ins')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('check_in_since')
        batch_op.drop_column('check_in_radius_m')
        batch_op.drop_column('check_in')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        for name in ('device_last_at', 'device_first_at', 'last_answered_at',
                     'first_answered_at'):
            batch_op.drop_column(name)
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_constraint('uq_photos_visit_client', type_='unique')
        batch_op.drop_column('capture_source')
        batch_op.drop_column('client_id')
