"""The tables, as SQLAlchemy Core metadata (migrations create them; see ``migrations/``).

Keep this file and the migrations in step: ``tests/test_store.py`` checks that a
migrated database has exactly these tables and columns.
"""

from __future__ import annotations

from typing import Final

import sqlalchemy as sa

__all__ = [
    "NAMING",
    "entry",
    "inr_reading",
    "medication",
    "metadata",
    "own_food",
    "own_food_amount",
    "own_food_ingredient",
    "profile",
    "supplement",
    "supplement_amount",
]

NAMING: Final = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: Final = sa.MetaData(naming_convention=NAMING)

# Double precision on every backend, so floats round-trip exactly.
FLOAT: Final[sa.Double[float]] = sa.Double()

entry: Final = sa.Table(
    "entry",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("day", sa.Date, nullable=False, index=True),
    sa.Column("time", sa.String(5)),
    sa.Column("meal", sa.String(10)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("ref", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("quantity", FLOAT, nullable=False),
    sa.Column("unit", sa.Text, nullable=False),
    sa.Column("grams", FLOAT),
    sa.Column("amounts", sa.JSON, nullable=False),
    sa.Column(
        "created_at",
        sa.DateTime(timezone=True),
        nullable=False,
        server_default=sa.func.current_timestamp(),
    ),
    # Revision 0003: the entry's identity across diaries (a UUID), for idempotent imports.
    sa.Column("uid", sa.String(36), nullable=False, unique=True),
    sa.CheckConstraint("kind IN ('food', 'supplement')", name="kind"),
    sa.CheckConstraint("meal IN ('breakfast', 'lunch', 'dinner', 'snack')", name="meal"),
    sa.CheckConstraint("quantity > 0", name="quantity"),
    sa.CheckConstraint("grams > 0", name="grams"),
)

profile: Final = sa.Table(
    "profile",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("sex", sa.String(6)),
    sa.Column("birth_date", sa.Date),
    sa.Column("weight_kg", FLOAT),
    sa.Column("pregnant", sa.Boolean, nullable=False),
    sa.Column("lactating", sa.Boolean, nullable=False),
    sa.Column("kidney", sa.String(12)),  # revision 0002
    sa.CheckConstraint("id = 1", name="single_row"),
    sa.CheckConstraint("sex IN ('female', 'male')", name="sex"),
    sa.CheckConstraint("kidney IN ('ckd', 'dialysis', 'transplant')", name="kidney"),
)

medication: Final = sa.Table(
    "medication",
    metadata,
    sa.Column(
        "profile_id",
        sa.Integer,
        sa.ForeignKey("profile.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
)

supplement: Final = sa.Table(
    "supplement",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False),
    # name.casefold(): names are unique regardless of case, on every backend.
    sa.Column("name_key", sa.Text, nullable=False, unique=True),
    sa.Column("unit", sa.Text, nullable=False),
    sa.Column("note", sa.Text),
)

supplement_amount: Final = sa.Table(
    "supplement_amount",
    metadata,
    sa.Column(
        "supplement_id",
        sa.Integer,
        sa.ForeignKey("supplement.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("nutrient", sa.Text, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("amount", FLOAT, nullable=False),
)

# Revision 0002: the INR log of people on vitamin K antagonists.
inr_reading: Final = sa.Table(
    "inr_reading",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("day", sa.Date, nullable=False, index=True),
    sa.Column("value", FLOAT, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column(
        "created_at",
        sa.DateTime(timezone=True),
        nullable=False,
        server_default=sa.func.current_timestamp(),
    ),
    # Revision 0003: the reading's identity across diaries (a UUID), for idempotent restores.
    sa.Column("uid", sa.String(36), nullable=False, unique=True),
    sa.CheckConstraint("value > 0", name="value"),
)

# Revision 0004: your own foods (from a label) and recipes. A definition that entries or
# recipes refer to is never changed: a new version gets a new ``ref``, and the old row
# is kept with ``live_key`` NULL (retired), so only live names are unique.
own_food: Final = sa.Table(
    "own_food",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # "my:" and 8 hex digits: the id diary entries and backups refer to.
    sa.Column("ref", sa.String(16), nullable=False, unique=True),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    # name.casefold() while the food is live, NULL once retired.
    sa.Column("live_key", sa.Text, unique=True),
    sa.Column("version", sa.Integer, nullable=False),
    # A label food: its serving ("1 bar" of 40 g).
    sa.Column("per_quantity", FLOAT),
    sa.Column("per_unit", sa.Text),
    sa.Column("per_grams", FLOAT),
    # A recipe: its servings, cooked weight and text as written.
    sa.Column("serves", FLOAT),
    sa.Column("yield_g", FLOAT),
    sa.Column("text", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column(
        "created_at",
        sa.DateTime(timezone=True),
        nullable=False,
        server_default=sa.func.current_timestamp(),
    ),
    sa.CheckConstraint("kind IN ('label', 'recipe')", name="kind"),
    sa.CheckConstraint("version >= 1", name="version"),
    sa.CheckConstraint("per_grams > 0", name="per_grams"),
    sa.CheckConstraint("serves > 0", name="serves"),
    sa.CheckConstraint("yield_g > 0", name="yield_g"),
)

own_food_amount: Final = sa.Table(
    "own_food_amount",
    metadata,
    sa.Column(
        "own_food_id",
        sa.Integer,
        sa.ForeignKey("own_food.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("nutrient", sa.Text, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    # Per the label's serving, in the nutrient's own unit; 0 when the label says none.
    sa.Column("amount", FLOAT, nullable=False),
    sa.CheckConstraint("amount >= 0", name="amount"),
)

own_food_ingredient: Final = sa.Table(
    "own_food_ingredient",
    metadata,
    sa.Column(
        "own_food_id",
        sa.Integer,
        sa.ForeignKey("own_food.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("ref", sa.Text, nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("grams", FLOAT, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.CheckConstraint("grams > 0", name="grams"),
)
