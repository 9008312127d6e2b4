"""Shared fixtures for the role-play tests: temporary stores (SQLite, and PostgreSQL when
``HANDOFF_LAB_TEST_POSTGRES`` holds a server URL) and a scripted good call."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from roleplay import Session, Store

POSTGRES_ENV = "HANDOFF_LAB_TEST_POSTGRES"
"""A PostgreSQL URL (e.g. ``postgresql+psycopg://postgres@127.0.0.1:54329/handoff_test``, as
printed by ``.ci/start-postgres``) on which each test gets a new, empty database."""
BACKENDS = ["sqlite", "postgresql"]


@contextmanager
def new_postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``server_url``, dropped afterwards."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    name = f"handoff_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except DBAPIError as exc:
        admin.dispose()
        pytest.fail(f"{POSTGRES_ENV}={server_url}: cannot create a test database: {exc.orig}")
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def backend_url(request, tmp_path) -> Iterator[str]:
    """The URL of a NEW store (nothing created yet) on each backend: a SQLite file in a folder
    that does not exist yet, or a new database on the PostgreSQL of ``HANDOFF_LAB_TEST_POSTGRES``
    (skipped, saying so, when that is not set)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store' / 'records.sqlite3'}"
        return
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(
            f"PostgreSQL store tests need {POSTGRES_ENV}=<server URL>, e.g. "
            f"export {POSTGRES_ENV}=$(.ci/start-postgres)"
        )
    with new_postgres_database(server) as url:
        yield url


@pytest.fixture
def backend_store(backend_url) -> Iterator[Store]:
    """A :class:`Store` on a new store of each backend."""
    s = Store(backend_url)
    yield s
    s.close()


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'records.sqlite3'}"


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _no_real_data_dir(monkeypatch, tmp_path):
    """Never touch the user's real data directory, even by accident."""
    monkeypatch.setenv("HANDOFF_LAB_DB", f"sqlite:///{tmp_path / 'default.sqlite3'}")
    monkeypatch.delenv("HANDOFF_LAB_SCRIPTS", raising=False)


def good_call_lines(session: Session) -> list[str]:
    """A hand-off that meets every checklist item without re-asking anything."""
    p = session.persona
    keyword = p.need_keywords[0]
    return [
        f"Hi {p.first_name}, this is Dana, a licensed agent with Harbor.",
        "I understand you're calling because you "
        + p.value("reason_for_call").removeprefix("asked for a person ")
        + ", did I get that right?",
        f"I can help with that: the {keyword} question is something I can sort out for you now.",
        "I will email you a written summary today and call you tomorrow to confirm.",
        "Is there anything else you'd like to add?",
    ]


@pytest.fixture
def good_lines():
    return good_call_lines
