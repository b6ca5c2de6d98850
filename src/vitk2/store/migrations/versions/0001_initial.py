"""Initial schema: diary entries, the profile with its medications, user supplements.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "entry",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("time", sa.String(5)),
        sa.Column("meal", sa.String(10)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("ref", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("quantity", sa.Double, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("grams", sa.Double),
        sa.Column("amounts", sa.JSON, nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.current_timestamp(),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry")),
        sa.CheckConstraint("kind IN ('food', 'supplement')", name=op.f("ck_entry_kind")),
        sa.CheckConstraint(
            "meal IN ('breakfast', 'lunch', 'dinner', 'snack')", name=op.f("ck_entry_meal")
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_entry_quantity")),
        sa.CheckConstraint("grams > 0", name=op.f("ck_entry_grams")),
    )
    op.create_index(op.f("ix_entry_day"), "entry", ["day"])
    op.create_table(
        "profile",
        sa.Column("id", sa.Integer, autoincrement=False),
        sa.Column("sex", sa.String(6)),
        sa.Column("birth_date", sa.Date),
        sa.Column("weight_kg", sa.Double),
        sa.Column("pregnant", sa.Boolean, nullable=False),
        sa.Column("lactating", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile")),
        sa.CheckConstraint("id = 1", name=op.f("ck_profile_single_row")),
        sa.CheckConstraint("sex IN ('female', 'male')", name=op.f("ck_profile_sex")),
    )
    op.create_table(
        "medication",
        sa.Column("profile_id", sa.Integer),
        sa.Column("position", sa.Integer, autoincrement=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("profile_id", "position", name=op.f("pk_medication")),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profile.id"],
            name=op.f("fk_medication_profile_id_profile"),
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "supplement",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_key", sa.Text, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("note", sa.Text),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplement")),
        sa.UniqueConstraint("name_key", name=op.f("uq_supplement_name_key")),
    )
    op.create_table(
        "supplement_amount",
        sa.Column("supplement_id", sa.Integer),
        sa.Column("nutrient", sa.Text),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("amount", sa.Double, nullable=False),
        sa.PrimaryKeyConstraint("supplement_id", "nutrient", name=op.f("pk_supplement_amount")),
        sa.ForeignKeyConstraint(
            ["supplement_id"],
            ["supplement.id"],
            name=op.f("fk_supplement_amount_supplement_id_supplement"),
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    """Drop the tables."""
    op.drop_table("supplement_amount")
    op.drop_table("supplement")
    op.drop_table("medication")
    op.drop_table("profile")
    op.drop_index(op.f("ix_entry_day"), table_name="entry")
    op.drop_table("entry")
