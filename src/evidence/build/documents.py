"""The API's two largest answers, built once with the database: each study's record and the gap maps.

`/api/studies/{ref}` and `/api/gap-map` change only when the data does, so the build writes them
as JSON, made by the functions the API used to call on every request (evidence.read.documents:
`study_details`, `gap_map`) and serialised by the API's own models the way FastAPI serialises a
`response_model` (pydantic's `dump_json`), byte for byte. The API then reads one row instead of
running six queries and validating a large model per request (the gap maps: 50 ms each).

- `study_details`: one row per included study, `document` = the JSON of /api/studies/{ref}.
- `gap_maps`: one row per (cols, lang), `document` = the JSON of /api/gap-map?cols=…&lang=….

Both are hidden in the site (datasette_metadata.yml): they repeat, as JSON, what the tables hold.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import sqlite_utils
from pydantic import TypeAdapter

from evidence.build.dictionary import described
from evidence.dataset.schema import list_columns
from evidence.models import GapCell, GapMap, StudyDetail
from evidence.read.database import row_factory
from evidence.read.documents import GAP_COLUMNS, gap_map_axes, gap_map_cells, study_details

LANGS = ("da", "en")

DESCRIPTIONS = {
    "study_details": (
        "Each included study's record as /api/studies/{ref} returns it (JSON), built with the database "
        "from studies, references, claims, citations, findings, outcomes and audit_findings.",
        {"ref": "The study (see studies).", "document": "The API's JSON for the study."},
    ),
    "gap_maps": (
        "The gap maps as /api/gap-map returns them (JSON), built with the database from the views "
        "gap_map_country, gap_map_service_area and gap_map_method.",
        {
            "cols": "What the columns are: country, service_area or method.",
            "lang": "Language of the labels: da or en.",
            "document": "The API's JSON for the gap map.",
        },
    ),
}


def create_documents(db: sqlite_utils.Database, data_dir: Path) -> list[dict]:
    """Fill study_details and gap_maps; their data_dictionary rows."""
    conn = db.conn
    plain = conn.row_factory
    conn.row_factory = row_factory(list_columns(data_dir))  # rows as the API reads them
    try:
        studies = [
            {"ref": s["ref"], "document": serialise(StudyDetail, s)} for s in study_details(conn)
        ]
        maps = [m for cols in GAP_COLUMNS for m in gap_map_documents(conn, cols)]
    finally:
        conn.row_factory = plain
    db.table("study_details").create({"ref": int, "document": str}, pk="ref")
    db.table("study_details").insert_all(studies)
    db.table("gap_maps").create({"cols": str, "lang": str, "document": str}, pk=("cols", "lang"))
    db.table("gap_maps").insert_all(maps)
    return [row for table in DESCRIPTIONS for row in describe(table)]


def gap_map_documents(conn, cols: str) -> list[dict]:
    """The gap map by `cols` in each language (evidence.read.documents.gap_map). The cells are the same
    in both, only the labels of rows and columns differ: they are read and validated once."""
    rows = conn.execute(f"select * from [gap_map_{cols}]").fetchall()
    cells = _adapter(list[GapCell]).validate_python(gap_map_cells(rows, cols))
    return [
        {
            "cols": cols,
            "lang": lang,
            "document": serialise(GapMap, {**gap_map_axes(rows, cols, lang), "cells": cells}),
        }
        for lang in LANGS
    ]


def serialise(model, value: dict) -> str:
    """JSON of `value` as FastAPI returns it for `response_model=model`: validated, then dumped by
    pydantic's serialiser (compact, UTF-8, fields in the model's order)."""
    adapter = _adapter(model)
    return adapter.dump_json(adapter.validate_python(value), by_alias=True).decode("utf-8")


@cache
def _adapter(model) -> TypeAdapter:
    return TypeAdapter(model)


def describe(table: str) -> list[dict]:
    description, columns = DESCRIPTIONS[table]
    return described(table, description, columns)
