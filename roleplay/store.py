"""Practice records: producers, sessions, every turn, and scorecards (SQLAlchemy 2).

A sales manager needs to see who practised what, how it went, and where producers made callers
repeat themselves. Each turn is committed the moment it is said, so a crash or a Ctrl-C loses
nothing already said; several producers may practise at once against the same database, from
threads or processes (each write is its own short transaction, retried while the database is
locked by another writer).

The database is SQLite in the user's data directory by default, or any SQLAlchemy URL given
explicitly, through ``--db`` or the ``HANDOFF_LAB_DB`` environment variable (e.g.
``postgresql+psycopg://user@host/handoff``; the driver must be installed). SQLite runs in WAL
mode with a 30 s busy timeout; writes take the write lock up front (``BEGIN IMMEDIATE``).

The schema is versioned by Alembic (:mod:`roleplay.migrations`): opening a store creates it at
the newest revision, or upgrades it in place (records made before migrations included), safely
when several producers open a new store at the same instant. Anything wrong with the URL, the
path, the file or the server raises :class:`StoreError` naming the database and the problem.

Recordings of spoken turns are not kept unless the trainer turns it on: ``keep_audio_days``
(or ``HANDOFF_LAB_AUDIO_DAYS``) is how many days a producer's recorded turn is kept, as a WAV
file readable only by its owner, in ``audio_dir`` (beside a SQLite file, else in the user's
data directory); older recordings are deleted whenever one is saved (:meth:`Store.purge_audio`).
The database itself holds only what a typed turn holds, plus the engine and whether the
transcript was corrected.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import random
import re
import secrets
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import platformdirs
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError
from sqlalchemy.orm import sessionmaker

from roleplay import migrations
from roleplay.migrations.engines import StoreError, make_engine, problem, shown, transient
from roleplay.migrations.schema import (
    Base,
    ProducerRow,
    ScorecardRow,
    SecretRow,
    SessionRow,
    TurnRow,
)

__all__ = [
    "AUDIO_DAYS_ENV",
    "ENV_VAR",
    "Base",
    "ProducerRow",
    "ScorecardRow",
    "SecretRow",
    "SessionRow",
    "Store",
    "StoreError",
    "TurnRow",
    "UnknownProducerError",
    "default_url",
]

ENV_VAR = "HANDOFF_LAB_DB"
"""Environment variable holding a SQLAlchemy URL for the records."""

AUDIO_DAYS_ENV = "HANDOFF_LAB_AUDIO_DAYS"
"""Environment variable: days to keep recordings of spoken turns (unset or 0: not kept)."""

RETRY_SECONDS = 60.0
"""How long a write keeps retrying while the database reports itself locked or busy."""

T = TypeVar("T")


def _now() -> datetime:
    return datetime.now(UTC)


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


def _audio_days(where: str, days: float | None) -> float:
    source, shown_value = "keep_audio_days", repr(days)
    if days is None:
        raw = os.environ.get(AUDIO_DAYS_ENV, "").strip()
        source, shown_value = AUDIO_DAYS_ENV, repr(raw)
        try:
            days = float(raw or "0")
        except ValueError:
            days = float("nan")
    if not 0 <= days < float("inf"):
        raise StoreError(where, f"{source}={shown_value} is not a number of days (0 or more)")
    return float(days)


def _audio_dir(url: str) -> Path:
    """Beside a SQLite file (``roleplay.sqlite3-audio/``), else in the user's data directory."""
    database = url.partition(":///")[2] if url.startswith("sqlite") else ""
    if database and not database.startswith((":memory:", "file::memory:")):
        path = Path(database.split("?")[0]).expanduser()
        return path.with_name(path.name + "-audio")
    return Path(platformdirs.user_data_dir("handoff-lab", appauthor=False)) / "audio"


