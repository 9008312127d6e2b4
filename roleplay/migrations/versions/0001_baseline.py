"""Baseline: the practice-records schema as it was before migrations (create_all era).

Each table is created only when missing, so a store made by the old ``create_all`` (no
``alembic_version`` table) is adopted in place with its rows, and a store that an interrupted
``create_all`` left half made is completed.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _producers() -> None:
    op.create_table(
        "producers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_producers_name", "producers", ["name"], unique=True)


def _sessions() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("producer_id", sa.Integer, sa.ForeignKey("producers.id"), nullable=False),
        sa.Column("trigger", sa.String(64), nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("difficulty", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("packet", sa.JSON, nullable=False),
        sa.Column("whisper", sa.Text, nullable=False),
    )
    op.create_index("ix_sessions_producer_id", "sessions", ["producer_id"])


def _turns() -> None:
    op.create_table(
        "turns",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.String(32), sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("speaker", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("hits", sa.JSON, nullable=False),
        sa.Column("repeat_explains", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("session_id", "idx"),
    )
    op.create_index("ix_turns_session_id", "turns", ["session_id"])


def _scorecards() -> None:
    op.create_table(
        "scorecards",
        sa.Column("session_id", sa.String(32), sa.ForeignKey("sessions.id"), primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("passed", sa.Boolean, nullable=False),
        sa.Column("repeat_explain_count", sa.Integer, nullable=False),
        sa.Column("disposition", sa.String(32), nullable=False),
        sa.Column("real_need", sa.String(32), nullable=False),
        sa.Column("disposition_correct", sa.Boolean, nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


TABLES = {
    "producers": _producers,
    "sessions": _sessions,
    "turns": _turns,
    "scorecards": _scorecards,
}


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, create in TABLES.items():
        if name not in existing:
            create()


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
