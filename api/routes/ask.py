"""GET /api/ask — a question in Danish or English, answered from the review's citations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse

from evidence.answer import ask as asking
from evidence.models import Answer
from evidence.read.database import Database
from evidence.settings import settings

from ..deps import ExportDep, LangQuery
from ..formats import file_response
from . import FILES, INVALID, NOT_FOUND

router = APIRouter(tags=["ask"])

COLUMNS = [
    "coverage",
    "concept_ids",
    "ref",
    "score",
    "authors",
    "year",
    "title",
    "countries",
    "stance",
    "claim_id",
    "section",
    "section_title",
    "page",
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
    "findings": "The study's Bilag 2 findings coded to the answer's concepts, with their stance.",
    "coverage": "covered, not_covered, facets_only or concept (see /docs).",
    "score": "Retrieval score of the study's best matching passage.",
    "page": "First page of the sentence's section in the review's PDF.",
}


def warm(database: Database) -> None:
    """Build the indexes at startup, so the first question is as fast as the rest."""
    asking.warm(database)


@router.get(
    "/ask",
    response_model=Answer,
    responses={**FILES, **NOT_FOUND, **INVALID},
    summary="Answer a question from the evidence",
    description=(
        "Finds the passages of the review that answer a free-text question (Danish or English; everyday words, "
        "typos and compounds tolerated): BM25 over every synthesis sentence with its curated paraphrases, every "
        "Bilag 2 finding and the 'Centrale fund' boxes, fused with the thesaurus. Facets in the question "
        "(country, service area, design, years) are applied as filters (`filters_applied`); direction words "
        "('hinders', 'virker') put the studies that stand that way first. Each study comes with its stance, the "
        "review's sentences that cite it (`evidence`), its Bilag 2 findings (`findings`), kept apart, and the "
        "passages that matched with their scores. `understood` says how the question was read. When the review "
        "does not speak to the question, `coverage` is `not_covered`, `studies` is empty and `suggestions` names "
        "the nearest topics. One row per (study, sentence) in the file formats."
    ),
)
async def get_ask(
    export: ExportDep,
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
):
    if not (q and q.strip()) and not concept:
        raise HTTPException(
            422, "Give q (a question, e.g. q=kontaktperson) or concept (an id from /api/concepts)."
        )
    if q and concept:  # the question had been dropped without a word (newcomer 11)
        raise HTTPException(
            422,
            "Give q or concept, not both: concept answers for one concept id and reads no question.",
        )
    result = asking.answer(export.database, q or "", concept=concept, lang=lang)
    if export.format == "json":
        # already the JSON of `Answer` (tests/test_ask.py checks it on every benchmark question):
        # returned as it is, without validating it once more per request
        return JSONResponse(result)
    rows = export_rows(result, lang)
    # the filter is what was asked; what the question was read as is `understood` (newcomer 8: a
    # resolved concept in the filter and the file name looked like input never given)
    given = "lang" in export.request.query_params  # the default is no part of the request
    filters = {"q": q, "concept": concept, "lang": lang if given else None}
    understood = {
        "concepts": ", ".join(c["id"] for c in result["concepts"]),
        **{k: v for k, v in result["filters_applied"].items() if k != "design"},
    }
    understood = {k: v for k, v in understood.items() if v not in (None, "", [])}
    return file_response(export, rows, COLUMNS, "ask", filters, COLUMN_DOCS, understood=understood)


def export_rows(result: dict, lang: str = "da") -> list[dict]:
    """One row per (study, sentence citing it); a study known only from Bilag 2 gets one row."""
    ids = [c["id"] for c in result["concepts"]]
    text = "text_en" if lang == "en" else "text_da"
    rows = []
    for s in result["studies"]:
        study = {
            "coverage": result["coverage"],
            "concept_ids": ids,
            **{
                k: s.get(k)
                for k in ("ref", "score", "authors", "year", "title", "countries", "stance")
            },
            "findings": [f"{f[text]} ({f['stance']})" for f in s["findings"]],
        }
        for ev in s["evidence"] or [{}]:
            rows.append({**study, **ev})
    return rows
