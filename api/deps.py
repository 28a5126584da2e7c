"""API dependencies: the database, a read-only connection per request, shared query parameters,
the study filters and what every list route takes (`ExportQuery`, `ListQuery`, `PagedListQuery`).
Every dependency of a route is here."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Query, Request

from evidence.read.database import Database, DatabaseMissing
from evidence.read.lists import StudyFilters
from evidence.settings import settings


async def get_database(request: Request) -> Database:
    # async, as are the other cheap dependencies here: FastAPI runs a plain `def` dependency in
    # the thread pool, a round trip that costs more than the dependency itself
    return request.app.state.database


DatabaseDep = Annotated[Database, Depends(get_database)]


async def get_connection(database: DatabaseDep) -> AsyncIterator[sqlite3.Connection]:
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

CountryQuery = Annotated[
    str | None,
    Query(
        max_length=20, description="Country code (see /browse/evidence/countries).", examples=["DK"]
    ),
]
ServiceAreaQuery = Annotated[
    str | None, Query(max_length=40, description="Service area code.", examples=["social"])
]
MethodQuery = Annotated[
    str | None,
    Query(max_length=40, description="Method code.", examples=["qualitative_interviews"]),
]
DimensionQuery = Annotated[
    str | None,
    Query(
        max_length=40,
        description=(
            "A Bilag 2 dimension (rammer_og_maal, roller_og_viden, virkninger: studies with a finding under it) or a chapter "
            "dimension (rammer, maal, roller, viden, virkninger_borgere, virkninger_medarbejdere: studies cited in it)."
        ),
        examples=["virkninger"],
    ),
]
ConceptQuery = Annotated[
    str | None,
    Query(
        max_length=100,
        description="Studies the review cites for this concept.",
        examples=["co-location"],
    ),
]
StanceQuery = Annotated[
    str | None,
    Query(
        max_length=20,
        description=(
            "supports, contradicts, mixed or mentions: the study's stance on `concept`, or on any concept without it."
        ),
        examples=["supports"],
    ),
]
YearFromQuery = Annotated[
    int | None,
    Query(ge=1900, le=2100, description="Published this year or later.", examples=[2015]),
]
YearToQuery = Annotated[
    int | None,
    Query(ge=1900, le=2100, description="Published this year or earlier.", examples=[2020]),
]


async def study_filters(
    country: CountryQuery = None,
    service_area: ServiceAreaQuery = None,
    method: MethodQuery = None,
    dimension: DimensionQuery = None,
    concept: ConceptQuery = None,
    stance: StanceQuery = None,
    year_from: YearFromQuery = None,
    year_to: YearToQuery = None,
    q: TextQuery = None,
) -> StudyFilters:
    """The filters of /api/studies and the bibliography exports."""
    return StudyFilters(
        country, service_area, method, dimension, concept, stance, year_from, year_to, q
    )


StudyFiltersDep = Annotated[StudyFilters, Depends(study_filters)]

DEFAULT_LIMIT = 100


@dataclass
class ExportQuery:
    """`format` and `about`, taken by every route that answers with a file as well as JSON
    (api/formats.py writes it), with the request and database its provenance comes from."""

    request: Request
    database: DatabaseDep
    format: FormatQuery = "json"
    about: AboutQuery = False


async def export_query(
    request: Request, database: DatabaseDep, format: FormatQuery = "json", about: AboutQuery = False
) -> ExportQuery:
    """422 for `about` on JSON: it had been accepted and ignored (newcomer 11)."""
    if about and format == "json":
        raise HTTPException(
            422,
            "about=1 gives a file's provenance: add format=csv or format=csv-excel-da (a key,value "
            "CSV), or format=xlsx (the workbook, with its 'about' sheet).",
        )
    return ExportQuery(request, database, format, about)


ExportDep = Annotated[ExportQuery, Depends(export_query)]


@dataclass
class ListQuery:
    """What a list route takes besides its own filters: a connection and the export's format."""

    conn: ConnectionDep
    export: ExportDep


@dataclass
class PagedListQuery(ListQuery):
    """A list route that pages: `limit` and `offset` as well."""

    limit: LimitQuery = None
    offset: OffsetQuery = 0

    @property
    def page_limit(self) -> int | None:
        """The limit to apply: as given, else 100 for JSON and everything for a file."""
        if self.limit is not None:
            return self.limit
        return DEFAULT_LIMIT if self.export.format == "json" else None


async def list_query(conn: ConnectionDep, export: ExportDep) -> ListQuery:
    return ListQuery(conn, export)


async def paged_list_query(
    conn: ConnectionDep, export: ExportDep, limit: LimitQuery = None, offset: OffsetQuery = 0
) -> PagedListQuery:
    return PagedListQuery(conn, export, limit, offset)


ListDep = Annotated[ListQuery, Depends(list_query)]
PagedListDep = Annotated[PagedListQuery, Depends(paged_list_query)]