class Store:
    """Records of practice sessions. ``Store()`` uses :func:`default_url`.

    ``keep_audio_days`` (default ``$HANDOFF_LAB_AUDIO_DAYS``, else 0: never) and ``audio_dir``:
    the trainer's setting for recordings of spoken turns (see the module docstring).
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        keep_audio_days: float | None = None,
        audio_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.url = url or default_url()
        where = shown(self.url)
        self.keep_audio_days = _audio_days(where, keep_audio_days)
        self.audio_dir = Path(audio_dir) if audio_dir is not None else _audio_dir(self.url)
        self.engine = make_engine(self.url)
        try:
            # Many producers opening a new store at once queue on its write lock; one that waits
            # longer than the busy timeout (a slow disk, a loaded machine) tries again.
            self._retry(lambda: migrations.upgrade(self.engine, Base.metadata))
        except migrations.NewerSchemaError as exc:
            self.engine.dispose()
            raise StoreError(where, str(exc)) from None
        except DBAPIError as exc:
            self.engine.dispose()
            raise StoreError(where, problem(exc, self.engine.dialect.name)) from None
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        self._writer = sessionmaker(writer, expire_on_commit=False)
        self._secrets: dict[str, bytes] = {}

    def __repr__(self) -> str:
        return f"Store({shown(self.url)!r})"

    @property
    def location(self) -> str:
        """Where the records are, for people: the SQLite file, or the database (its password
        hidden)."""
        try:
            url = make_url(self.url)
        except ArgumentError:
            return "a database"
        if url.get_backend_name() == "sqlite":
            return f"the SQLite file {url.database}" if url.database else "an in-memory database"
        return f"the {url.get_backend_name()} database {shown(self.url)}"

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def schema_revision(self) -> str:
        """The Alembic revision the records are at (the newest one, once opened)."""
        with self.engine.connect() as conn:
            return ", ".join(migrations.current(conn))

    # --- retries ----------------------------------------------------------------------------

    def _retry(self, work: Callable[[], T]) -> T:
        """Run ``work`` again (with jittered backoff) while another writer holds the lock."""
        delay, deadline = 0.01, time.monotonic() + RETRY_SECONDS
        while True:
            try:
                return work()
            except DBAPIError as exc:
                if not transient(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(random.uniform(delay / 2, delay))
            delay = min(delay * 2, 0.5)

    def _write(self, work: Callable[[Any], T]) -> T:
        """Run ``work(db)`` in its own write transaction, committed on return, retried."""

        def once() -> T:
            with self._writer.begin() as db:
                return work(db)

        return self._retry(once)

    def _read(self, work: Callable[[Any], T]) -> T:
        def once() -> T:
            with self._session() as db:
                return work(db)

        return self._retry(once)

    # --- secrets ----------------------------------------------------------------------------

    def store_secret(self, name: str = "pii") -> bytes:
        """This store's random 32-byte key called ``name``, made on first use (race-safe: the
        first writer wins and everyone reads its key). For call-id/PII hashing."""
        if name not in self._secrets:

            def stored(db: Any) -> bytes | None:
                return db.scalar(select(SecretRow.value).where(SecretRow.name == name))

            value = self._read(stored)
            if value is None:
                try:
                    key = secrets.token_bytes(32)
                    self._write(lambda db: db.add(SecretRow(name=name, value=key)))
                except IntegrityError:
                    pass  # another process made it first: use theirs
                value = self._read(stored)
            assert value is not None
            self._secrets[name] = bytes(value)
        return self._secrets[name]

    def pseudonym(self, value: str, name: str = "pii") -> str:
        """HMAC-SHA256 of ``value`` under :meth:`store_secret` (hex): stable in this store,
        meaningless outside it."""
        return hmac.new(self.store_secret(name), value.encode(), hashlib.sha256).hexdigest()

    # --- writes -----------------------------------------------------------------------------

    @staticmethod
    def _producer_id(db: Any, name: str) -> int:
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
        sid = session_id or uuid.uuid4().hex

        def work(db: Any) -> None:
            pid = self._producer_id(db, producer)
            db.add(
                SessionRow(
                    id=sid,
                    producer_id=pid,
                    trigger=trigger,
                    seed=seed,
                    difficulty=difficulty,
                    packet=packet,
                    whisper=whisper,
                )
            )

        for attempt in range(3):
            try:
                self._write(work)
                break
            except IntegrityError:  # two writers created the same producer: retry, it exists
                if attempt == 2:
                    raise
        return sid

    def add_turn(
        self,
        session_id: str,
        idx: int,
        speaker: str,
        text: str,
        hits: list[dict] | None = None,
        repeat_explains: list[str] | None = None,
        *,
        transcript_corrected: bool = False,
        engine: str | None = None,
    ) -> None:
        """Commit one turn immediately (``engine``: the speech engine of a spoken turn;
        ``transcript_corrected``: its recognised text was corrected)."""
        row = dict(
            session_id=session_id,
            idx=idx,
            speaker=speaker,
            text=text,
            hits=hits or [],
            repeat_explains=repeat_explains or [],
            transcript_corrected=bool(transcript_corrected),
            engine=engine,
        )
        self._write(lambda db: db.add(TurnRow(**row)))

    def finish_session(self, session_id: str, scorecard: dict) -> None:
        """Store the scorecard (with its certification progress) and mark the session scored."""
        details = json.loads(json.dumps(scorecard, default=str))
        cert = details.get("certification") or None

        def work(db: Any) -> None:
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
                    details=details,
                    certification=cert,
                    ready=bool(cert.get("ready")) if cert else None,
                )
            )

        self._write(work)

    def abandon_session(self, session_id: str) -> None:
        """Mark a session left without a scorecard (Ctrl-C, EOF); its turns stay."""

        def work(db: Any) -> None:
            row = db.get(SessionRow, session_id)
            if row is not None and row.status == "open":
                row.status = "abandoned"
                row.ended_at = _now()

        self._write(work)

    # --- recordings of spoken turns ------------------------------------------------------------

    @property
    def keeps_audio(self) -> bool:
        """Whether the trainer turned on keeping recordings (``keep_audio_days`` > 0)."""
        return self.keep_audio_days > 0

    def _audio_path(self, session_id: str, idx: int) -> Path:
        if not re.fullmatch(r"[\w-]+", session_id):
            raise ValueError(f"session id {session_id!r} cannot name a recording")
        return self.audio_dir / session_id / f"turn-{int(idx):03d}.wav"

    def save_turn_audio(self, session_id: str, idx: int, wav: bytes) -> Path | None:
        """Keep the recording of turn ``idx`` if the trainer turned it on (else None); owner
        read/write only; recordings past the retention are deleted first."""
        if not self.keeps_audio:
            return None
        self.purge_audio()
        path = self._audio_path(session_id, idx)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(wav)
        return path

    def turn_audio(self, session_id: str, idx: int) -> bytes | None:
        """The kept recording of turn ``idx`` (None when not kept or past the retention)."""
        path = self._audio_path(session_id, idx)
        return path.read_bytes() if path.is_file() else None

    def purge_audio(self, now: float | None = None) -> int:
        """Delete recordings older than ``keep_audio_days`` (all of them when keeping is
        off); returns how many were deleted."""
        if not self.audio_dir.is_dir():
            return 0
        cutoff = (time.time() if now is None else now) - self.keep_audio_days * 86400.0
        removed = 0
        for folder in self.audio_dir.iterdir():
            for wav in folder.glob("turn-*.wav") if folder.is_dir() else ():
                if not self.keeps_audio or wav.stat().st_mtime < cutoff:
                    wav.unlink(missing_ok=True)
                    removed += 1
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        return removed

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
                    "transcript_corrected": bool(r.transcript_corrected),
                    "engine": r.engine,
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
