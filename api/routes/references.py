"""GET /api/references.ris, /api/references.bib and /api/references.csl.json."""

from __future__ import annotations

from fastapi import APIRouter, Response

from evidence.export.bibliography import entry, to_bibtex, to_csl_json, to_ris
from evidence.read.lists import list_studies, references_by_id

from ..deps import ConnectionDep, StudyFiltersDep
from . import INVALID

router = APIRouter(tags=["references"])


def _entries(conn, filters) -> list[dict]:
    studies, _ = list_studies(conn, filters)
    refs = references_by_id(conn, [s["reference_id"] for s in studies if s["reference_id"]])
    return [entry(s, refs.get(s["reference_id"])) for s in studies]


def _file(body: str, media_type: str, name: str) -> Response:
    return Response(
        body.encode("utf-8"),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


DESCRIPTION = (
    "The included studies (filtered like /api/studies) for reference managers: authors split, title, venue, year, "
    "publication type mapped, and the review's reference number in {where}."
)


@router.get(
    "/references.ris",
    response_class=Response,
    summary="Included studies as RIS",
    description=DESCRIPTION.format(where="N1 and KW") + " For Zotero, EndNote, Mendeley.",
    responses={
        200: {
            "content": {
                "application/x-research-info-systems": {
                    "example": "TY  - RPRT\r\nAU  - Holm-Petersen, C.\r\n…ER  - "
                }
            }
        },
        **INVALID,
    },
)
def get_ris(conn: ConnectionDep, filters: StudyFiltersDep):
    return _file(
        to_ris(_entries(conn, filters)),
        "application/x-research-info-systems; charset=utf-8",
        "evidens-studies.ris",
    )


@router.get(
    "/references.bib",
    response_class=Response,
    summary="Included studies as BibTeX",
    description=DESCRIPTION.format(where="note and keywords") + " UTF-8 (biber/biblatex).",
    responses={
        200: {
            "content": {
                "application/x-bibtex": {
                    "example": "@techreport{holm-petersen-2021,\n  author = {…},\n}"
                }
            }
        },
        **INVALID,
    },
)
def get_bibtex(conn: ConnectionDep, filters: StudyFiltersDep):
    return _file(
        to_bibtex(_entries(conn, filters)),
        "application/x-bibtex; charset=utf-8",
        "evidens-studies.bib",
    )


@router.get(
    "/references.csl.json",
    response_class=Response,
    summary="Included studies as CSL-JSON",
    description=DESCRIPTION.format(where="note") + " For citeproc, Pandoc and Zotero.",
    responses={
        200: {
            "content": {
                "application/vnd.citationstyles.csl+json": {
                    "example": [{"id": "holm-petersen-2021", "type": "report"}]
                }
            }
        },
        **INVALID,
    },
)
def get_csl(conn: ConnectionDep, filters: StudyFiltersDep):
    return _file(
        to_csl_json(_entries(conn, filters)),
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        "evidens-studies.csl.json",
    )
