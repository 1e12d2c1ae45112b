"""The user's voice: "u" or "je" beside the language.

Revision ID: d2f6b8c1e7a4
Revises: c4e8a1f30b6d
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d2f6b8c1e7a4"
down_revision: str | Sequence[str] | None = "c4e8a1f30b6d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("chat_users") as batch:
        batch.add_column(sa.Column("form", sa.String(length=4), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("chat_users") as batch:
        batch.drop_column("form")
