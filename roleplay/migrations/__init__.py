"""Schema migrations of the practice records (Alembic, run in code: no ``alembic.ini``).

:func:`upgrade` brings a store to the newest revision when it is opened: a new store is created
at head, a store made before migrations (tables, no ``alembic_version``) is adopted by the
baseline revision and upgraded in place with its rows. Creators racing on a new store are
serialised: on SQLite by the database's own write lock (the whole upgrade runs in one
``BEGIN IMMEDIATE`` transaction; SQLite DDL is transactional), on PostgreSQL by
``pg_advisory_xact_lock`` in the upgrade's transaction; elsewhere a failed upgrade is retried
and accepted once another process has finished it. A store already at head costs one read.

A new revision: ``alembic.command.revision(config(), "what changed", rev_id="0003")`` writes
a file into ``versions/`` to fill in; ``tests/roleplay/test_store_migrations.py`` checks that
the models in :mod:`roleplay.store` and the migrations agree.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["HEAD", "LOCK_KEY", "NewerSchemaError", "config", "current", "revisions", "upgrade"]

HERE = Path(__file__).resolve().parent
HEAD = "0002"
"""The newest revision (a test checks it against ``versions/``): opening a store already there
needs one query and no Alembic import."""
LOCK_KEY = 0x48414E444F4646  # "HANDOFF": the PostgreSQL advisory lock of schema changes


class NewerSchemaError(RuntimeError):
    """The store is at a revision this code does not know (made by a newer version)."""

    def __init__(self, found: tuple[str, ...], known: str) -> None:
        self.found = found
        self.known = known
        super().__init__(
            f"its schema is at revision {', '.join(found)}, newer than this version of "
            f"Warm Handoff Lab knows (newest {known}); upgrade Warm Handoff Lab"
        )


def config(
    connection: Connection | None = None, metadata: MetaData | None = None, url: str = ""
) -> Config:
    """An Alembic configuration for these migrations, built in code."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("path_separator", "os")
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["connection"] = connection
    cfg.attributes["target_metadata"] = metadata
    return cfg


def revisions() -> list[str]:
    """Every revision in ``versions/``, newest first (Alembic's own reading)."""
    from alembic.script import ScriptDirectory

    return [s.revision for s in ScriptDirectory.from_config(config()).walk_revisions()]


def current(connection: Connection) -> tuple[str, ...]:
    """The revision(s) the store is at (empty for a new or pre-migration store)."""
    if not inspect(connection).has_table("alembic_version"):
        return ()
    found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return tuple(sorted(found))


def _check(found: tuple[str, ...]) -> bool:
    """True when at head; raises for a revision this code does not know."""
    if found == (HEAD,):
        return True
    known = set(revisions())
    if any(rev not in known for rev in found):
        raise NewerSchemaError(found, HEAD)
    return False


def _upgrade_locked(engine: Engine, metadata: MetaData | None, revision: str) -> None:
    from alembic import command  # imported before the lock is taken, not while others wait

    backend = engine.dialect.name
    conn = engine.connect()
    try:
        if backend == "sqlite":
            conn.execution_options(sqlite_begin="IMMEDIATE")  # take the write lock first
        with conn.begin():
            if backend == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
            if revision == "head" and _check(current(conn)):
                return  # another process got there while we waited for the lock
            command.upgrade(config(conn, metadata), revision)
    finally:
        conn.close()


def upgrade(
    engine: Engine, metadata: MetaData | None = None, revision: str = "head", attempts: int = 5
) -> None:
    """Bring the store behind ``engine`` to ``revision`` (default: head), race-safe."""
    if revision == "head":
        with engine.connect() as conn:
            if _check(current(conn)):
                return
    for attempt in range(attempts):
        try:
            _upgrade_locked(engine, metadata, revision)
            return
        except DBAPIError:
            # Without a lock (other backends), a concurrent creator makes ours fail: accept
            # its work once it is complete, else try again.
            if engine.dialect.name in ("sqlite", "postgresql") or attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
            with engine.connect() as conn:
                if revision == "head" and _check(current(conn)):
                    return
