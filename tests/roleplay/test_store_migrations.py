"""Schema migrations (roleplay/migrations, Alembic run in code), on SQLite and PostgreSQL.

A store made by the code before migrations (its ``create_all`` of the tables below, copied here
as they were in roleplay/store.py at commit 0b82816) is upgraded in place with its rows intact;
the baseline revision builds exactly that schema; a new store is created at head and matches
the models; revisions go down and up again; a store from a newer version is refused; several
producers opening an old store at the same instant upgrade it once, without errors.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
import time
import traceback
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
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
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.pool import NullPool

import roleplay.migrations as migrations
from roleplay import Session, Store, trainer
from roleplay.certification import certification
from roleplay.store import Base, ScorecardRow, StoreError, TurnRow


def _now() -> datetime:
    return datetime.now(UTC)


class OldBase(DeclarativeBase):
    pass


class OldProducer(OldBase):
    __tablename__ = "producers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class OldSession(OldBase):
    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(64))
    seed: Mapped[int] = mapped_column(Integer)
    difficulty: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    packet: Mapped[dict] = mapped_column(JSON)
    whisper: Mapped[str] = mapped_column(Text)


class OldTurn(OldBase):
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


class OldScorecard(OldBase):
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


OLD_TABLES = ["producers", "sessions", "turns", "scorecards"]


def _engine(url: str) -> Engine:
    return create_engine(url, poolclass=NullPool)


def make_old_store(url: str, good_lines: Any) -> dict[str, Any]:
    """A store as the code before migrations made it, with a scored, an abandoned and an open
    session written the way that code wrote them; what was written."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = _engine(url)
    OldBase.metadata.create_all(engine)
    played = Session.start("human_request", seed=4, producer="Ana")  # no store: just the card
    for line in good_lines(played):
        played.say(line)
    card = played.end(played.persona.real_need)
    cert = certification("Ana", [("complex_pricing", True), (card.trigger, card.passed)])
    card = replace(card, certification=cert)  # as a card made with the records at hand
    with DbSession(engine) as db, db.begin():
        ana, ben = OldProducer(name="Ana"), OldProducer(name="Ben")
        db.add_all([ana, ben])
        db.flush()
        for sid, who, status in [("s1", ana, "scored"), ("s2", ben, "abandoned"),
                                 ("s3", ben, "open")]:  # fmt: skip
            db.add(OldSession(id=sid, producer_id=who.id, trigger="human_request", seed=4,
                              difficulty="standard", status=status, packet={"caller": sid},
                              whisper=f"whisper {sid}"))  # fmt: skip
            db.flush()
            for i, turn in enumerate(played.transcript[:5]):
                db.add(OldTurn(session_id=sid, idx=i, speaker=turn.speaker, text=turn.text,
                               hits=[{"field": "x"}] if i == 1 else [],
                               repeat_explains=["contact_number"] if i == 1 else []))  # fmt: skip
        d = card.to_dict()
        db.add(OldScorecard(session_id="s1", score=d["score"], passed=d["passed"],
                            repeat_explain_count=d["repeat_explain_count"],
                            disposition=d["disposition"], real_need=d["real_need"],
                            disposition_correct=d["disposition_correct"], details=d))  # fmt: skip
    rows = dump(engine)
    engine.dispose()
    return {"card": card, "rows": rows, "transcript": played.transcript[:5]}


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of the old tables, old columns only, in a stable order."""
    out = {}
    with engine.connect() as conn:
        for name in OLD_TABLES:
            table = OldBase.metadata.tables[name]
            order = list(table.primary_key.columns)
            out[name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    return out


def schema(engine: Engine, skip: tuple[str, ...] = ("alembic_version",)) -> dict[str, Any]:
    """The reflected schema: columns, keys, indexes and unique constraints per table."""
    found = inspect(engine)
    out: dict[str, Any] = {}
    for name in sorted(set(found.get_table_names()) - set(skip)):
        out[name] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"])
                        for c in found.get_columns(name)],
            "pk": found.get_pk_constraint(name)["constrained_columns"],
            "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"],
                           tuple(f["referred_columns"])) for f in found.get_foreign_keys(name)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in found.get_indexes(name)),
            "unique": sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(name)),
        }  # fmt: skip
    return out


# --- tests ---------------------------------------------------------------------------------


def test_old_store_upgrades_in_place_with_its_rows(backend_url, good_lines):
    old = make_old_store(backend_url, good_lines)
    store = Store(backend_url)
    assert store.schema_revision() == migrations.HEAD
    assert dump(store.engine) == old["rows"]  # every old row, every old value, unchanged
    # The new columns have their defaults, and the cards their certification from `details`.
    with DbSession(store.engine) as db:
        turns = db.scalars(select(TurnRow)).all()
        assert len(turns) == 15
        assert {(t.transcript_corrected, t.engine) for t in turns} == {(False, None)}
        card = db.get(ScorecardRow, "s1")
        assert card is not None
        assert card.certification == old["card"].to_dict()["certification"]
        assert card.ready is old["card"].certification.ready
    # The lab reads the old records as before...
    assert trainer.stored_scorecard(store, "s1") == old["card"]
    assert list(trainer.scorecards(store)["session_id"]) == ["s1"]
    frame = store.sessions_frame().set_index("session_id")
    assert frame["status"].to_dict() == {"s1": "scored", "s2": "abandoned", "s3": "open"}
    rows = store.turns("s2")
    assert [(r["speaker"], r["text"]) for r in rows] == [
        (t.speaker, t.text) for t in old["transcript"]]  # fmt: skip
    assert rows[1]["repeat_explains"] == ["contact_number"]
    # ...and writes new ones next to them.
    store.add_turn("s3", 5, "producer", "Back again.", engine="vosk")
    assert store.turns("s3")[-1]["engine"] == "vosk"
    s = Session.start("complex_pricing", seed=1, producer="Ben", store=store)
    s.end("pricing_question")
    assert store.producers() == ["Ana", "Ben"]
    assert len(store.store_secret()) == 32
    store.close()
    Store(backend_url).close()  # opening again changes nothing
    assert dump(_engine(backend_url))["producers"] == old["rows"]["producers"]


def test_baseline_revision_is_the_schema_before_migrations(backend_url):
    if backend_url.startswith("sqlite:///"):
        Path(backend_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = _engine(backend_url)
    OldBase.metadata.create_all(engine)
    before = schema(engine)
    OldBase.metadata.drop_all(engine)
    migrations.upgrade(engine, Base.metadata, revision="0001")
    with engine.connect() as conn:
        assert migrations.current(conn) == ("0001",)
    assert schema(engine) == before
    assert sorted(before) == sorted(OLD_TABLES)
    engine.dispose()


def test_new_store_is_at_head_and_matches_the_models(backend_url):
    store = Store(backend_url)
    assert store.schema_revision() == migrations.HEAD
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []  # a model changed without a revision would show here
    store.close()


def test_half_made_old_store_is_completed(backend_url):
    if backend_url.startswith("sqlite:///"):
        Path(backend_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = _engine(backend_url)
    OldBase.metadata.create_all(engine, tables=[OldBase.metadata.tables["producers"]])
    with engine.begin() as conn:
        conn.execute(
            OldBase.metadata.tables["producers"].insert(), {"name": "Ana", "created_at": _now()}
        )
    engine.dispose()
    store = Store(backend_url)
    assert store.producers() == ["Ana"]
    assert {"sessions", "turns", "scorecards", "secrets"} <= set(
        inspect(store.engine).get_table_names()
    )
    store.close()


def test_latest_revision_goes_down_and_up_again(backend_url):
    store = Store(backend_url)
    sid = store.start_session(producer="Ana", trigger="complex_pricing", seed=1,
                              difficulty="standard", packet={}, whisper="w")  # fmt: skip
    store.add_turn(sid, 0, "caller", "Hello?", engine="vosk")
    with store.engine.connect() as conn, conn.begin():
        command.downgrade(migrations.config(conn, Base.metadata), "0001")
    columns = {c["name"] for c in inspect(store.engine).get_columns("turns")}
    assert "engine" not in columns
    assert "secrets" not in inspect(store.engine).get_table_names()
    store.close()
    again = Store(backend_url)  # at 0001 (stamped, not pre-migration): upgraded to head
    assert again.schema_revision() == migrations.HEAD
    assert [(r["text"], r["engine"]) for r in again.turns(sid)] == [("Hello?", None)]
    again.close()


def test_store_from_a_newer_version_is_refused(backend_url):
    Store(backend_url).close()
    engine = _engine(backend_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="revision 9999, newer than this version"):
        Store(backend_url)


def test_migrations_ship_in_the_package_and_need_no_ini(tmp_path, monkeypatch):
    folder = Path(migrations.__file__).parent
    assert folder.name == "migrations"
    assert folder.parent.name == "roleplay"
    assert (folder / "env.py").is_file()
    assert (folder / "script.py.mako").is_file()
    assert migrations.revisions() == ["0002", "0001"]
    assert migrations.revisions()[0] == migrations.HEAD
    monkeypatch.chdir(tmp_path)  # no alembic.ini anywhere near
    assert not list(folder.parent.parent.glob("alembic.ini"))
    store = Store("sqlite:///new.sqlite3")
    assert store.schema_revision() == migrations.HEAD
    store.close()


def open_old_store(url: str, barrier: Any, results: Any) -> None:
    """One producer's process opening the old store at the same instant as the others."""
    try:
        barrier.wait(timeout=300)
        store = Store(url)
        results.put((store.schema_revision(), len(store.turns("s1")), None))
        store.close()
    except BaseException:
        results.put((None, 0, traceback.format_exc()))


