"""Your own foods and recipes: ``own_food``, ``own_food_amount``, ``own_food_ingredient``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08

New tables only; nothing existing changes. A label food keeps its label's amounts
per serving (``own_food_amount``), a recipe its ingredients (``own_food_ingredient``).
Diary entries refer to an own food by its ``ref`` (``my:`` and 8 hex digits), as
they refer to ``usda:01009``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the three tables of own foods."""
    op.create_table(
        "own_food",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("ref", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("live_key", sa.Text),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("per_quantity", sa.Double),
        sa.Column("per_unit", sa.Text),
        sa.Column("per_grams", sa.Double),
        sa.Column("serves", sa.Double),
        sa.Column("yield_g", sa.Double),
        sa.Column("text", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.current_timestamp(),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_own_food")),
        sa.UniqueConstraint("ref", name=op.f("uq_own_food_ref")),
        sa.UniqueConstraint("live_key", name=op.f("uq_own_food_live_key")),
        sa.CheckConstraint("kind IN ('label', 'recipe')", name=op.f("ck_own_food_kind")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_own_food_version")),
        sa.CheckConstraint("per_grams > 0", name=op.f("ck_own_food_per_grams")),
        sa.CheckConstraint("serves > 0", name=op.f("ck_own_food_serves")),
        sa.CheckConstraint("yield_g > 0", name=op.f("ck_own_food_yield_g")),
    )
    op.create_table(
        "own_food_amount",
        sa.Column("own_food_id", sa.Integer, nullable=False),
        sa.Column("nutrient", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("amount", sa.Double, nullable=False),
        sa.PrimaryKeyConstraint("own_food_id", "nutrient", name=op.f("pk_own_food_amount")),
        sa.ForeignKeyConstraint(
            ["own_food_id"],
            ["own_food.id"],
            name=op.f("fk_own_food_amount_own_food_id_own_food"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_own_food_amount_amount")),
    )
    op.create_table(
        "own_food_ingredient",
        sa.Column("own_food_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("ref", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("grams", sa.Double, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("own_food_id", "position", name=op.f("pk_own_food_ingredient")),
        sa.ForeignKeyConstraint(
            ["own_food_id"],
            ["own_food.id"],
            name=op.f("fk_own_food_ingredient_own_food_id_own_food"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint("grams > 0", name=op.f("ck_own_food_ingredient_grams")),
    )
    op.create_index(op.f("ix_own_food_ingredient_ref"), "own_food_ingredient", ["ref"])


def downgrade() -> None:
    """Drop the three tables (own foods that entries refer to are lost with them)."""
    op.drop_index(op.f("ix_own_food_ingredient_ref"), table_name="own_food_ingredient")
    op.drop_table("own_food_ingredient")
    op.drop_table("own_food_amount")
    op.drop_table("own_food")
