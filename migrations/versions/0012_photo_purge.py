"""photo purge: a purged photo keeps no hash, size or camera time (photos, action photos)

Revision ID: 0012photopurge
Revises: 0011sessions
Create Date: 2026-12-03 04:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012photopurge'
down_revision = '0011sessions'
branch_labels = None
depends_on = None

NULLABLE = (('width', sa.Integer()), ('height', sa.Integer()), ('size_bytes', sa.Integer()),
            ('sha256', sa.String(length=64)))
photos = sa.table('photos', sa.column('id', sa.Integer), sa.column('visit_id', sa.Integer),
                  sa.column('purged_at'), sa.column('sha256'), sa.column('phash'),
                  sa.column('width'), sa.column('height'), sa.column('size_bytes'),
                  sa.column('captured_at'), sa.column('source_format'))
action_photos = sa.table('action_photos', sa.column('id', sa.Integer), sa.column('purged_at'),
                         sa.column('sha256'), sa.column('width'), sa.column('height'),
                         sa.column('size_bytes'), sa.column('captured_at'))
visits = sa.table('visits', sa.column('id', sa.Integer), sa.column('purged_at'))
audit_log = sa.table('audit_log', sa.column('id', sa.Integer), sa.column('entity', sa.String),
                     sa.column('action', sa.String), sa.column('old_value', sa.JSON),
                     sa.column('new_value', sa.JSON))


def upgrade():
    for table in ('photos', 'action_photos'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, kind in NULLABLE:
                batch_op.alter_column(name, existing_type=kind, nullable=True)
    # Photos purged before this revision: forget what describes the picture now.
    op.execute(photos.update().where(photos.c.purged_at.is_not(None)).values(
        sha256=None, phash=None, width=None, height=None, size_bytes=None, captured_at=None,
        source_format=None))
    op.execute(action_photos.update().where(action_photos.c.purged_at.is_not(None)).values(
        sha256=None, width=None, height=None, size_bytes=None, captured_at=None))
    # And the audit log's copies of their hashes (photos deleted from purged visits, photos
    # added to corrective actions whose photos were purged).
    bind = op.get_bind()
    purged_visits = set(bind.scalars(sa.select(visits.c.id).where(
        visits.c.purged_at.is_not(None))))
    purged_action_photos = set(bind.scalars(sa.select(action_photos.c.id).where(
        action_photos.c.purged_at.is_not(None))))
    for field, entity, action, key, wanted in (
            ('old_value', 'photo', 'delete', 'visit', purged_visits),
            ('new_value', 'corrective_action', 'photo', 'photo', purged_action_photos)):
        if not wanted:
            continue
        column = audit_log.c[field]
        for entry_id, value in bind.execute(sa.select(audit_log.c.id, column).where(
                audit_log.c.entity == entity, audit_log.c.action == action)).all():
            if isinstance(value, dict) and value.get(key) in wanted and value.get('sha256'):
                bind.execute(audit_log.update().where(audit_log.c.id == entry_id)
                             .values({field: {**value, 'sha256': None}}))


def downgrade():
    # The older schema needs a value: purged rows get empty ones (their files are gone).
    for table in (photos, action_photos):
        for name, empty in (('sha256', ''), ('width', 0), ('height', 0), ('size_bytes', 0)):
            op.execute(table.update().where(table.c[name].is_(None)).values({name: empty}))
    for table in ('action_photos', 'photos'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, kind in NULLABLE:
                batch_op.alter_column(name, existing_type=kind, nullable=False)
