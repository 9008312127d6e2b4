"""Many producers at once on a NEW store, as on an agency's shared machine: 16 processes, each a
different producer practising 3 sessions of several turns, all released by one barrier before
any of them has opened the store (so the schema is created under a race). Every turn must be
stored, in order, in its own session, with zero errors — on SQLite and on PostgreSQL. The
per-store secret is raced too: every process must end up with the same key."""

from __future__ import annotations

import multiprocessing as mp
import traceback
from typing import Any

import pytest

from roleplay import Session, Store, trainer
from roleplay.migrations import HEAD

PROCESSES = 16
SESSIONS = 3
LINES = 5
TRIGGERS = ["complex_pricing", "human_request", "coverage_mismatch"]
TURNS_PER_SESSION = 1 + 2 * LINES  # the caller's opening, then each line and its answer


def producer_name(k: int) -> str:
    return f"Producer {k:02d}"


def practise(url: str, k: int, barrier: Any, results: Any) -> None:
    """One producer's process: wait for everyone, open the store, practise, report."""
    try:
        barrier.wait(timeout=300)
        store = Store(url)
        sessions = []
        for j in range(SESSIONS):
            s = Session.start(TRIGGERS[j], seed=100 * k + j, producer=producer_name(k), store=store)
            for i in range(LINES):
                s.say(f"producer {k} session {j} line {i}")
            s.end(s.persona.real_need)
            sessions.append((s.id, [(t.speaker, t.text) for t in s.transcript]))
        key = store.store_secret().hex()
        store.close()
        results.put((k, sessions, key, None))
    except BaseException:  # reported to the parent, which fails the test
        results.put((k, [], None, traceback.format_exc()))


def _context() -> Any:
    ctx = mp.get_context("forkserver")
    # Children fork from a server that has already imported the lab, so all 16 are ready
    # within moments and the barrier, not the import time, decides when they start.
    ctx.set_forkserver_preload(["roleplay", "roleplay.store", __name__])
    return ctx


def run_producers(url: str, n: int = PROCESSES) -> tuple[dict[int, Any], dict[int, str]]:
    """Start ``n`` producer processes together; their sessions and keys, and any errors."""
    ctx = _context()
    barrier = ctx.Barrier(n)
    results = ctx.Queue()
    procs = [ctx.Process(target=practise, args=(url, k, barrier, results)) for k in range(n)]
    for p in procs:
        p.start()
    reports = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    done = {k: (sessions, key) for k, sessions, key, error in reports if error is None}
    errors = {k: error for k, _, _, error in reports if error is not None}
    errors.update({-1: f"exit codes {[p.exitcode for p in procs]}"} if any(
        p.exitcode != 0 for p in procs) else {})  # fmt: skip
    return done, errors


@pytest.mark.slow
def test_sixteen_producers_at_once_on_a_new_store(backend_url):
    done, errors = run_producers(backend_url)
    assert errors == {}
    assert sorted(done) == list(range(PROCESSES))

    store = Store(backend_url)
    assert store.schema_revision() == HEAD
    assert store.producers() == sorted(producer_name(k) for k in range(PROCESSES))
    frame = store.sessions_frame()
    assert len(frame) == PROCESSES * SESSIONS
    assert set(frame["status"]) == {"scored"}
    owner = dict(zip(frame["session_id"], frame["producer"], strict=True))
    stored_turns = 0
    for k, (sessions, _) in done.items():
        for j, (sid, said) in enumerate(sessions):
            assert owner[sid] == producer_name(k)
            rows = store.turns(sid)
            stored_turns += len(rows)
            assert [r["idx"] for r in rows] == list(range(TURNS_PER_SESSION))  # none lost
            assert [(r["speaker"], r["text"]) for r in rows] == said  # in order, as said
            mine = [r["text"] for r in rows if r["speaker"] == "producer"]
            assert mine == [f"producer {k} session {j} line {i}" for i in range(LINES)]
    assert stored_turns == PROCESSES * SESSIONS * TURNS_PER_SESSION
    turns = store.turns_frame()
    assert len(turns) == PROCESSES * SESSIONS * LINES  # the producers' turns, nothing else
    # One secret for the store, whoever made it.
    keys = {key for _, key in done.values()}
    assert len(keys) == 1
    assert keys == {store.store_secret().hex()}
    # The manager's views see everyone.
    assert len(trainer.scorecards(store)) == PROCESSES * SESSIONS
    summary = trainer.producer_summary(store)
    assert set(summary["sessions"]) == {SESSIONS}
    assert len(trainer.certification_status(store)) == PROCESSES
    store.close()
