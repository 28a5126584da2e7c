"""GET /api/ask — a question in Danish or English, answered from the review's citations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from evidence.answer import ask as asking
from evidence.models import Answer
from evidence.read.database import Database
from evidence.settings import settings

from ..deps import AboutQuery, DatabaseDep, FormatQuery, LangQuery
from ..formats import about_for, file_response
from . import FILES, INVALID, NOT_FOUND

router = APIRouter(tags=["ask"])

COLUMNS = [
    "concept_ids",
    "ref",
    "authors",
    "year",
    "title",
    "countries",
    "stance",
    "claim_id",
    "section",
    "section_title",
    "quote_da",
    "text_en",
    "chapters",
    "findings",
]
COLUMN_DOCS = {
    "concept_ids": "The concept(s) the question was resolved to.",
    "ref": "The review's reference number for the study.",
    "stance": "The study's stance on the concept(s): supports, contradicts, mixed or mentions.",
    "claim_id": "The review's sentence citing the study (section and position).",
    "quote_da": "The sentence, verbatim.",
    "text_en": "English rendering of the sentence.",
    "chapters": "Anthology chapters cited (study 631).",
    "findings": "The study's Bilag 2 findings that relate to the concept.",
}


def warm(database: Database) -> None:
    """Build the concept index at startup, so the first question is as fast as the rest."""
    asking.concept_index(database)


@router.get(
    "/ask",
    response_model=Answer,
    responses={**FILES, **NOT_FOUND, **INVALID},
    summary="Answer a question from the evidence",
    description=(
        "Resolves a free-text question (Danish or English; typos tolerated) to concepts of the thesaurus and lists "
        "every included study the review cites for them, with its stance, the review's sentences (quoted, with "
        "section) and its Bilag 2 findings on the concept. `concepts[].matched` explains each match. When nothing "
        "matches well the answer has no studies and `suggestions` names the nearest concepts. One row per "
        "(study, sentence) in the file formats."
    ),
)
def get_ask(
    request: Request,
    database: DatabaseDep,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=settings.max_query_length,
            description="The question, in Danish or English.",
            examples=["Hvilke studier handler om fysisk samlokalisering?"],
        ),
    ] = None,
    concept: Annotated[
        str | None,
        Query(
            max_length=100,
            description="A concept id: skips resolving the question.",
            examples=["single-contact-person"],
        ),
    ] = None,
    lang: LangQuery = "da",
    format: FormatQuery = "json",
    about: AboutQuery = False,
):
    if not (q and q.strip()) and not concept:
        raise HTTPException(
            422, "Give q (a question, e.g. q=kontaktperson) or concept (an id from /api/concepts)."
        )
    result = asking.answer(database, q or "", concept=concept, lang=lang)
    if format == "json":
        return result
    rows = export_rows(result)
    filters = {
        "q": q,
        "concept": concept or ",".join(c["id"] for c in result["concepts"]),
        "lang": lang,
    }
    return file_response(
        format, rows, COLUMNS, about_for(request, database, "ask", filters, COLUMN_DOCS), about
    )


def export_rows(result: dict) -> list[dict]:
    """One row per (study, sentence citing it)."""
    ids = [c["id"] for c in result["concepts"]]
    return [
        {
            "concept_ids": ids,
            **{
                k: s[k]
                for k in ("ref", "authors", "year", "title", "countries", "stance", "findings")
            },
            **ev,
        }
        for s in result["studies"]
        for ev in s["evidence"]
    ]
