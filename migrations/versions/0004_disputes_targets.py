"""disputes of published answers; time-bound targets

Revision ID: 0004quality
Revises: 0003brandpolicy
Create Date: 2026-11-23 15:27:11.672982

"""
from alembic import op
import sqlalchemy as sa


revision = '0004quality'
down_revision = '0003brandpolicy'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('metric', sa.String(length=20), nullable=False),
    sa.Column('value', sa.Double(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('every_branch', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(scope = 'brand' AND region_id IS NULL AND branch_id IS NULL) OR (scope = 'region' AND region_id IS NOT NULL AND branch_id IS NULL) OR (scope = 'branch' AND branch_id IS NOT NULL AND region_id IS NULL)", name=op.f('ck_targets_scope_ids')),
    sa.CheckConstraint("metric IN ('overall', 'tangibles', 'reliability', 'responsiveness', 'assurance', 'empathy', 'step_1', 'step_2', 'step_3', 'step_4', 'step_5')", name=op.f('ck_targets_metric')),
    sa.CheckConstraint("scope IN ('brand', 'region', 'branch')", name=op.f('ck_targets_scope')),
    sa.CheckConstraint('value >= 0 AND value <= 100', name=op.f('ck_targets_value')),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_targets_branch_id_branches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['brand_id'], ['brands.id'], name=op.f('fk_targets_brand_id_brands'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_targets_created_by_id_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_targets_region_id_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets'))
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_targets_branch_id'), ['branch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_targets_brand_id'), ['brand_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_targets_region_id'), ['region_id'], unique=False)

    op.create_table('disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('proposed_value', sa.JSON(), nullable=True),
    sa.Column('proposed_na', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('resolution_reason', sa.Text(), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.CheckConstraint("status = 'open' OR resolved_at IS NOT NULL", name=op.f('ck_disputes_resolved')),
    sa.CheckConstraint("status IN ('open', 'accepted', 'rejected')", name=op.f('ck_disputes_status')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_disputes_opened_by_id_users')),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_disputes_question_id_questions')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_disputes_resolved_by_id_users')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_disputes_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes'))
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index('ix_disputes_one_open', ['visit_id', 'question_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.create_index('ix_disputes_status_opened', ['status', 'opened_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_disputes_visit_id'), ['visit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disputes_visit_id'))
        batch_op.drop_index('ix_disputes_status_opened')
        batch_op.drop_index('ix_disputes_one_open', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.drop_table('disputes')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_targets_region_id'))
        batch_op.drop_index(batch_op.f('ix_targets_brand_id'))
        batch_op.drop_index(batch_op.f('ix_targets_branch_id'))

    op.drop_table('targets')
