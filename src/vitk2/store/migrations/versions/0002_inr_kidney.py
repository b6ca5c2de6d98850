"""The INR log (table ``inr_reading``) and the profile's kidney status (``profile.kidney``).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

On SQLite, adding or dropping the profile's CHECK constraint rebuilds the table
(Alembic batch mode: copy, drop the old table, rename). Dropping ``profile`` while
foreign keys are enforced would cascade to ``medication`` and delete the
medication list, and the pragma cannot be switched off inside the migration's
transaction. So the medication rows are kept aside and put back, in the same
transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KIDNEY = "kidney IN ('ckd', 'dialysis', 'transplant')"

_medication = sa.table(
    "medication",
    sa.column("profile_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("name", sa.Text),
)


@contextmanager
def _keeping_medications() -> Iterator[None]:
    """Restore the medication rows that rebuilding ``profile`` on SQLite cascades away."""
    connection = op.get_bind()
    rows = [dict(row._mapping) for row in connection.execute(sa.select(_medication))]
    yield
    if connection.dialect.name == "sqlite":
        connection.execute(sa.delete(_medication))
        if rows:
            connection.execute(sa.insert(_medication), rows)


def upgrade() -> None:
    """Create ``inr_reading``; add ``profile.kidney`` with its CHECK constraint."""
    op.create_table(
        "inr_reading",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("value", sa.Double, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.current_timestamp(),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inr_reading")),
        sa.CheckConstraint("value > 0", name=op.f("ck_inr_reading_value")),
    )
    op.create_index(op.f("ix_inr_reading_day"), "inr_reading", ["day"])
    op.add_column("profile", sa.Column("kidney", sa.String(12)))
    with _keeping_medications(), op.batch_alter_table("profile") as batch:
        batch.create_check_constraint(op.f("ck_profile_kidney"), sa.text(_KIDNEY))


def downgrade() -> None:
    """Drop ``profile.kidney`` (and its constraint) and the ``inr_reading`` table."""
    with _keeping_medications(), op.batch_alter_table("profile") as batch:
        batch.drop_constraint(op.f("ck_profile_kidney"), type_="check")
        batch.drop_column("kidney")
    op.drop_index(op.f("ix_inr_reading_day"), table_name="inr_reading")
    op.drop_table("inr_reading")
