"""Records: every turn written as it happens, scorecards round-trip, concurrent sessions, clear
errors for unusable databases, the per-store secret, and the trainer's views — on SQLite and on
PostgreSQL (``backend_store``; PostgreSQL when ``HANDOFF_LAB_TEST_POSTGRES`` is set)."""

from __future__ import annotations

import sqlite3
import threading

import pytest
import typer
from sqlalchemy.orm import Session as DbSession
from typer.testing import CliRunner

from roleplay import Session, Store, trainer
from roleplay import cli as roleplay_cli
from roleplay.migrations import HEAD
from roleplay.store import ScorecardRow, StoreError, default_url


def test_turns_are_written_as_they_happen(backend_store):
    store = backend_store
    s = Session.start("coverage_mismatch", seed=2, producer="Ana", store=store)
    assert [t["speaker"] for t in store.turns(s.id)] == ["caller"]  # the opening line
    s.say("Hi, I'm Ana, a licensed agent.")
    rows = store.turns(s.id)
    assert [(r["speaker"], r["text"]) for r in rows] == [(t.speaker, t.text) for t in s.transcript]
    s.say("What's your phone number?")
    rows = store.turns(s.id)
    assert rows[-2]["repeat_explains"] == ["contact_number"]
    assert rows[-2]["hits"][0]["field"] == "contact_number"
    assert [r["idx"] for r in rows] == list(range(len(rows)))
    assert {(r["transcript_corrected"], r["engine"]) for r in rows} == {(False, None)}  # typed
    frame = store.sessions_frame()
    assert frame.loc[0, "status"] == "open"
    assert store.schema_revision() == HEAD


def test_scorecard_round_trip(backend_store, good_lines):
    store = backend_store
    s = Session.start("human_request", seed=4, producer="Ana", store=store)
    for line in good_lines(s):
        s.say(line)
    card = s.end(s.persona.real_need)
    row = store.sessions_frame().iloc[0]
    assert row["status"] == "scored"
    assert row["score"] == card.score == 100
    assert bool(row["passed"]) is True
    assert row["real_need"] == s.persona.real_need
    assert trainer.stored_scorecard(store, s.id) == card
    with DbSession(store.engine) as db:
        stored = db.get(ScorecardRow, s.id)
        assert stored is not None
        assert stored.certification == card.to_dict()["certification"]
        assert stored.ready is (card.certification.ready if card.certification else None)
    # a second Store on the same URL sees the same records (nothing only in memory)
    again = Store(store.url)
    assert again.turns(s.id) == store.turns(s.id)
    assert len(again.turns(s.id)) == 1 + 2 * len(good_lines(s))
    again.close()


def test_scorecard_keeps_its_certification(backend_store, good_lines):
    store = backend_store
    for seed, trigger in enumerate(["human_request", "complex_pricing", "coverage_mismatch"]):
        s = Session.start(trigger, seed=seed, producer="Ana", store=store)
        for line in good_lines(s):
            s.say(line)
        card = s.end(s.persona.real_need).to_dict()
        card["certification"] = trainer.certification_progress(store, "Ana").to_dict()
        with DbSession(store.engine) as db, db.begin():
            db.delete(db.get(ScorecardRow, s.id))  # stored again, now with its certification
        store.finish_session(s.id, card)
        with DbSession(store.engine) as db:
            row = db.get(ScorecardRow, s.id)
            assert row is not None
            assert row.certification == card["certification"]
            assert row.ready is (seed == 2) is card["certification"]["ready"]


def test_spoken_turn_fields_round_trip(backend_store):
    store = backend_store
    sid = store.start_session(
        producer="Ana", trigger="complex_pricing", seed=1, difficulty="standard", packet={},
        whisper="w",
    )  # fmt: skip
    store.add_turn(sid, 0, "caller", "Hello?")
    store.add_turn(sid, 1, "producer", "Hi, Ana here.", transcript_corrected=True, engine="vosk")
    rows = store.turns(sid)
    assert [(r["transcript_corrected"], r["engine"]) for r in rows] == [
        (False, None), (True, "vosk"),
    ]  # fmt: skip


