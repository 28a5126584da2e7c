"""GET /api/references.ris, /api/references.bib and /api/references.csl.json."""

from __future__ import annotations

import re
from dataclasses import asdict

from fastapi import APIRouter, Response

from evidence.export.bibliography import entry, to_bibtex, to_csl_json, to_ris
from evidence.export.files import About, file_name
from evidence.read.lists import list_studies, references_by_id

from ..deps import ConnectionDep, DatabaseDep, StudyFiltersDep
from . import INVALID

router = APIRouter(tags=["references"])


def _entries(conn, filters) -> list[dict]:
    studies, _ = list_studies(conn, filters)
    refs = references_by_id(conn, [s["reference_id"] for s in studies if s["reference_id"]])
    return [entry(s, refs.get(s["reference_id"])) for s in studies]


def _file(body: str, media_type: str, name: str, about: About) -> Response:
    """The file with the provenance every export carries: its name and headers."""
    return Response(
        body.encode("utf-8"),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"', **about.headers()},
    )


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
    "publication type mapped, and the review's reference number in {where}."
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

    def endpoint(conn: ConnectionDep, database: DatabaseDep, filters: StudyFiltersDep):
        given = {k: v for k, v in asdict(filters).items() if v is not None}
        about = About("studies", "", given, database.dataset_version())
        entries = _entries(conn, filters)
        body = _bibtex_with_provenance(entries, about) if suffix == "bib" else write(entries)
        name = file_name(["evidens", "studies"], given, about.dataset_version, "", suffix)
        return _file(body, f"{media_type}; charset=utf-8", name, about)

    router.add_api_route(
        f"/references.{suffix}",
        endpoint,
        methods=["GET"],
        name=name,
        response_class=Response,
        summary=summary,
        description=DESCRIPTION.format(where=where) + more,
        responses={200: {"content": {media_type: {"example": example}}}, **INVALID},
    )


for route in FORMATS:
    add_route(*route)
