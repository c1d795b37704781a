"""service levels and score triggers (issue 16)

Brands get their service levels: hours to review a submitted visit (48), hours after
which an unreviewed visit is published automatically (none: off), hours a shopper has to
resubmit a returned visit (24). Visits keep their resubmit deadline, when it passed
unmet, and whether they were published automatically. score_triggers holds each brand's
rules for telling people when a scored visit falls short.

Revision ID: 0019servicelevels
Revises: 0018delivery
Create Date: 2026-12-07 06:21:49.886941

"""
import sqlalchemy as sa
from alembic import op

MAX_SLA_HOURS = 24 * 60


# revision identifiers, used by Alembic.
revision = '0019servicelevels'
down_revision = '0018delivery'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('score_triggers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('condition', sa.String(length=30), nullable=False),
    sa.Column('threshold', sa.Double(), nullable=True),
    sa.Column('dimension', sa.String(length=20), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('tell_managers', sa.Boolean(), nullable=False),
    sa.Column('tell_owners', sa.Boolean(), nullable=False),
    sa.Column('attach_pdf', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("condition IN ('overall_below', 'critical_fail', 'dimension_below_target', 'dimension_below')", name=op.f('ck_score_triggers_condition')),
    sa.CheckConstraint("dimension IS NULL OR dimension IN ('tangibles', 'reliability', 'responsiveness', 'assurance', 'empathy')", name=op.f('ck_score_triggers_dimension')),
    sa.CheckConstraint("threshold IS NOT NULL OR NOT condition IN ('overall_below', 'dimension_below')", name=op.f('ck_score_triggers_threshold_needed')),
    sa.CheckConstraint('tell_managers OR tell_owners', name=op.f('ck_score_triggers_someone_told')),
    sa.CheckConstraint('threshold IS NULL OR (threshold >= 0 AND threshold <= 100)', name=op.f('ck_score_triggers_threshold')),
    sa.ForeignKeyConstraint(['brand_id'], ['brands.id'], name=op.f('fk_score_triggers_brand_id_brands'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_score_triggers_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_score_triggers_region_id_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_triggers'))
    )
    with op.batch_alter_table('score_triggers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_triggers_brand_id'), ['brand_id'], unique=False)

    with op.batch_alter_table('brands', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_within_hours', sa.Integer(), server_default='48', nullable=False))
        batch_op.add_column(sa.Column('auto_publish_after_hours', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('resubmit_within_hours', sa.Integer(), server_default='24', nullable=False))
        batch_op.create_check_constraint(
            'review_within',
            f'review_within_hours >= 1 AND review_within_hours <= {MAX_SLA_HOURS}')
        batch_op.create_check_constraint(
            'auto_publish_after',
            'auto_publish_after_hours IS NULL OR (auto_publish_after_hours >= 1'
            f' AND auto_publish_after_hours <= {MAX_SLA_HOURS})')
        batch_op.create_check_constraint(
            'resubmit_within',
            f'resubmit_within_hours >= 1 AND resubmit_within_hours <= {MAX_SLA_HOURS}')

    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resubmit_by', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('resubmit_expired_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('auto_published', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_column('auto_published')
        batch_op.drop_column('resubmit_expired_at')
        batch_op.drop_column('resubmit_by')

    with op.batch_alter_table('brands', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_brands_resubmit_within'), type_='check')
        batch_op.drop_constraint(op.f('ck_brands_auto_publish_after'), type_='check')
        batch_op.drop_constraint(op.f('ck_brands_review_within'), type_='check')
        batch_op.drop_column('resubmit_within_hours')
        batch_op.drop_column('auto_publish_after_hours')
        batch_op.drop_column('review_within_hours')

    with op.batch_alter_table('score_triggers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_triggers_brand_id'))

    op.drop_table('score_triggers')
