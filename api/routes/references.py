"""GET /api/references.ris, /api/references.bib and /api/references.csl.json (and, with
`about=1`, each one's companion: its provenance as a key,value CSV).

A reference file carries the provenance every export carries (evidence.export.files): its name
(`evidens-references-country-DK-<version>.ris`), the headers (dataset version, filter, citation,
`Link: <…&about=1>; rel="describedby"`) and the companion. Inside the file only BibTeX can say it,
in an `@comment` that reference managers skip: RIS has no comment syntax and no place for the
file as a whole (a leading record would be imported as a reference), and CSL-JSON is a bare
array of items; a field of every item (RIS `DB`, CSL `source`) would write the dataset version
into each reference of the reader's library, where it outlives the file. So RIS and CSL-JSON
carry their provenance beside them, not in them.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from evidence.export.bibliography import entry, to_bibtex, to_csl_json, to_ris
from evidence.export.files import (
    MEDIA_TYPES,
    About,
    about_csv,
    download_headers,
    file_name,
    keep_parameters,
)
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


def _bibtex_with_provenance(entries: list[dict], about: About) -> str:
    """BibTeX with an @comment first (reference managers and bibtexparser skip it): the dataset
    version and filter, so that the file says where it came from once renamed."""
    shown = re.sub(r"[{}\r\n]", " ", about.filter_text())  # a brace in `q` must not end it
    head = (
        f"@comment{{evidens dataset {about.dataset_version}: the included studies of VIVE (2024), "
        f"Tværfagligt samarbejde om en helhedsorienteret indsats; filter: {shown}}}\n\n"
    )
    return head + to_bibtex(entries)


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
    """One reference-manager file route: the filtered studies, written by `write`."""

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
        if about:
            name = facts.filename("csv", "-about")
            headers = download_headers(facts, name, companion=False)
            return Response(about_csv(facts), media_type=MEDIA_TYPES["csv"], headers=headers)
        body = _bibtex_with_provenance(entries, facts) if suffix == "bib" else write(entries)
        name = file_name(["evidens", "references"], given, facts.dataset_version, "", suffix)
        headers = download_headers(facts, name, companion=True)
        return Response(
            body.encode("utf-8"), media_type=f"{media_type}; charset=utf-8", headers=headers
        )

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
