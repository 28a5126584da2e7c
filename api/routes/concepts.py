"""GET /api/concepts, /api/concepts/{id} (evidence profile) and /api/concepts/{id}/brief."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse

from evidence.answer.ask import concept_studies, unknown_concept
from evidence.export.briefs import render_brief
from evidence.models import ConceptProfile, ConceptPublic, ConceptsPublic
from evidence.read.documents import (
    concept_profile,
    country_labels,
    find_concept,
    review_record,
    section_pages,
)
from evidence.read.lists import list_concepts
from evidence.settings import public_url

from ..deps import ConnectionDep, DatabaseDep, LangQuery, PagedListDep, TextQuery
from ..formats import ListFile, list_response
from . import FILES, INVALID, NOT_FOUND

router = APIRouter(tags=["concepts"])

COLUMNS = [
    "id",
    "label_da",
    "label_en",
    "synonyms_da",
    "synonyms_en",
    "dimension",
    "broader",
    "factor",
    "definition_da",
    "definition_en",
    "n_claims",
    "n_studies",
]
CONCEPTS = ListFile(
    "concepts",
    COLUMNS,
    table="concepts",
    extra={
        "n_claims": "Claims of the review about the concept.",
        "n_studies": "Included studies the review cites for it.",
    },
    model=ConceptPublic,
)
ConceptId = Annotated[
    str,
    Path(
        max_length=100,
        description="A concept id (see /api/concepts).",
        examples=["single-contact-person"],
    ),
]


@router.get(
    "/concepts",
    response_model=ConceptsPublic,
    responses={**FILES, **INVALID},
    summary="List the concepts",
    description="The bilingual thesaurus: labels, synonyms, dimension, broader concept, definition, and how many "
    "claims and studies the review has for each.",
)
def get_concepts(
    listing: PagedListDep,
    dimension: Annotated[
        str | None,
        Query(
            max_length=40,
            description="rammer, maal, roller, viden, virkninger_borgere or virkninger_medarbejdere.",
            examples=["roller"],
        ),
    ] = None,
    q: TextQuery = None,
):
    page = list_concepts(listing.conn, dimension, q, listing.page_limit, listing.offset)
    return list_response(listing, CONCEPTS, page, {"dimension": dimension, "q": q})


def _profile(database, conn, concept_id: str, lang: str) -> dict:
    concept = find_concept(conn, concept_id)
    if concept is None:
        raise unknown_concept(database, concept_id)
    studies = concept_studies(database, concept_id, lang)
    return concept_profile(conn, concept, studies)


@router.get(
    "/concepts/{concept_id}",
    response_model=ConceptProfile,
    responses={**NOT_FOUND, **INVALID},
    summary="A concept's evidence profile",
    description="The concept, every study the review cites for it with its stance, sentences and findings, and the "
    "studies counted by stance, country and method.",
)
def get_concept(
    database: DatabaseDep, conn: ConnectionDep, concept_id: ConceptId, lang: LangQuery = "da"
):
    return _profile(database, conn, concept_id, lang)


@router.get(
    "/concepts/{concept_id}/brief",
    response_class=Response,  # HTML or Markdown; errors stay JSON (see responses)
    responses={
        200: {
            "content": {
                "text/html": {"schema": {"type": "string"}, "example": "<!doctype html>…"},
                "text/markdown": {
                    "schema": {"type": "string"},
                    "example": "# Vidensnotat: Én kontaktperson\n…",
                },
            },
            "description": "The brief as HTML or Markdown.",
        },
        **NOT_FOUND,
        **INVALID,
    },
    summary="A one-page evidence brief for policy staff",
    description="What the review says about the concept, which studies it rests on and where they stand, the review's sentences "
    "with section references, and how to cite the review. Printable HTML or Markdown, in Danish or English.",
)
def get_brief(
    request: Request,
    database: DatabaseDep,
    conn: ConnectionDep,
    concept_id: ConceptId,
    lang: LangQuery = "da",
    format: Annotated[
        Literal["html", "md"],
        Query(description="html (default) or md (Markdown).", examples=["md"]),
    ] = "html",
):
    profile = _profile(database, conn, concept_id, lang)
    review = review_record(conn, database.dataset_version())
    sections = section_pages(conn, lang)
    url = public_url(request.app.url_path_for("get_concept", concept_id=concept_id))
    countries = country_labels(conn, lang)
    text = render_brief(profile, review, sections, format, lang, url, countries)
    if format == "md":
        return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")
    return HTMLResponse(text)
