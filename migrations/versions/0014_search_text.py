"""search text: users and branches keep their text folded (no case, no diacritics)

A search typed without accents finds Vietnamese names, on SQLite as on PostgreSQL.

Revision ID: 0014search
Revises: 0013lastlogin
Create Date: 2026-12-03 05:40:00

"""
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014search'
down_revision = '0013lastlogin'
branch_labels = None
depends_on = None


def _fold(*parts):
    # A frozen copy of audit.textfold.fold as of this revision (a migration must not
    # change when the application's code does).
    text = " ".join(part for part in parts if part).replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.String(length=500), server_default='',
                                      nullable=False))
    with op.batch_alter_table('branches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.String(length=800), server_default='',
                                      nullable=False))
    bind = op.get_bind()
    users = sa.table('users', sa.column('id'), sa.column('name'), sa.column('email'),
                     sa.column('search_text'))
    rows = bind.execute(sa.select(users.c.id, users.c.name, users.c.email)).all()
    if rows:
        bind.execute(users.update().where(users.c.id == sa.bindparam('uid'))
                     .values(search_text=sa.bindparam('folded')),
                     [{'uid': r.id, 'folded': _fold(r.name, r.email)[:500]} for r in rows])
    branches = sa.table('branches', sa.column('id'), sa.column('code'), sa.column('name'),
                        sa.column('address'), sa.column('search_text'))
    rows = bind.execute(sa.select(branches.c.id, branches.c.code, branches.c.name,
                                  branches.c.address)).all()
    if rows:
        bind.execute(branches.update().where(branches.c.id == sa.bindparam('bid'))
                     .values(search_text=sa.bindparam('folded')),
                     [{'bid': r.id, 'folded': _fold(r.code, r.name, r.address)[:800]}
                      for r in rows])


def downgrade():
    with op.batch_alter_table('branches', schema=None) as batch_op:
        batch_op.drop_column('search_text')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('search_text')
