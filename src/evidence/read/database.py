"""Read the built database (build/evidence.db), read-only.

Every request reads through a read-only connection (`file:…?mode=ro`) to the file as it is when
the request starts, so an atomic rebuild that swaps the file is picked up at once. A connection is
given back after the request and reused by a later one while the file is the same build (a new
connection must first read the schema of some fifty tables, views and indexes: half a millisecond);
after a rebuild the old ones are closed. Work that is worth keeping between requests (the concept
index, the meta table) is cached the same way: against the file's identity (inode, size, mtime),
and redone when it changes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from threading import Lock

from evidence.read.dictionary import list_columns_of


class DatabaseMissing(FileNotFoundError):
    """The database has not been built."""


class DatabaseOutdated(DatabaseMissing):
    """The database was built by an earlier version: it lacks a table this one reads."""


def row_factory(lists: set[str]) -> Callable:
    """Rows as dicts, with the list columns (JSON arrays) decoded."""

    last: list[tuple] = [((), (), ())]  # (description, names, list positions) of the last query

    def factory(cursor: sqlite3.Cursor, row: tuple) -> dict:
        description = cursor.description
        seen = last[0]  # one tuple, read once: safe when threads share the factory
        if seen[0] is not description:
            names = tuple(d[0] for d in description)
            seen = (description, names, tuple(i for i, n in enumerate(names) if n in lists))
            last[0] = seen
        out = dict(zip(seen[1], row, strict=True))
        for i in seen[2]:
            value = row[i]
            if isinstance(value, str):
                with suppress(ValueError):
                    out[seen[1][i]] = json.loads(value)
        return out

    return factory


class BuildConnection(sqlite3.Connection):
    """A read-only connection that knows which build (file identity) it reads."""

    identity: tuple = ()


class Database:
    """The built database at `path`: read-only connections and a cache per build."""

    IDLE_MAX = 8  # connections kept open between requests

    def __init__(self, path: Path, after_load: Callable[[], None] | None = None):
        """`after_load` runs after each cached computation (the server freezes the heap with it)."""
        self.path = Path(path)
        self.after_load = after_load
        self._lists: tuple[tuple | None, set[str]] = (None, set())
        self._cache: dict[str, object] = {}
        self._identity: tuple | None = None
        self._lock = Lock()
        self._idle: list[BuildConnection] = []
        self._idle_lock = Lock()

    def identity(self) -> tuple:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            raise DatabaseMissing(
                f"{self.path} does not exist; run `evidence build` (or `make build`) first"
            ) from None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def connect(self) -> BuildConnection:
        """A new read-only connection (raises DatabaseMissing when there is no file)."""
        identity = self.identity()
        conn = sqlite3.connect(
            f"file:{self.path}?mode=ro",
            uri=True,
            check_same_thread=False,
            factory=BuildConnection,
        )
        conn.identity = identity
        conn.row_factory = row_factory(self._list_columns(conn, identity))
        return conn

    def _list_columns(self, conn: sqlite3.Connection, identity: tuple) -> set[str]:
        """The build's list columns, from its own data_dictionary (read once per build)."""
        if self._lists[0] != identity:
            try:
                lists = list_columns_of(conn)
            except sqlite3.DatabaseError:  # not a database of ours: reads fail later, and say so
                lists = set()
            self._lists = (identity, lists)
        return self._lists[1]

    def acquire(self) -> BuildConnection:
        """A read-only connection to the current build: an idle one of the same build, or a new one.
        Give it back with `release`."""
        identity = self.identity()
        stale = []
        with self._idle_lock:
            while self._idle:
                conn = self._idle.pop()
                if conn.identity == identity:
                    break
                stale.append(conn)
            else:
                conn = None
        for old in stale:  # the file was rebuilt: these read the previous build
            old.close()
        return conn or self.connect()

    def release(self, conn: BuildConnection) -> None:
        """Keep a connection for a later request while it reads the current build; else close it."""
        try:
            current = conn.identity == self.identity()
        except DatabaseMissing:
            current = False
        if current and not conn.in_transaction:
            with self._idle_lock:
                if len(self._idle) < self.IDLE_MAX:
                    self._idle.append(conn)
                    return
        conn.close()

    @contextmanager
    def connection(self) -> Iterator[BuildConnection]:
        conn = self.acquire()
        try:
            yield conn
        finally:
            self.release(conn)

    def cached(self, key: str, compute: Callable[[sqlite3.Connection], object]):
        """compute(conn), remembered until the database file changes."""
        identity = self.identity()
        with self._lock:
            if identity != self._identity:
                self._cache.clear()
                self._identity = identity
            if key not in self._cache:
                with self.connection() as conn:
                    self._cache[key] = compute(conn)
                if self.after_load is not None:
                    self.after_load()
            return self._cache[key]

    def meta(self) -> dict[str, str]:
        return self.cached(
            "meta",
            lambda c: {r["key"]: str(r["value"]) for r in c.execute("select key, value from meta")},
        )

    def dataset_version(self) -> str:
        return self.meta().get("dataset_version", "unknown")


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute(
        "select 1 from sqlite_master where type in ('table', 'view') and name = ?", [name]
    ).fetchone()
    return row is not None
