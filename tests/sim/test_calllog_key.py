"""The lab's call-log key (issue 12): call ids and callers are hashed with a secret made on
first use in the lab's data folder, so one caller's hash is the same in every import on a lab,
differs between labs and is never a constant; concurrent first use yields one key.

Every test points the lab at a folder under ``tmp_path`` (``HANDOFF_LAB_DB`` or
``HANDOFF_LAB_KEY_FILE``), never at the user's real data folder."""

from __future__ import annotations

import io
import multiprocessing
import os
import stat

import pytest

from sim.calllog import read_call_log
from sim.calllog.privacy import KEY_BYTES, LabKeyError, hash_value, lab_key
from sim.paths import DB_ENV, KEY_FILE_ENV, KEY_FILE_NAME, data_dir, key_file

LOG = """call_id,started_at,outcome,caller_phone
dana.smith@example.com,2024-03-04 09:00:00,connected,555-010-2234x12
C0000002,2024-03-04 09:05:00,abandoned,(555) 010-2234
C0000003,2024-03-04 09:10:00,contained,555-010-9999
"""
"""Two calls from one (synthetic) caller, her e-mail typed into the id column of the first."""


def _read(**kwargs):
    return read_call_log(io.StringIO(LOG), caller_key=True, **kwargs)


def _lab(monkeypatch, folder):
    """Point the lab at a store (and so a data folder) of its own."""
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)
    monkeypatch.setenv(DB_ENV, f"sqlite:///{folder / 'roleplay.sqlite3'}")


def test_the_key_lives_beside_a_sqlite_store_or_where_the_variable_says(monkeypatch, tmp_path):
    _lab(monkeypatch, tmp_path / "lab")
    assert data_dir() == tmp_path / "lab"
    assert key_file() == tmp_path / "lab" / KEY_FILE_NAME
    monkeypatch.setenv(DB_ENV, "postgresql+psycopg://lab@db.example/records")
    assert data_dir() != tmp_path / "lab"  # not a file: the user's data folder
    monkeypatch.setenv(KEY_FILE_ENV, str(tmp_path / "elsewhere" / "key"))
    assert key_file() == tmp_path / "elsewhere" / "key"


def test_first_use_creates_a_private_random_key_and_later_uses_read_it(monkeypatch, tmp_path):
    _lab(monkeypatch, tmp_path / "lab")
    path = tmp_path / "lab" / KEY_FILE_NAME
    assert not path.exists()
    key = lab_key()
    assert path.read_bytes() == key
    assert len(key) == KEY_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert lab_key() == key
    assert sorted(p.name for p in path.parent.iterdir()) == [KEY_FILE_NAME]  # no leftovers
    other = tmp_path / "other.key"
    assert lab_key(other) != key  # random, not derived from anything shared


def test_a_callers_hash_is_stable_on_one_lab_and_differs_between_labs(monkeypatch, tmp_path):
    _lab(monkeypatch, tmp_path / "a")
    first, again = _read(), _read()
    ids = first.frame["call_id"].tolist()
    assert "dana.smith@example.com" not in ids
    assert ids[1:] == ["C0000002", "C0000003"]
    assert ids == again.frame["call_id"].tolist()
    keys = first.frame["caller_key"].tolist()
    assert keys == again.frame["caller_key"].tolist()
    assert keys[0] == keys[1] != keys[2]  # one caller, two layouts of the same number
    # the hash is the lab key's, computed independently of the reader
    key = (tmp_path / "a" / KEY_FILE_NAME).read_bytes()
    assert ids[0] == hash_value("dana.smith@example.com", key)
    assert keys[0] == hash_value("5550102234", key)
    _lab(monkeypatch, tmp_path / "b")
    elsewhere = _read()
    assert elsewhere.frame["call_id"].iloc[0] != ids[0]
    assert elsewhere.frame["caller_key"].iloc[0] != keys[0]
    # never a constant: not the hash under an empty or all-zero key anyone could recompute
    for constant in (b"", bytes(KEY_BYTES)):
        assert ids[0] != hash_value("dana.smith@example.com", constant)


def test_a_given_salt_still_wins_and_needs_no_key_file(monkeypatch, tmp_path):
    monkeypatch.setenv(KEY_FILE_ENV, str(tmp_path / "never" / "made.key"))
    log = _read(salt=b"test-salt")
    assert log.frame["call_id"].iloc[0] == hash_value("dana.smith@example.com", b"test-salt")
    assert not (tmp_path / "never").exists()


def test_a_log_without_personal_ids_never_touches_the_key(monkeypatch, tmp_path):
    monkeypatch.setenv(KEY_FILE_ENV, str(tmp_path / "never" / "made.key"))
    read_call_log(io.StringIO("call_id,started_at\nC1,2024-03-04 09:00:00\n"))
    assert not (tmp_path / "never").exists()


def test_a_key_that_cannot_be_made_or_read_is_one_clear_message(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(KEY_FILE_ENV, str(blocker / "calllog.key"))
    with pytest.raises(LabKeyError, match=f"a-file is a file, not a folder.*{KEY_FILE_ENV}"):
        _read()
    damaged = tmp_path / "damaged.key"
    damaged.write_bytes(b"short")
    monkeypatch.setenv(KEY_FILE_ENV, str(damaged))
    with pytest.raises(LabKeyError, match="holds 5 bytes, not a 32-byte key"):
        _read()


def _first_use(path: str, barrier, results) -> None:
    barrier.wait()
    results.put(lab_key(path).hex())


def test_concurrent_first_use_yields_one_key(tmp_path):
    """Eight processes released together on a lab without a key: all get the same key, the
    one in the file, and nothing half-made is left."""
    processes = 8
    path = tmp_path / "new-lab" / KEY_FILE_NAME
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(processes), context.Queue()
    workers = [
        context.Process(target=_first_use, args=(str(path), barrier, results))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    keys = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert set(keys) == {path.read_bytes().hex()}
    assert os.listdir(path.parent) == [KEY_FILE_NAME]