def test_abandoned_session_keeps_its_turns(backend_store):
    store = backend_store
    s = Session.start("complex_pricing", seed=1, producer="Ana", store=store)
    s.say("Hello, Dana here.")
    s.abandon()
    assert store.sessions_frame().loc[0, "status"] == "abandoned"
    assert len(store.turns(s.id)) == 3


def test_concurrent_sessions_do_not_lose_or_mix_turns(backend_store):
    store = backend_store
    n_threads, n_turns = 8, 12
    ids: dict[int, str] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(n_threads)

    def practise(k: int) -> None:
        try:
            barrier.wait()
            # Half the threads share a producer name, so producer creation races too.
            s = Session.start("complex_pricing", seed=k, producer=f"P{k % 2}", store=store)
            ids[k] = s.id
            for i in range(n_turns):
                s.say(f"thread {k} line {i}")
            s.end("pricing_question")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=practise, args=(k,)) for k in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.producers() == ["P0", "P1"]
    for k, sid in ids.items():
        rows = store.turns(sid)
        assert [r["idx"] for r in rows] == list(range(1 + 2 * n_turns))
        said = [r["text"] for r in rows if r["speaker"] == "producer"]
        assert said == [f"thread {k} line {i}" for i in range(n_turns)]
    frame = store.sessions_frame()
    assert len(frame) == n_threads
    assert set(frame["status"]) == {"scored"}


def test_trainer_views(backend_store, good_lines):
    store = backend_store
    plan = [("Ana", "human_request"), ("Ana", "complex_pricing"), ("Ana", "coverage_mismatch"),
            ("Ben", "human_request")]  # fmt: skip
    for seed, (producer, trigger) in enumerate(plan):
        s = Session.start(trigger, seed=seed, producer=producer, store=store)
        for line in good_lines(s):
            s.say(line)
        s.end(s.persona.real_need)
    s = Session.start("complex_pricing", seed=9, producer="Ben", store=store)
    s.say("What's your phone number?")
    s.end("pricing_question")
    cards = trainer.scorecards(store)
    assert list(cards["producer"]) == ["Ana"] * 3 + ["Ben"] * 2
    assert cards.groupby("producer")["trigger"].apply(list).to_dict() == {
        "Ana": ["human_request", "complex_pricing", "coverage_mismatch"],
        "Ben": ["human_request", "complex_pricing"],
    }
    summary = trainer.producer_summary(store).set_index("producer")
    assert summary.loc["Ana", "sessions"] == 3
    assert summary.loc["Ben", "sessions"] == 2
    assert summary.loc["Ben", "repeat_explains_per_session"] == pytest.approx(0.5)
    status = trainer.certification_status(store).set_index("producer")
    passing = cards.groupby("producer")["passed"].sum().to_dict()
    assert status["passing_sessions"].to_dict() == passing
    assert bool(status.loc["Ana", "ready"]) is (passing["Ana"] >= 3)
    assert bool(status.loc["Ben", "ready"]) is False
    reasks = trainer.reasks_by_field_trigger(store, "Ben")
    assert reasks.loc["contact_number", "complex_pricing"] == 1


