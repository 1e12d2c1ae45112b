"""The staff workspace: escalations from every front-end with a contact
person and a closing outcome; an outbox that delivers to the user and to the
forum topic separately; NLU corrections, follow-ups ("is het gelukt?") and
handover cards.

Revision ID: c4e8a1f30b6d
Revises: b7d1e4a2c9f0
Create Date: 2026-12-02 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4e8a1f30b6d"
down_revision: str | Sequence[str] | None = "b7d1e4a2c9f0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("escalations") as batch:
        batch.add_column(sa.Column("channel", sa.String(length=16), nullable=False, server_default="tg"))
        batch.add_column(sa.Column("claimed_by_staff", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("contact_staff", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("contact_telegram", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("contact_name", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("close_outcome", sa.String(length=16), nullable=True))
        batch.create_foreign_key(
            "fk_escalations_claimed_by_staff", "staff_members", ["claimed_by_staff"], ["id"], ondelete="SET NULL"
        )
        batch.create_foreign_key(
            "fk_escalations_contact_staff", "staff_members", ["contact_staff"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("escalations") as batch:
        batch.alter_column("channel", server_default=None, existing_type=sa.String(length=16))

    with op.batch_alter_table("escalation_messages") as batch:
        batch.add_column(sa.Column("author", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("origin", sa.String(length=16), nullable=False, server_default="bot"))
        batch.add_column(sa.Column("intent", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("to_user", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("to_topic", sa.Boolean(), nullable=False, server_default=sa.false()))
    # What was not delivered yet still goes: a user's message to the topic,
    # anything else to the user.
    op.execute("UPDATE escalation_messages SET origin = 'tg' WHERE sender IN ('user', 'staff')")
    op.execute("UPDATE escalation_messages SET to_topic = (NOT delivered AND sender = 'user')")
    op.execute("UPDATE escalation_messages SET to_user = (NOT delivered AND sender <> 'user')")
    with op.batch_alter_table("escalation_messages") as batch:
        batch.drop_index("ix_escalation_messages_undelivered")
        batch.drop_column("delivered")
        batch.alter_column("origin", server_default=None, existing_type=sa.String(length=16))
        batch.alter_column("to_user", server_default=None, existing_type=sa.Boolean())
        batch.alter_column("to_topic", server_default=None, existing_type=sa.Boolean())
        batch.create_index("ix_escalation_messages_to_user", ["to_user"], unique=False)
        batch.create_index("ix_escalation_messages_to_topic", ["to_topic"], unique=False)

    op.create_table(
        "nlu_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("understood", sa.String(length=64), nullable=True),
        sa.Column("intent", sa.String(length=64), nullable=False),
        sa.Column("marked_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["escalation_messages.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("user_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("topic", sa.String(length=40), nullable=True),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("door_name", sa.String(length=200), nullable=False),
        sa.Column("door_kind", sa.String(length=32), nullable=True),
        sa.Column("gemeente_code", sa.String(length=8), nullable=True),
        sa.Column("gemeente", sa.String(length=120), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_follow_ups_pseudonym", "follow_ups", ["pseudonym"], unique=False)
    op.create_index("ix_follow_ups_due", "follow_ups", ["status", "due_at"], unique=False)
    op.create_table(
        "handover_cards",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    op.create_index("ix_handover_cards_expires_at", "handover_cards", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_handover_cards_expires_at", table_name="handover_cards")
    op.drop_table("handover_cards")
    op.drop_index("ix_follow_ups_due", table_name="follow_ups")
    op.drop_index("ix_follow_ups_pseudonym", table_name="follow_ups")
    op.drop_table("follow_ups")
    op.drop_table("nlu_corrections")
    with op.batch_alter_table("escalation_messages") as batch:
        batch.add_column(sa.Column("delivered", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.execute("UPDATE escalation_messages SET delivered = NOT (to_user OR to_topic)")
    with op.batch_alter_table("escalation_messages") as batch:
        batch.drop_index("ix_escalation_messages_to_topic")
        batch.drop_index("ix_escalation_messages_to_user")
        batch.drop_column("to_topic")
        batch.drop_column("to_user")
        batch.drop_column("intent")
        batch.drop_column("origin")
        batch.drop_column("author")
        batch.alter_column("delivered", server_default=None, existing_type=sa.Boolean())
        batch.create_index("ix_escalation_messages_undelivered", ["delivered"], unique=False)
    with op.batch_alter_table("escalations") as batch:
        batch.drop_constraint("fk_escalations_contact_staff", type_="foreignkey")
        batch.drop_constraint("fk_escalations_claimed_by_staff", type_="foreignkey")
        batch.drop_column("close_outcome")
        batch.drop_column("contact_name")
        batch.drop_column("contact_telegram")
        batch.drop_column("contact_staff")
        batch.drop_column("claimed_by_staff")
        batch.drop_column("channel")
