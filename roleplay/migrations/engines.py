"""Engines for the practice records: SQLite set up for several writers, clear errors.

SQLite runs in WAL mode with a busy timeout; SQLAlchemy emits ``BEGIN`` itself so that writers
(``execution_options(sqlite_begin="IMMEDIATE")``) take the write lock before reading and DDL is
transactional. Everything wrong with a URL, a path, a file or a server becomes a
:class:`StoreError` naming the database and the problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

__all__ = ["SQLITE_BUSY_SECONDS", "StoreError", "make_engine", "problem", "shown", "transient"]

SQLITE_BUSY_SECONDS = 30.0
"""How long a SQLite statement waits for another writer's lock before failing."""
_SQLITE_HEADER = b"SQLite format 3\x00"
_TRANSIENT_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization, deadlock, lock not available


class StoreError(ValueError):
    """The records database cannot be used; the message names it and says what is wrong."""

    def __init__(self, url: str, problem: str) -> None:
        self.url = url
        self.problem = problem
        super().__init__(f"Cannot open the records database {url}: {problem}")


def shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)


def _check_sqlite_file(where: str, path: Path) -> None:
    """Refuse, with a clear reason, a path SQLite could not use as a records file."""
    if path.is_dir():
        raise StoreError(where, f"{path} is a directory, not a database file")
    for folder in path.parents:
        if folder.exists():
            if not folder.is_dir():
                raise StoreError(where, f"{folder} is a file, so {path} cannot be created")
            break
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as f:
                header = f.read(len(_SQLITE_HEADER))
            if header and header != _SQLITE_HEADER:
                raise StoreError(where, f"{path} is not a SQLite database (not made by the lab)")
    except OSError as exc:
        raise StoreError(where, f"{exc.filename or path}: {exc.strerror or exc}") from None


def _sqlite_engine(url: str, where: str, database: str) -> Engine:
    memory = database in ("", ":memory:") or database.startswith("file::memory:")
    if memory:
        engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
    else:
        _check_sqlite_file(where, Path(database).expanduser())
        args = {"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS}
        engine = create_engine(url, connect_args=args)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Writers pass sqlite_begin="IMMEDIATE": the write lock is taken (waiting up to the busy
        # timeout) before anything is read, so a transaction never fails half-way on upgrade.
        conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', '')}")

    return engine


def make_engine(url: str) -> Engine:
    where = shown(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            where,
            "not a database URL (e.g. sqlite:///path/to/records.sqlite3 or "
            "postgresql+psycopg://user@host/dbname)",
        ) from None
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(url, where, parsed.database or "")
        connect_args: dict[str, Any] = {}
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = 10
        return create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    except NoSuchModuleError:
        raise StoreError(where, f"unknown database driver {parsed.drivername!r}") from None
    except ImportError as exc:
        raise StoreError(
            where,
            f"the driver for {parsed.drivername!r} is not installed ({exc.name or exc}); for "
            "PostgreSQL: pip install 'psycopg[binary]' and use postgresql+psycopg://",
        ) from None


def problem(exc: DBAPIError, backend: str) -> str:
    """What a database error at open time means, in one line."""
    detail = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
    if backend == "sqlite":
        if "not a database" in detail or "malformed" in detail:
            return f"the file is not a SQLite database ({detail})"
        return detail
    if exc.connection_invalidated or "connect" in detail.lower():
        return f"cannot connect to the database server ({detail})"
    return detail


def transient(exc: DBAPIError) -> bool:
    """A lock held by another writer (worth retrying), not a real failure."""
    message = str(exc.orig).lower()
    if "database is locked" in message or "database is busy" in message:
        return True
    if "database table is locked" in message:
        return True
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code in _TRANSIENT_SQLSTATES
