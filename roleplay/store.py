"""Practice records: producers, sessions, every turn, and scorecards (SQLAlchemy 2).

A sales manager needs to see who practised what, how it went, and where producers made callers
repeat themselves. Each turn is committed the moment it is said, so a crash or a Ctrl-C loses
nothing already said; several producers may practise at once against the same database (each
write is its own short transaction on a thread-safe engine).

The database is SQLite in the user's data directory by default, or any SQLAlchemy URL given
explicitly, through ``--db`` or the ``HANDOFF_LAB_DB`` environment variable (e.g.
``postgresql+psycopg://user@host/handoff``; the driver must be installed).
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import platformdirs
from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

__all__ = ["ENV_VAR", "Store", "UnknownProducerError", "default_url"]

ENV_VAR = "HANDOFF_LAB_DB"
"""Environment variable holding a SQLAlchemy URL for the records."""


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


class UnknownProducerError(LookupError):
    """Raised for a producer with no records; the message lists the known ones."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        listed = ", ".join(known) if known else "none yet (run a practice call first)"
        super().__init__(f"Unknown producer {name!r}. Producers with records: {listed}.")


def default_url() -> str:
    """``HANDOFF_LAB_DB`` if set, else a SQLite file in the user's data directory."""
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    path = Path(platformdirs.user_data_dir("handoff-lab", appauthor=False)) / "roleplay.sqlite3"
    return f"sqlite:///{path}"


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = parsed.database or ""
    if database in ("", ":memory:"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if database not in ("", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine


class Store:
    """Records of practice sessions. ``Store()`` uses :func:`default_url`."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self.engine = _engine(self.url)
        Base.metadata.create_all(self.engine)
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    # --- writes -----------------------------------------------------------------------------

    def _producer_id(self, db: Any, name: str) -> int:
        row = db.scalar(select(ProducerRow).where(ProducerRow.name == name))
        if row is None:
            row = ProducerRow(name=name)
            db.add(row)
            db.flush()
        return row.id

    def start_session(
        self,
        *,
        producer: str,
        trigger: str,
        seed: int,
        difficulty: str,
        packet: dict,
        whisper: str,
        session_id: str | None = None,
    ) -> str:
        """Record a new session and return its id."""
        session_id = session_id or uuid.uuid4().hex
        for attempt in range(3):
            try:
                with self._session.begin() as db:
                    pid = self._producer_id(db, producer)
                    db.add(
                        SessionRow(
                            id=session_id,
                            producer_id=pid,
                            trigger=trigger,
                            seed=seed,
                            difficulty=difficulty,
                            packet=packet,
                            whisper=whisper,
                        )
                    )
                return session_id
            except IntegrityError:  # two threads created the same producer: retry, it exists
                if attempt == 2:
                    raise
        return session_id

    def add_turn(
        self,
        session_id: str,
        idx: int,
        speaker: str,
        text: str,
        hits: list[dict] | None = None,
        repeat_explains: list[str] | None = None,
    ) -> None:
        """Commit one turn immediately."""
        with self._session.begin() as db:
            db.add(
                TurnRow(
                    session_id=session_id,
                    idx=idx,
                    speaker=speaker,
                    text=text,
                    hits=hits or [],
                    repeat_explains=repeat_explains or [],
                )
            )

    def finish_session(self, session_id: str, scorecard: dict) -> None:
        """Store the scorecard and mark the session scored."""
        with self._session.begin() as db:
            row = db.get(SessionRow, session_id)
            if row is None:
                raise KeyError(session_id)
            row.status = "scored"
            row.ended_at = _now()
            db.add(
                ScorecardRow(
                    session_id=session_id,
                    score=scorecard["score"],
                    passed=scorecard["passed"],
                    repeat_explain_count=scorecard["repeat_explain_count"],
                    disposition=scorecard["disposition"],
                    real_need=scorecard["real_need"],
                    disposition_correct=scorecard["disposition_correct"],
                    details=json.loads(json.dumps(scorecard, default=str)),
                )
            )

    def abandon_session(self, session_id: str) -> None:
        """Mark a session left without a scorecard (Ctrl-C, EOF); its turns stay."""
        with self._session.begin() as db:
            row = db.get(SessionRow, session_id)
            if row is not None and row.status == "open":
                row.status = "abandoned"
                row.ended_at = _now()

    # --- reads ------------------------------------------------------------------------------

    def producers(self) -> list[str]:
        """Names of producers with at least one session, sorted."""
        with self._session() as db:
            return sorted(db.scalars(select(ProducerRow.name)))

    def require_producer(self, name: str) -> None:
        """Raise :class:`UnknownProducerError` unless ``name`` has records."""
        known = self.producers()
        if name not in known:
            raise UnknownProducerError(name, known)

    def turns(self, session_id: str) -> list[dict]:
        """The turns of one session in order."""
        with self._session() as db:
            rows = db.scalars(
                select(TurnRow).where(TurnRow.session_id == session_id).order_by(TurnRow.idx)
            )
            return [
                {
                    "idx": r.idx,
                    "speaker": r.speaker,
                    "text": r.text,
                    "hits": r.hits,
                    "repeat_explains": r.repeat_explains,
                }
                for r in rows
            ]

    def sessions_frame(self) -> pd.DataFrame:
        """One row per session with its scorecard columns (NaN/None if not scored)."""
        stmt = (
            select(SessionRow, ProducerRow.name, ScorecardRow)
            .join(ProducerRow, SessionRow.producer_id == ProducerRow.id)
            .outerjoin(ScorecardRow, ScorecardRow.session_id == SessionRow.id)
            .order_by(SessionRow.started_at, SessionRow.id)
        )
        records = []
        with self._session() as db:
            for s, name, card in db.execute(stmt):
                records.append(
                    {
                        "session_id": s.id,
                        "producer": name,
                        "trigger": s.trigger,
                        "difficulty": s.difficulty,
                        "seed": s.seed,
                        "status": s.status,
                        "started_at": s.started_at,
                        "ended_at": s.ended_at,
                        "score": card.score if card else None,
                        "passed": card.passed if card else None,
                        "repeat_explain_count": card.repeat_explain_count if card else None,
                        "disposition": card.disposition if card else None,
                        "real_need": card.real_need if card else None,
                        "disposition_correct": card.disposition_correct if card else None,
                    }
                )
        columns = [
            "session_id", "producer", "trigger", "difficulty", "seed", "status", "started_at",
            "ended_at", "score", "passed", "repeat_explain_count", "disposition", "real_need",
            "disposition_correct",
        ]  # fmt: skip
        return pd.DataFrame.from_records(records, columns=columns)

    def turns_frame(self) -> pd.DataFrame:
        """One row per producer turn with its re-asked fields (for re-ask analysis)."""
        stmt = (
            select(TurnRow, SessionRow.trigger, SessionRow.status, ProducerRow.name)
            .join(SessionRow, TurnRow.session_id == SessionRow.id)
            .join(ProducerRow, SessionRow.producer_id == ProducerRow.id)
            .where(TurnRow.speaker == "producer")
            .order_by(TurnRow.session_id, TurnRow.idx)
        )
        with self._session() as db:
            records = [
                {
                    "session_id": t.session_id,
                    "producer": name,
                    "trigger": trigger,
                    "status": status,
                    "idx": t.idx,
                    "text": t.text,
                    "repeat_explains": list(t.repeat_explains or []),
                }
                for t, trigger, status, name in db.execute(stmt)
            ]
        columns = ["session_id", "producer", "trigger", "status", "idx", "text", "repeat_explains"]
        return pd.DataFrame.from_records(records, columns=columns)
