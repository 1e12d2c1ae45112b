"""The directory: doors of every kind with appointment links, opening hours
in OpenStreetMap syntax, how strong their facts are, retirement, a history
of changes, reports from users, and staff limited to their gemeenten.

Revision ID: b7d1e4a2c9f0
Revises: 287aa151c435
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7d1e4a2c9f0"
down_revision: str | Sequence[str] | None = "287aa151c435"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("counters") as batch:
        batch.add_column(sa.Column("appointment_url", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("status", sa.String(length=16), nullable=False, server_default="unchecked"))
        batch.add_column(sa.Column("retired_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("updated_by", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("walk_in_flag", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE counters SET status = CASE WHEN confirmed THEN 'confirmed' ELSE 'unchecked' END")
    op.execute("UPDATE counters SET walk_in_flag = (walk_in IS NOT NULL AND walk_in <> '')")
    with op.batch_alter_table("counters") as batch:
        batch.drop_column("confirmed")
        batch.drop_column("walk_in")
    with op.batch_alter_table("counters") as batch:
        batch.alter_column(
            "walk_in_flag",
            new_column_name="walk_in",
            server_default=None,
            existing_type=sa.Boolean(),
            existing_nullable=False,
        )
        batch.alter_column("status", server_default=None, existing_type=sa.String(length=16))
    with op.batch_alter_table("chat_users") as batch:
        batch.add_column(sa.Column("pending_report", sa.Integer(), nullable=True))
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("phone_source_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("no_national_number", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("organisations") as batch:
        batch.alter_column("no_national_number", server_default=None, existing_type=sa.Boolean())
    op.create_table(
        "door_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("door_name", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_door_changes_counter_id", "door_changes", ["counter_id"])
    op.create_table(
        "door_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=120), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_door_reports_open", "door_reports", ["counter_id", "resolved_at"])
    op.create_table(
        "loaded_data",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "staff_gemeenten",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("gemeente_code", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_members.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("staff_id", "gemeente_code"),
    )


def downgrade() -> None:
    with op.batch_alter_table("chat_users") as batch:
        batch.drop_column("pending_report")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("no_national_number")
        batch.drop_column("phone_source_date")
    op.drop_table("staff_gemeenten")
    op.drop_table("loaded_data")
    op.drop_index("ix_door_reports_open", table_name="door_reports")
    op.drop_table("door_reports")
    op.drop_index("ix_door_changes_counter_id", table_name="door_changes")
    op.drop_table("door_changes")
    with op.batch_alter_table("counters") as batch:
        batch.add_column(sa.Column("confirmed", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("walk_in_text", sa.String(length=300), nullable=True))
    op.execute("UPDATE counters SET confirmed = (status = 'confirmed')")
    with op.batch_alter_table("counters") as batch:
        batch.drop_column("walk_in")
        batch.drop_column("updated_by")
        batch.drop_column("retired_at")
        batch.drop_column("status")
        batch.drop_column("appointment_url")
    with op.batch_alter_table("counters") as batch:
        batch.alter_column("walk_in_text", new_column_name="walk_in", existing_type=sa.String(length=300))