@pytest.mark.slow
def test_producers_opening_an_old_store_at_once_upgrade_it_once(backend_url, good_lines):
    old = make_old_store(backend_url, good_lines)
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["roleplay", "roleplay.store", __name__])
    n = 8
    barrier, results = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=open_old_store, args=(backend_url, barrier, results))
             for _ in range(n)]  # fmt: skip
    for p in procs:
        p.start()
    reports = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert [error for _, _, error in reports if error] == []
    assert reports == [(migrations.HEAD, 5, None)] * n
    engine = _engine(backend_url)
    assert dump(engine) == old["rows"]
    with engine.connect() as conn:
        assert migrations.current(conn) == (migrations.HEAD,)
    engine.dispose()


def _hold_write_lock(path, seconds: float) -> threading.Thread:
    """Another producer's process holding the new store's write lock for ``seconds``."""
    import sqlite3

    held = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(10)
    return thread


def test_opening_waits_out_a_lock_longer_than_the_busy_timeout(tmp_path, monkeypatch):
    # On a loaded machine a process can wait on a new store's lock for longer than SQLite's
    # busy timeout (CI saw "database is locked" with 16 producers): opening tries again.
    from roleplay.migrations import engines

    monkeypatch.setattr(engines, "SQLITE_BUSY_SECONDS", 0.1)
    path = tmp_path / "records.sqlite3"
    holder = _hold_write_lock(path, 1.0)
    started = time.monotonic()
    store = Store(f"sqlite:///{path}")
    waited = time.monotonic() - started
    holder.join()
    assert store.schema_revision() == migrations.HEAD
    assert waited >= 0.8  # it really waited for the other process, more than 0.1 s allowed
    store.close()


def test_a_lock_that_is_never_released_is_a_clear_error(tmp_path, monkeypatch):
    from roleplay import store as store_module
    from roleplay.migrations import engines

    monkeypatch.setattr(engines, "SQLITE_BUSY_SECONDS", 0.05)
    monkeypatch.setattr(store_module, "RETRY_SECONDS", 0.3)
    path = tmp_path / "records.sqlite3"
    holder = _hold_write_lock(path, 2.0)
    with pytest.raises(StoreError, match=r"records\.sqlite3.*database is locked"):
        Store(f"sqlite:///{path}")
    holder.join()
