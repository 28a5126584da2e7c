"""Read the built database (build/evidence.db), read-only.

Every request opens its own connection (`file:…?mode=ro`), so an atomic rebuild that swaps the
file is picked up at once. Work that is worth keeping between requests (the concept index, the
meta table) is cached against the file's identity (inode, size, mtime) and redone when it changes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from threading import Lock

from .schema import load_schema
from .settings import settings


class DatabaseMissing(FileNotFoundError):
    """The database has not been built."""


def list_columns(data_dir: Path | None = None) -> set[str]:
    """Names of every column data/schema.yml declares a list (stored as JSON arrays)."""
    schema = load_schema(Path(data_dir or settings.data_dir))
    return {c.name for t in schema.values() for c in t.columns if c.is_list}


def _row_factory(lists: set[str]) -> Callable:
    def factory(cursor: sqlite3.Cursor, row: tuple) -> dict:
        out = {}
        for (name, *_), value in zip(cursor.description, row, strict=True):
            if name in lists and isinstance(value, str):
                with suppress(ValueError):
                    value = json.loads(value)
            out[name] = value
        return out

    return factory


class Database:
    """The built database at `path`: read-only connections and a cache per build."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lists = list_columns()
        self._cache: dict[str, object] = {}
        self._identity: tuple | None = None
        self._lock = Lock()

    def identity(self) -> tuple:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            raise DatabaseMissing(
                f"{self.path} does not exist; run `evidence build` (or `make build`) first"
            ) from None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def connect(self) -> sqlite3.Connection:
        self.identity()
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        conn.row_factory = _row_factory(self._lists)
        return conn

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        conn = self.connect()
        try:
            yield conn
        finally:
            conn.close()

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
