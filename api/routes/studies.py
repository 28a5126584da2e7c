"""GET /api/studies and /api/studies/{ref}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from evidence.models import StudiesPublic, StudyDetail, StudyPublic
from evidence.read.documents import study_document
from evidence.read.lists import list_studies

from ..deps import ConnectionDep, PagedListDep, StudyFiltersDep
from ..formats import ListFile, list_response
from . import FILES, INVALID, NOT_FOUND

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
STUDIES = ListFile("studies", COLUMNS, table="studies", model=StudyPublic)


@router.get(
    "/studies",
    response_model=StudiesPublic,
    responses={**FILES, **INVALID},
    summary="List the included studies",
    description="The 55 studies of Bilag 2, filtered and paged; `count` is the number matching before paging.",
)
def get_studies(filters: StudyFiltersDep, listing: PagedListDep):
    page = list_studies(listing.conn, filters, listing.page_limit, listing.offset)
    return list_response(listing, STUDIES, page, filters.active())


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
