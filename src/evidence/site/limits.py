"""What one anonymous SQL query on the site may build or return, and what it may see.

The site keeps arbitrary read-only SQL open to everyone (`?sql=`). Datasette's own settings bound
its time (`sql_time_limit_ms`) and rows (`max_returned_rows`), but not its size: a single call
such as `randomblob(300000000)` runs in a fraction of the time limit and answers 400 MB. So each
of the site's connections also gets

- SQLite's own limits (`sqlite3_limit`, Python's `Connection.setlimit`): no string or blob, and
  no row SQLite builds, over `MAX_VALUE_BYTES` (randomblob, zeroblob, printf('%.*c'), replace,
  group_concat and || all stop there with "string or blob too big"), and at most `MAX_COLUMNS`
  columns in a result, so one row holds at most MAX_COLUMNS × MAX_VALUE_BYTES;
- a cursor that counts what it hands to Datasette and stops at `MAX_ANSWER_BYTES` with an error
  saying so (the page then shows it, as for any SQL error);
- `printf`/`format` that answer null at once for a width or precision over MAX_VALUE_BYTES:
  `printf('%.*c', n, 'x')` loops n times inside one call (2·10⁹: 23 s, out of reach of the time
  limit) before SQLite's length limit turns it into null, which is what it answers;
- an authorizer that blanks what a visitor has no need of: the server's file paths
  (`pragma_database_list.file` reads as null; Datasette refuses the PRAGMA statement itself).

The largest cell of the real database is ~200 KB (a gap map's document); its widest table has 22
columns. The limits leave every table, view and export as it was.
"""

from __future__ import annotations

import re
import sqlite3
import threading

MAX_VALUE_BYTES = 1024 * 1024  # one string or blob (the largest stored cell is ~200 KB)
MAX_COLUMNS = 64  # the widest table has 22 columns
MAX_ANSWER_BYTES = 32 * 1024 * 1024  # all the values one query returns to the page
HIDDEN_COLUMNS = {("pragma_database_list", "file")}  # the server's file paths


def answer_too_big(size: int) -> sqlite3.OperationalError:
    return sqlite3.OperationalError(
        f"The answer is over {MAX_ANSWER_BYTES // 2**20} MB (reached {size // 2**20} MB); "
        "ask for fewer rows or shorter values (e.g. substr(column, 1, 1000), or a limit)."
    )


def value_size(value) -> int:
    return len(value) if isinstance(value, str | bytes) else 8


class BoundedCursor(sqlite3.Cursor):
    """A cursor that stops with an error once the rows it has returned pass MAX_ANSWER_BYTES."""

    returned = 0

    def _count(self, rows: list) -> list:
        for row in rows:
            self.returned += sum(value_size(v) for v in row)
            if self.returned > MAX_ANSWER_BYTES:
                raise answer_too_big(self.returned)
        return rows

    def fetchmany(self, size: int | None = None) -> list:
        out: list = []
        want = self.arraysize if size is None else size
        while len(out) < want:  # in small batches, so the count stops a big answer early
            batch = super().fetchmany(min(10, want - len(out)))
            if not batch:
                break
            out += self._count(batch)
        return out

    def fetchall(self) -> list:
        out: list = []
        while batch := self.fetchmany(10):
            out += batch
        return out

    def fetchone(self):
        row = super().fetchone()
        return None if row is None else self._count([row])[0]

    def __next__(self):
        return self._count([super().__next__()])[0]


class BoundedConnection(sqlite3.Connection):
    """A connection whose cursors are BoundedCursors (Connection.execute uses cursor() too)."""

    def cursor(self, factory=BoundedCursor):
        return super().cursor(factory)


CONVERSION = re.compile(r"%[-+ 0#,!]*(\*|\d+)?(?:\.(\*|\d+))?([a-zA-Z%])")
_builtin = threading.local()


def _numbers(fmt: str, args: tuple):
    """Each width and precision that `fmt` asks for, with the arguments it consumes."""
    i = 0
    for width, precision, kind in CONVERSION.findall(fmt):
        for n in (width, precision):
            if n == "*":
                yield args[i] if i < len(args) else 0
                i += 1
            elif n:
                yield int(n)
        i += kind != "%"


def bounded_printf(*args):
    """SQLite's printf; null (as SQLite answers for a result too long) for a width or precision
    over MAX_VALUE_BYTES, before SQLite spends seconds building it."""
    fmt, args = (args[0], args[1:]) if args else (None, ())
    if isinstance(fmt, str):
        for n in _numbers(fmt, args):
            if isinstance(n, int | float) and abs(n) > MAX_VALUE_BYTES:
                return None
    conn = getattr(_builtin, "conn", None)
    if conn is None:  # SQLite's own printf, from a private in-memory connection per thread
        conn = _builtin.conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    marks = ", ".join("?" * (1 + len(args)))
    return conn.execute(f"select printf({marks})", (fmt, *args)).fetchone()[0]


def authorizer(action: int, arg1, arg2, dbname, source) -> int:
    if action == sqlite3.SQLITE_READ and (arg1, arg2) in HIDDEN_COLUMNS:
        return sqlite3.SQLITE_IGNORE  # the column reads as null
    return sqlite3.SQLITE_OK


def bound(conn: sqlite3.Connection) -> None:
    """Apply the limits and the authorizer to one of the site's connections."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, MAX_COLUMNS)
    conn.set_authorizer(authorizer)
    for name in ("printf", "format"):
        conn.create_function(name, -1, bounded_printf, deterministic=True)
