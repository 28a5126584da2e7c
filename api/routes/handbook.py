"""GET /api/handbook: Cabi's practitioner handbook's advice, each with the review's evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from evidence.models import HandbookPublic
from evidence.read.handbook import flatten, list_handbook

from ..deps import PagedListDep
from ..formats import ListFile, list_response
from . import FILES, INVALID, Responses

router = APIRouter(tags=["handbook"])

EXAMPLE = {
    "data": [
        {
            "advice_id": "cabi-appoint-coordinator",
            "topic": "coordinator",
            "handbook_section": "Hvad er koordinering?",
            "quote_da": "I komplekse sager vil det være nærliggende at udpege en koordinator",
            "advice_en": "In complex cases one of the professionals should be appointed coordinator; …",
            "concept_ids": ["single-contact-person"],
            "evidence_note": "Supported: 2.2 and 6.4 cite 361, 507, 631, 751, 924 (5 studies, all supporting) …",
            "evidence_note_da": "Understøttet: 2.2 og 6.4 henviser til 361, 507, 631, 751, 924 (5 studier, alle understøtter) …",
            "n_studies": 5,
            "by_stance": {"supports": 5},
            "refs": [361, 507, 631, 751, 924],
            "concepts": [
                {
                    "concept_id": "single-contact-person",
                    "concept_label_da": "Én kontaktperson",
                    "concept_label_en": "Single contact person",
                    "n_studies": 5,
                    "n_supports": 5,
                    "n_contradicts": 0,
                    "n_mixed": 0,
                    "n_mentions": 0,
                    "refs": [361, 507, 631, 751, 924],
                }
            ],
        }
    ],
    "count": 1,
}
RESPONSES: Responses = {
    200: {
        **FILES[200],
        "content": {"application/json": {"example": EXAMPLE}, **FILES[200]["content"]},
    },
    **INVALID,
}

COLUMNS = [
    "advice_id",
    "topic",
    "handbook_section",
    "quote_da",
    "advice_en",
    "concept_ids",
    "n_studies",
    "n_supports",
    "n_contradicts",
    "n_mixed",
    "n_mentions",
    "refs",
    "evidence_note",
    "evidence_note_da",
]
EXTRA = {
    "n_studies": "Distinct included studies the review cites for any of the advice's concepts.",
    "n_supports": "Of those, studies whose stance (aggregated over the concepts) is supports.",
    "n_contradicts": "… contradicts.",
    "n_mixed": "… mixed.",
    "n_mentions": "… mentions only.",
    "refs": "Their reference numbers.",
}
HANDBOOK = ListFile("handbook", COLUMNS, table="handbook_advice", extra=EXTRA, flatten=flatten)


@router.get(
    "/handbook",
    response_model=HandbookPublic,
    responses=RESPONSES,
    summary="A practitioner handbook's advice against the review's evidence",
    description="Every recommendation of Cabi's handbook for municipal leaders and practitioners on "
    "interdisciplinary work (data/handbook_advice.csv): the handbook's words (verbatim), an English rendering, the "
    "review's concepts it is about, how many included studies the review cites for them and where they stand (overall "
    "and per concept), and a note on what that evidence says. The handbook is practice guidance, not evidence.",
)
def get_handbook(
    listing: PagedListDep,
    topic: Annotated[
        str | None,
        Query(
            max_length=40,
            description="coupling_competences, organisation, meetings, coordinator, plans_and_tools, management, "
            "citizen_involvement, knowledge_and_training or other.",
            examples=["coordinator"],
        ),
    ] = None,
    concept: Annotated[
        str | None,
        Query(
            max_length=100,
            description="Advice about this concept (an id from /api/concepts).",
            examples=["single-contact-person"],
        ),
    ] = None,
):
    page = list_handbook(listing.conn, topic, concept, listing.page_limit, listing.offset)
    return list_response(listing, HANDBOOK, page, {"topic": topic, "concept": concept})
