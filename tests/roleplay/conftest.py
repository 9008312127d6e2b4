"""Shared fixtures for the role-play tests: a temporary SQLite store and a scripted good call."""

from __future__ import annotations

import pytest

from roleplay import Session, Store


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
