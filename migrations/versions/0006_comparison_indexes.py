"""comparison indexes: a covering index for the branch comparison's GROUP BY

Revision ID: 0006comparison
Revises: 0005actions
Create Date: 2026-11-23 16:00:00

"""
from alembic import op


revision = '0006comparison'
down_revision = '0005actions'
branch_labels = None
depends_on = None

COLUMNS = [
    'campaign_id', 'status', 'branch_id', 'revision', 'scored_at', 'score_overall',
    'score_tangibles', 'score_reliability', 'score_responsiveness', 'score_assurance',
    'score_empathy', 'score_step_1', 'score_step_2', 'score_step_3', 'score_step_4',
    'score_step_5',
]


def upgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index('ix_visits_comparison', COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index('ix_visits_comparison')
