"""One module of routes per tag: ask, studies, concepts, claims (claims, sections, outcomes),
review (review, audit, gap map), handbook (Cabi's advice against the evidence), references (RIS, BibTeX,
CSL-JSON)."""

from __future__ import annotations

from typing import Any

from evidence.models import SQLModel

from ..strict import INVALID_RESPONSE

Responses = dict[int | str, dict[str, Any]]  # extra OpenAPI responses of a route


class ErrorPublic(SQLModel):
    detail: str


class NotFoundPublic(SQLModel):
    detail: str
    suggestions: list[dict]


NOT_FOUND: Responses = {
    404: {
        "model": NotFoundPublic,
        "description": "Unknown id; `suggestions` lists the nearest ones.",
    }
}
INVALID: Responses = INVALID_RESPONSE  # one shape for every 422 (api/strict.py)
FILES: Responses = {
    200: {
        "content": {
            "text/csv": {
                "schema": {"type": "string"},
                "example": 'ref,authors,year\r\n924,"Holm-Petersen, C., m.fl.",2021\r\n',
            },
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}
            },
        },
        "description": "JSON by default; a file with format=csv|csv-excel-da|xlsx.",
    },
}
