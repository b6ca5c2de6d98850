"""Stable identities: ``entry.uid`` and ``inr_reading.uid`` (a UUID per row).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04

An entry or INR reading keeps its uid through exports, backups and edits, so
importing or restoring the same file twice adds nothing the second time. Rows of an
older diary get a new random uid here. On SQLite, making the column NOT NULL rebuilds
the two tables (Alembic batch mode); nothing refers to them, so nothing cascades.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("entry", "inr_reading")


def upgrade() -> None:
    """Add ``uid`` to both tables, give every existing row one, make it unique."""
    connection = op.get_bind()
    for name in _TABLES:
        op.add_column(name, sa.Column("uid", sa.String(36), nullable=True))
        table = sa.table(name, sa.column("id", sa.Integer), sa.column("uid", sa.String(36)))
        ids = connection.execute(sa.select(table.c.id)).scalars().all()
        if ids:
            connection.execute(
                sa.update(table)
                .where(table.c.id == sa.bindparam("row_id"))
                .values(uid=sa.bindparam("new_uid")),
                [{"row_id": row_id, "new_uid": str(uuid.uuid4())} for row_id in ids],
            )
        with op.batch_alter_table(name) as batch:
            batch.alter_column("uid", existing_type=sa.String(36), nullable=False)
            batch.create_unique_constraint(op.f(f"uq_{name}_uid"), ["uid"])


def downgrade() -> None:
    """Drop ``uid`` (and its constraint) from both tables."""
    for name in _TABLES:
        with op.batch_alter_table(name) as batch:
            batch.drop_constraint(op.f(f"uq_{name}_uid"), type_="unique")
            batch.drop_column("uid")
