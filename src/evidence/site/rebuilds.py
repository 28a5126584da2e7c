"""Follow `evidence build` under a running site, without keeping old builds open.

`evidence build` writes a new file and os.replace()s it over build/evidence.db. Datasette opens
an immutable database once per worker thread and keeps that connection for good, so on its own
it would go on answering from the first build, and a naive reopen leaks one open file per
thread and rebuild. Here each database file is served by a `BuildDatabase`: connections to one
build, taken from a small pool for each query and given back after it. When a request finds the
file replaced (new inode or mtime), a new BuildDatabase for the new file takes the old one's
place and the old one is retired: its idle connections are closed at once and the ones still
answering a request are closed when they are given back. So after any number of rebuilds the
server holds at most `IDLE_MAX` + Datasette's worker threads connections, and none to a
deleted build once in-flight requests finish.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from threading import Lock

from datasette.database import Database

from evidence.site.limits import BoundedConnection


def file_key(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None  # mid-swap or gone: keep serving what is open
    return (st.st_ino, st.st_mtime_ns)


class BuildDatabase(Database):
    """One build of an immutable database file, read through a pool of bounded connections."""

    IDLE_MAX = 4  # connections kept between queries (Datasette runs 3 worker threads)

    def __init__(self, ds, path: str, key: tuple | None = None):
        super().__init__(ds, path=path, is_mutable=False)
        self.build_key = key if key is not None else file_key(path)
        self.cache: dict[str, object] = {}  # what the site computes once per build (per_build)
        self.retired = False
        self._idle: list[sqlite3.Connection] = []
        self._lock = Lock()

    def connect(self, write: bool = False) -> sqlite3.Connection:
        assert not write, "the site's databases are read-only"
        return sqlite3.connect(
            f"file:{self.path}?immutable=1",
            uri=True,
            check_same_thread=False,
            factory=BoundedConnection,
        )

    def _acquire(self) -> sqlite3.Connection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        conn = self.connect()
        self.ds._prepare_connection(conn, self.name)
        return conn

    def _release(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            if not self.retired and len(self._idle) < self.IDLE_MAX:
                self._idle.append(conn)
                return
        conn.close()

    def retire(self) -> None:
        """Close the idle connections now; the busy ones close when given back."""
        with self._lock:
            self.retired, idle, self._idle = True, self._idle, []
        for conn in idle:
            conn.close()

    close = retire  # Datasette's name for closing a database's connections

    async def execute_fn(self, fn):
        def in_thread():
            conn = self._acquire()
            try:
                return fn(conn)
            finally:
                self._release(conn)

        if self.ds.executor is None:  # Datasette's non-threaded mode
            return in_thread()
        return await asyncio.get_running_loop().run_in_executor(self.ds.executor, in_thread)


def follow_rebuilds(datasette) -> None:
    """Serve every immutable database file through a BuildDatabase of its current build."""
    for name, db in list(datasette.databases.items()):
        if not db.path or db.is_mutable:
            continue
        key = file_key(db.path)
        if isinstance(db, BuildDatabase) and (key is None or key == db.build_key):
            continue
        fresh = BuildDatabase(datasette, db.path, key)
        fresh.name, fresh.route = db.name, db.route
        datasette.databases = {**datasette.databases, name: fresh}  # swap, never mutate
        if isinstance(db, BuildDatabase):
            db.retire()


async def per_build(db, name: str, compute):
    """`await compute(db)`, kept for the build `db` reads (the file is read-only and replaced
    whole by a rebuild, which brings a new BuildDatabase and so an empty cache)."""
    cache = getattr(db, "cache", None)
    if cache is None:  # not a BuildDatabase: nothing to keep it on
        return await compute(db)
    if name not in cache:
        cache[name] = await compute(db)
    return cache[name]
