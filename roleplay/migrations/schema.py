"""The practice-records tables at the newest revision (SQLAlchemy 2 ORM models).

:mod:`roleplay.store` reads and writes them; the revisions in ``versions/`` build the same
schema step by step (``tests/roleplay/test_store_migrations.py`` checks that they agree). A
change here needs a new revision.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "ProducerRow", "ScorecardRow", "SecretRow", "SessionRow", "TurnRow"]


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class ProducerRow(Base):
    __tablename__ = "producers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class SessionRow(Base):
    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(64))
    seed: Mapped[int] = mapped_column(Integer)
    difficulty: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")
    """open, scored or abandoned."""
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    packet: Mapped[dict] = mapped_column(JSON)
    whisper: Mapped[str] = mapped_column(Text)


class TurnRow(Base):
    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("session_id", "idx"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    hits: Mapped[list] = mapped_column(JSON, default=list)
    repeat_explains: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    transcript_corrected: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    """A spoken turn whose recognised text the producer corrected (revision 0002)."""
    engine: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """The speech engine that heard a spoken turn; None when typed (revision 0002)."""


class ScorecardRow(Base):
    __tablename__ = "scorecards"
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    repeat_explain_count: Mapped[int] = mapped_column(Integer)
    disposition: Mapped[str] = mapped_column(String(32))
    real_need: Mapped[str] = mapped_column(String(32))
    disposition_correct: Mapped[bool] = mapped_column(Boolean)
    details: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    certification: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    """The producer's certification progress when the card was made (revision 0002)."""
    ready: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    """Whether that progress made the producer ready for live transfers (revision 0002)."""


class SecretRow(Base):
    __tablename__ = "secrets"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
