"""What the served database says about its own columns, from its `data_dictionary`.

Serving reads these from the database it serves, never from data/schema.yml: a database built by
another checkout, or from another data/, describes itself.
"""

from __future__ import annotations

import sqlite3


def column_docs(
    conn: sqlite3.Connection, table: str, columns: list[str], extra: dict[str, str] | None = None
) -> dict[str, str]:
    """column → description for an export's columns (extra: those the table does not have)."""
    rows = conn.execute(
        "select column_name, description from data_dictionary where table_name = ? and column_name != ''",
        [table],
    )
    known = {r["column_name"]: r["description"] for r in rows}
    known.update(extra or {})
    return {c: known.get(c, "") for c in columns}


def list_columns_of(conn: sqlite3.Connection) -> set[str]:
    """Names of the data columns stored as JSON arrays (declared list[...] in data/schema.yml)."""
    rows = conn.execute(
        "select distinct column_name from data_dictionary "
        "where type like 'list[%' and source = 'data/schema.yml'"
    ).fetchall()
    return {r[0] for r in rows}
