"""Column descriptions for exports, from the database's data_dictionary."""

from __future__ import annotations

import sqlite3


def column_docs(
    conn: sqlite3.Connection, table: str, columns: list[str], extra: dict[str, str] | None = None
) -> dict[str, str]:
    rows = conn.execute(
        "select column_name, description from data_dictionary where table_name = ? and column_name != ''",
        [table],
    )
    known = {r["column_name"]: r["description"] for r in rows}
    known.update(extra or {})
    return {c: known.get(c, "") for c in columns}
