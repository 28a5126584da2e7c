"""GET /api/claims, /api/sections and /api/outcomes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from evidence.models import (
    ClaimPublic,
    ClaimsPublic,
    OutcomePublic,
    OutcomesPublic,
    SectionPublic,
    SectionsPublic,
)
from evidence.read.lists import list_claims, list_outcomes, list_sections

from ..deps import ListDep, PagedListDep
from ..formats import ListFile, list_response
from . import FILES, INVALID

router = APIRouter(tags=["review"])

CLAIM_COLUMNS = [
    "claim_id",
    "section",
    "section_title",
    "chapter",
    "page",
    "sentence_da",
    "text_en",
    "citation_text",
    "cited_refs",
    "concept_ids",
    "stance",
]
SECTION_COLUMNS = [
    "section",
    "chapter",
    "level",
    "title_da",
    "title_en",
    "dimension",
    "page",
    "stated_n_studies",
    "stated_n_danish",
    "n_claims",
    "n_studies",
]
OUTCOME_COLUMNS = [
    "outcome_id",
    "ref",
    "section",
    "measure_da",
    "measure_en",
    "population",
    "value_before",
    "value_after",
    "value",
    "unit",
    "period",
    "direction",
    "quote_da",
    "note",
]
CLAIMS = ListFile(
    "claims",
    CLAIM_COLUMNS,
    table="claims",
    extra={"section_title": "Title of the section (Danish)."},
    model=ClaimPublic,
)
SECTIONS = ListFile(
    "sections",
    SECTION_COLUMNS,
    table="sections",
    extra={
        "n_claims": "Claims in the section (a chapter counts all of its sections).",
        "n_studies": "Distinct included studies cited.",
    },
    model=SectionPublic,
)
OUTCOMES = ListFile("outcomes", OUTCOME_COLUMNS, table="outcomes", model=OutcomePublic)
Section = Annotated[
    str | None,
    Query(
        max_length=10, description="A section ('2.2') or a whole chapter ('2').", examples=["2.2"]
    ),
]
Ref = Annotated[
    int | None, Query(ge=0, le=1_000_000, description="A study's reference number.", examples=[924])
]


@router.get(
    "/claims",
    response_model=ClaimsPublic,
    responses={**FILES, **INVALID},
    summary="List the review's claims",
    description="Every citation group in chapters 2–7: the sentence (verbatim), its English rendering, the studies it "
    "cites, its concepts and stance.",
)
def get_claims(
    listing: PagedListDep,
    section: Section = None,
    concept: Annotated[
        str | None,
        Query(max_length=100, description="Claims about this concept.", examples=["co-location"]),
    ] = None,
    stance: Annotated[
        str | None,
        Query(
            max_length=20,
            description="supports, contradicts, mixed or mentions (on `concept` when given).",
            examples=["contradicts"],
        ),
    ] = None,
    ref: Ref = None,
):
    page = list_claims(
        listing.conn, section, concept, stance, ref, listing.page_limit, listing.offset
    )
    filters = {"section": section, "concept": concept, "stance": stance, "ref": ref}
    return list_response(listing, CLAIMS, page, filters)


@router.get(
    "/sections",
    response_model=SectionsPublic,
    responses={**FILES, **INVALID},
    summary="List the chapters and sections",
    description="Chapters and sections 1–8 with pages, 'Centrale fund' boxes, the number of studies each says it "
    "builds on, and the number of claims and distinct studies it actually cites.",
)
def get_sections(listing: ListDep):
    return list_response(listing, SECTIONS, list_sections(listing.conn))


@router.get(
    "/outcomes",
    response_model=OutcomesPublic,
    responses={**FILES, **INVALID},
    summary="List the quantitative outcomes",
    description="Every number the review reports about effects (before/after, a single value), with its quote.",
)
def get_outcomes(listing: PagedListDep, ref: Ref = None, section: Section = None):
    page = list_outcomes(listing.conn, ref, section, listing.page_limit, listing.offset)
    return list_response(listing, OUTCOMES, page, {"ref": ref, "section": section})
