"""GET /api/review, /api/audit and /api/gap-map."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from evidence.models import AuditFindingsPublic, GapMap, ReviewPublic
from evidence.read.documents import gap_map_document, review_record
from evidence.read.lists import list_audit

from ..deps import ConnectionDep, DatabaseDep, LangQuery, ListDep, PagedListDep
from ..formats import ListFile, file_response, list_response
from . import FILES, INVALID

router = APIRouter(tags=["review"])

AUDIT_COLUMNS = ["kind", "location", "stated", "observed", "detail"]
AUDIT = ListFile("audit", AUDIT_COLUMNS)
GAP_COLUMNS = [
    "concept_id",
    "concept_label",
    "col",
    "col_label",
    "count",
    "refs",
    "n_supports",
    "n_contradicts",
    "n_mixed",
    "n_mentions",
]


@router.get(
    "/review",
    response_model=ReviewPublic,
    responses=INVALID,
    summary="The review's record",
    description="Title, authors, ISBN, how to cite, research questions, dimensions, search and criteria (data/review.yml), "
    "the screening flow as printed and as computed, and the row counts of this build.",
)
def get_review(database: DatabaseDep, conn: ConnectionDep):
    return review_record(conn, database.dataset_version())


@router.get(
    "/audit",
    response_model=AuditFindingsPublic,
    responses={**FILES, **INVALID},
    summary="The review's own inconsistencies",
    description="What the review states against what its own data show: study counts per chapter, the screening "
    "arithmetic, citations of numbers that are not included studies, bibliography disagreements, …",
)
def get_audit(
    listing: PagedListDep,
    kind: Annotated[
        str | None,
        Query(max_length=60, description="One kind of finding.", examples=["chapter_study_count"]),
    ] = None,
    ref: Annotated[
        int | None,
        Query(ge=0, le=1_000_000, description="Findings that name this study.", examples=[5]),
    ] = None,
):
    page = list_audit(listing.conn, kind, ref, listing.page_limit, listing.offset)
    return list_response(listing, AUDIT, page, {"kind": kind, "ref": ref})


@router.get(
    "/gap-map",
    response_model=GapMap,
    responses={**FILES, **INVALID},
    summary="Evidence gap map",
    description="Concepts × countries, service areas or methods: how many studies the review cites for each concept "
    "in each, their refs and stances. Empty cells are the gaps. One row per cell in the file formats.",
)
def get_gap_map(
    listing: ListDep,
    rows: Annotated[
        Literal["concept"], Query(description="What the rows are (concepts).", examples=["concept"])
    ] = "concept",
    cols: Annotated[
        Literal["country", "service_area", "method"],
        Query(description="What the columns are.", examples=["country"]),
    ] = "country",
    lang: LangQuery = "da",
):
    # built with the database (evidence.build.documents)
    document = gap_map_document(listing.conn, cols, lang)
    if listing.export.format == "json":
        return Response(document, media_type="application/json")
    result = json.loads(document)
    labels = {r["id"]: r["label"] for r in result["rows"]} | {
        f"col:{c['id']}": c["label"] for c in result["cols"]
    }
    flat = [
        {
            "concept_id": c["row"],
            "concept_label": labels[c["row"]],
            "col_label": labels[f"col:{c['col']}"],
            **c,
        }
        for c in result["cells"]
    ]
    filters = {"rows": rows, "cols": cols, "lang": lang}
    return file_response(listing.export, flat, GAP_COLUMNS, f"gap-map-{cols}", filters)
