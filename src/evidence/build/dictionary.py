"""The `data_dictionary` table: every table, view and column of the database, described.

Each stage of the build returns the rows for what it creates, made by `described`; `populate`
gathers them and `create_data_dictionary` writes them with the table's own description.
"""

from __future__ import annotations

import sqlite_utils

from evidence.dataset.schema import Table

DICTIONARY_DESCRIPTION = "Every table, view and column of this database with its type and description (from data/schema.yml and the build)."
DICTIONARY_COLUMNS = {
    "table_name": "Table or view.",
    "column_name": "Column (empty for the table itself).",
    "kind": "table, view or column.",
    "type": "Declared type (schema.yml types; list[...] is a JSON array).",
    "description": "What it holds.",
    "source": "Where the description comes from.",
}


def described(
    table: str,
    description: str,
    columns: dict[str, str],
    source: str = "build",
    kind: str = "table",
    types: dict[str, str] | None = None,
) -> list[dict]:
    """The data_dictionary rows of a table or view: one for itself, then one per column."""
    rows = [
        {
            "table_name": table,
            "column_name": "",
            "kind": kind,
            "type": "",
            "description": description,
            "source": source,
        }
    ]
    return rows + [
        {
            "table_name": table,
            "column_name": column,
            "kind": "column",
            "type": (types or {}).get(column, ""),
            "description": text,
            "source": source,
        }
        for column, text in columns.items()
    ]


def describe_table(table: Table) -> list[dict]:
    """A data table as data/schema.yml describes it."""
    rows = described(table.name, table.description, {}, source=f"data/{table.file}")
    return (
        rows
        + described(
            table.name,
            "",
            {c.name: c.description for c in table.columns},
            source="data/schema.yml",
            types={c.name: c.type for c in table.columns},
        )[1:]
    )


def create_data_dictionary(db: sqlite_utils.Database, rows: list[dict]) -> None:
    own = described(
        "data_dictionary",
        DICTIONARY_DESCRIPTION,
        DICTIONARY_COLUMNS,
        types=dict.fromkeys(DICTIONARY_COLUMNS, "string"),
    )
    db.table("data_dictionary").create(
        dict.fromkeys(DICTIONARY_COLUMNS, "TEXT"), pk=("table_name", "column_name")
    )
    db.table("data_dictionary").insert_all(_with_types(db, rows + own))


def _with_types(db: sqlite_utils.Database, rows: list[dict]) -> list[dict]:
    """Fill a column's missing type from its declared SQL type."""
    names = {"INTEGER": "integer", "REAL": "number", "TEXT": "string"}
    declared = {}
    for r in rows:
        if r["kind"] == "column" and not r["type"] and r["table_name"] not in declared:
            info = db.execute(f"PRAGMA table_info([{r['table_name']}])").fetchall()
            declared[r["table_name"]] = {c[1]: names.get(c[2].upper(), "") for c in info}
    return [
        {**r, "type": r["type"] or declared.get(r["table_name"], {}).get(r["column_name"], "")}
        for r in rows
    ]


def undocumented(db: sqlite_utils.Database) -> list[str]:
    """Tables, views and columns (hidden FTS tables aside) without a description in data_dictionary."""
    described = {
        (r[0], r[1])
        for r in db.execute(
            "SELECT table_name, column_name FROM data_dictionary WHERE trim(description) != ''"
        )
    }
    missing = []
    for name in db.table_names() + db.view_names():
        if (
            name.endswith("_fts")
            or name.startswith(tuple(f"{t}_fts_" for t in db.table_names()))
            or name.startswith("sqlite_")
        ):
            continue
        missing += [name] if (name, "") not in described else []
        missing += [f"{name}.{c.name}" for c in db[name].columns if (name, c.name) not in described]
    return missing
