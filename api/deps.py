"""API dependencies: the database, a read-only connection per request, shared query parameters."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Query, Request

from evidence.read.database import Database, DatabaseMissing
from evidence.settings import settings


def get_database(request: Request) -> Database:
    return request.app.state.database


DatabaseDep = Annotated[Database, Depends(get_database)]


def get_connection(database: DatabaseDep) -> Iterator[sqlite3.Connection]:
    """A read-only connection for one request (evidence.read.database.Database reuses them per build)."""
    try:
        conn = database.acquire()
    except DatabaseMissing as e:
        raise HTTPException(503, str(e)) from None
    try:
        yield conn
    finally:
        database.release(conn)


ConnectionDep = Annotated[sqlite3.Connection, Depends(get_connection)]

Format = Literal["json", "csv", "csv-excel-da", "xlsx"]
FormatQuery = Annotated[
    Format,
    Query(
        description="json (default); csv (UTF-8, comma); csv-excel-da (Danish Excel: UTF-8 with BOM, semicolon, CRLF, "
        "decimal comma); xlsx (a sheet of rows and a sheet 'about' with filter, dataset version and citation).",
        examples=["csv-excel-da"],
    ),
]
AboutQuery = Annotated[
    bool,
    Query(
        description="With format=csv or csv-excel-da: return the export's provenance (filter, dataset version, how to cite "
        "the review, column meanings) as a key,value CSV instead of the rows.",
        examples=[True],
    ),
]
Lang = Literal["da", "en"]
LangQuery = Annotated[
    Lang,
    Query(
        description="Language of labels, section titles and findings: da (default) or en.",
        examples=["en"],
    ),
]
LimitQuery = Annotated[
    int | None,
    Query(
        ge=1,
        le=1000,
        description="Rows per page (1–1000). Default: 100 for JSON, every row for file formats.",
        examples=[20],
    ),
]
OffsetQuery = Annotated[int, Query(ge=0, le=100_000, description="Rows to skip.", examples=[0])]
TextQuery = Annotated[
    str | None,
    Query(
        max_length=settings.max_query_length,
        description="Words that must all occur (case-insensitive).",
        examples=["familie"],
    ),
]

DEFAULT_LIMIT = 100


def page_limit(limit: int | None, fmt: str) -> int | None:
    """The limit to apply: as given, else 100 for JSON and everything for a file."""
    if limit is not None:
        return limit
    return DEFAULT_LIMIT if fmt == "json" else None
