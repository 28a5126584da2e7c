"""GET /api/studies and /api/studies/{ref}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from evidence.models import StudiesPublic, StudyDetail, StudyPublic
from evidence.read.documents import study_document
from evidence.read.lists import StudyFilters, list_studies

from ..deps import (
    AboutQuery,
    ConnectionDep,
    DatabaseDep,
    FormatQuery,
    LimitQuery,
    OffsetQuery,
    TextQuery,
    page_limit,
)
from ..formats import about_for, file_response
from . import FILES, INVALID, NOT_FOUND
from .docs import column_docs

router = APIRouter(tags=["studies"])

COLUMNS = [
    "ref",
    "authors",
    "year",
    "title",
    "title_en",
    "venue",
    "publication_type",
    "language",
    "countries",
    "service_areas",
    "methods",
    "is_danish",
    "reference_id",
    "link_score",
    "link_status",
    "bilag2_findings",
]


def study_filters(
    country: Annotated[
        str | None,
        Query(
            max_length=20,
            description="Country code (see /browse/evidence/countries).",
            examples=["DK"],
        ),
    ] = None,
    service_area: Annotated[
        str | None, Query(max_length=40, description="Service area code.", examples=["social"])
    ] = None,
    method: Annotated[
        str | None,
        Query(max_length=40, description="Method code.", examples=["qualitative_interviews"]),
    ] = None,
    dimension: Annotated[
        str | None,
        Query(
            max_length=40,
            description=(
                "A Bilag 2 dimension (rammer_og_maal, roller_og_viden, virkninger: studies with a finding under it) or a chapter "
                "dimension (rammer, maal, roller, viden, virkninger_borgere, virkninger_medarbejdere: studies cited in it)."
            ),
            examples=["virkninger"],
        ),
    ] = None,
    concept: Annotated[
        str | None,
        Query(
            max_length=100,
            description="Studies the review cites for this concept.",
            examples=["co-location"],
        ),
    ] = None,
    stance: Annotated[
        str | None,
        Query(
            max_length=20,
            description=(
                "supports, contradicts, mixed or mentions: the study's stance on `concept`, or on any concept without it."
            ),
            examples=["supports"],
        ),
    ] = None,
    year_from: Annotated[
        int | None,
        Query(ge=1900, le=2100, description="Published this year or later.", examples=[2015]),
    ] = None,
    year_to: Annotated[
        int | None,
        Query(ge=1900, le=2100, description="Published this year or earlier.", examples=[2020]),
    ] = None,
    q: TextQuery = None,
) -> StudyFilters:
    return StudyFilters(
        country, service_area, method, dimension, concept, stance, year_from, year_to, q
    )


StudyFiltersDep = Annotated[StudyFilters, Depends(study_filters)]


@router.get(
    "/studies",
    response_model=StudiesPublic,
    responses={**FILES, **INVALID},
    summary="List the included studies",
    description="The 55 studies of Bilag 2, filtered and paged; `count` is the number matching before paging.",
)
def get_studies(
    request: Request,
    database: DatabaseDep,
    conn: ConnectionDep,
    filters: StudyFiltersDep,
    limit: LimitQuery = None,
    offset: OffsetQuery = 0,
    format: FormatQuery = "json",
    about: AboutQuery = False,
):
    rows, count = list_studies(conn, filters, page_limit(limit, format), offset)
    if format == "json":
        return {"data": rows, "count": count}
    info = about_for(
        request, database, "studies", filters.active(), column_docs(conn, "studies", COLUMNS)
    )
    return file_response(format, rows, COLUMNS, info, about, StudyPublic)


@router.get(
    "/studies/{ref}",
    response_model=StudyDetail,
    responses={**NOT_FOUND, **INVALID},
    summary="One study, all the review says of it",
    description="Metadata, the bibliography entry, the Bilag 2 findings, every sentence of the review citing the study "
    "(quoted, with section), its quantitative outcomes and the audit findings that name it.",
)
def get_study(
    conn: ConnectionDep,
    ref: Annotated[
        int, Path(ge=0, le=1_000_000, description="The review's reference number.", examples=[924])
    ],
):
    # built with the database as StudyDetail serialises it (evidence.build.documents)
    return Response(study_document(conn, ref), media_type="application/json")
