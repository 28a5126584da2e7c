"""GET /api/references.ris, /api/references.bib and /api/references.csl.json (and, with
`about=1`, each one's companion: its provenance as a key,value CSV).

Written, named and given their headers by evidence.export.references, as the site's study
files are.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from evidence.export.bibliography import entry, to_bibtex, to_csl_json, to_ris
from evidence.export.files import About, keep_parameters
from evidence.export.references import reference_about, reference_file
from evidence.read.lists import list_studies, references_by_id
from evidence.settings import public_url

from ..deps import ConnectionDep, DatabaseDep, StudyFiltersDep
from . import INVALID

router = APIRouter(tags=["references"])

AboutQuery = Annotated[
    bool,
    Query(
        description="Return the file's provenance (filter, dataset version, number of entries, how to cite the "
        "review) as a key,value CSV instead of the references.",
        examples=[True],
    ),
]


def _entries(conn, filters) -> list[dict]:
    studies, _ = list_studies(conn, filters)
    refs = references_by_id(conn, [s["reference_id"] for s in studies if s["reference_id"]])
    return [entry(s, refs.get(s["reference_id"])) for s in studies]


def _about(request: Request, database, given: dict, n_rows: int) -> About:
    """The file's About: `url` is the reference file's own (the request without `about`)."""
    query = keep_parameters(request.url.query, lambda k: k != "about")
    about = About.of_build(
        database.meta(), "references", public_url(request.url.path, query), given
    )
    about.n_rows = n_rows
    return about


DESCRIPTION = (
    "The included studies (filtered like /api/studies) for reference managers: authors split, title, venue, year, "
    "publication type mapped, and the review's reference number in {where}. Its provenance is in its name and "
    "headers (and `about=1` gives it as a key,value CSV)."
)


# name (the operation), suffix, summary, where the reference number goes, writer, media type, example
FORMATS = [
    (
        "get_ris",
        "ris",
        "Included studies as RIS",
        "N1 and KW",
        " For Zotero, EndNote, Mendeley.",
        to_ris,
        "application/x-research-info-systems",
        "TY  - RPRT\r\nAU  - Holm-Petersen, C.\r\n…ER  - ",
    ),
    (
        "get_bibtex",
        "bib",
        "Included studies as BibTeX",
        "note and keywords",
        " UTF-8 (biber/biblatex).",
        to_bibtex,
        "application/x-bibtex",
        "@techreport{holm-petersen-2021,\n  author = {…},\n}",
    ),
    (
        "get_csl",
        "csl.json",
        "Included studies as CSL-JSON",
        "note",
        " For citeproc, Pandoc and Zotero.",
        to_csl_json,
        "application/vnd.citationstyles.csl+json",
        [{"id": "holm-petersen-2021", "type": "report"}],
    ),
]


def add_route(name, suffix, summary, where, more, write, media_type, example) -> None:
    """One reference-manager file route: the filtered studies, written by `write` (through
    evidence.export.references, which names the file and gives its headers)."""

    def endpoint(
        request: Request,
        conn: ConnectionDep,
        database: DatabaseDep,
        filters: StudyFiltersDep,
        about: AboutQuery = False,
    ):
        given = {k: v for k, v in asdict(filters).items() if v is not None}
        entries = _entries(conn, filters)
        facts = _about(request, database, given, len(entries))
        body, kind, headers = (
            reference_about(facts, suffix) if about else reference_file(entries, facts, suffix)
        )
        return Response(body, media_type=kind, headers=headers)

    router.add_api_route(
        f"/references.{suffix}",
        endpoint,
        methods=["GET"],
        name=name,
        response_class=Response,
        summary=summary,
        description=DESCRIPTION.format(where=where) + more,
        responses={
            200: {"content": {media_type: {"example": example}, "text/csv": {}}},
            **INVALID,
        },
    )


for route in FORMATS:
    add_route(*route)