def test_store_secret_is_random_per_store_and_kept(backend_url, tmp_path):
    store = Store(backend_url)
    key = store.store_secret()
    assert isinstance(key, bytes)
    assert len(key) == 32
    assert store.store_secret() == key
    assert store.store_secret("call_id") != key  # one key per purpose
    again = Store(backend_url)
    assert again.store_secret() == key  # stored, not per process
    assert again.pseudonym("+1 555 0100") == store.pseudonym("+1 555 0100") != "+1 555 0100"
    other = Store(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    assert other.store_secret() != key  # never a constant
    for s in (store, again, other):
        s.close()


def test_default_url_uses_env_then_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("HANDOFF_LAB_DB", "sqlite:///" + str(tmp_path / "x.db"))
    assert default_url().endswith("x.db")
    monkeypatch.delenv("HANDOFF_LAB_DB")
    monkeypatch.setattr("platformdirs.user_data_dir", lambda *a, **k: str(tmp_path / "data"))
    url = default_url()
    assert url == f"sqlite:///{tmp_path / 'data' / 'roleplay.sqlite3'}"
    Store().close()  # creates the directory and file under the (patched) data dir
    assert (tmp_path / "data" / "roleplay.sqlite3").exists()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(db_url, tmp_path):
    Store(db_url).close()
    conn = sqlite3.connect(tmp_path / "records.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    store = Store(db_url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_in_memory_store_works():
    s = Store("sqlite://")
    session = Session.start("complex_pricing", store=s)
    session.say("Hi")
    assert len(s.turns(session.id)) == 3
    assert s.schema_revision() == HEAD
    s.close()


def test_session_start_accepts_a_url(db_url):
    s = Session.start("complex_pricing", store=db_url)
    assert len(Store(db_url).turns(s.id)) == 1
    with pytest.raises(ValueError, match="Producer name is empty"):
        Session.start("complex_pricing", producer="  ")


def _bad_urls(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    not_db = tmp_path / "records.sqlite3"
    not_db.write_text("hello, I am a text file\n" * 20)
    (tmp_path / "folder.sqlite3").mkdir()
    return {
        "parent is a file": (f"sqlite:///{a_file}/records.sqlite3", f"{a_file} is a file"),
        "deeper parent is a file": (f"sqlite:///{a_file}/a/b.sqlite3", f"{a_file} is a file"),
        "not a database": (f"sqlite:///{not_db}", "is not a SQLite database"),
        "a directory": (f"sqlite:///{tmp_path / 'folder.sqlite3'}", "is a directory"),
        "unknown driver": ("nosuchdb://user@host/db", "unknown database driver 'nosuchdb'"),
        "driver not installed": ("postgresql+pg8000://u@127.0.0.1/db", "is not installed"),
        "unreachable server": (
            "postgresql+psycopg://postgres:secret@127.0.0.1:9/handoff?connect_timeout=3",
            "cannot connect to the database server",
        ),
        "not a URL": ("not a url", "not a database URL"),
    }


CASES = ["parent is a file", "deeper parent is a file", "not a database", "a directory",
         "unknown driver", "driver not installed", "unreachable server", "not a URL"]  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_unusable_database_is_a_clear_store_error(case, tmp_path):
    url, problem = _bad_urls(tmp_path)[case]
    with pytest.raises(StoreError) as info:
        Store(url)
    message = str(info.value)
    assert message.startswith("Cannot open the records database ")
    assert problem in message
    assert "secret" not in message  # the password is hidden
    where = url.replace(":secret@", ":***@") if "://" in url else repr(url)
    assert where in message
    assert "Traceback" not in message
    assert "\n" not in message


@pytest.mark.parametrize("case", ["parent is a file", "not a database", "unknown driver"])
def test_cli_reports_an_unusable_database_without_a_traceback(case, tmp_path):
    url, problem = _bad_urls(tmp_path)[case]
    app = typer.Typer()
    roleplay_cli.register(app)
    result = CliRunner().invoke(app, ["scores", "--db", url])
    assert result.exit_code == 2
    assert problem in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_an_unusable_file_is_left_as_it_was(tmp_path):
    url, _ = _bad_urls(tmp_path)["not a database"]
    before = (tmp_path / "records.sqlite3").read_bytes()
    with pytest.raises(StoreError):
        Store(url)
    assert (tmp_path / "records.sqlite3").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.sqlite3", "notes.txt",
                                                          "records.sqlite3"]  # fmt: skip
