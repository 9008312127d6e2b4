"""Spoken turns, certification on the scorecard, per-store secrets.

* ``turns.transcript_corrected`` (bool, false for typed turns) and ``turns.engine`` (the speech
  engine that heard a spoken turn; NULL when typed);
* ``scorecards.certification`` (the producer's certification progress when the card was made,
  :meth:`roleplay.certification.Certification.to_dict`) and ``scorecards.ready``, filled from
  ``details`` for the cards already stored;
* ``secrets``: per-store random keys (call-id/PII hashing), created on first use.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.add_column(
            sa.Column("transcript_corrected", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("engine", sa.String(64), nullable=True))
    with op.batch_alter_table("scorecards") as batch:
        batch.add_column(sa.Column("certification", sa.JSON, nullable=True))
        batch.add_column(sa.Column("ready", sa.Boolean, nullable=True))
    op.create_table(
        "secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    cards = sa.table(
        "scorecards",
        sa.column("session_id", sa.String),
        sa.column("details", sa.JSON),
        sa.column("certification", sa.JSON),
        sa.column("ready", sa.Boolean),
    )
    bind = op.get_bind()
    stored = bind.execute(sa.select(cards.c.session_id, cards.c.details)).all()
    for session_id, details in stored:
        cert = (details or {}).get("certification")
        if cert:
            bind.execute(
                cards.update()
                .where(cards.c.session_id == session_id)
                .values(certification=cert, ready=bool(cert.get("ready")))
            )


def downgrade() -> None:
    op.drop_table("secrets")
    with op.batch_alter_table("scorecards") as batch:
        batch.drop_column("ready")
        batch.drop_column("certification")
    with op.batch_alter_table("turns") as batch:
        batch.drop_column("engine")
        batch.drop_column("transcript_corrected")
