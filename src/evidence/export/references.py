"""Reference-manager files with their provenance, for every door that sends them: the API's
/api/references.{ris,bib,csl.json} and the site's /study/{ref}.{ris,bib}.

A reference file carries the provenance every export carries (evidence.export.files): its name
(`evidens-references-country-DK-<version>.ris`, the one naming rule), the headers (dataset
version, filter, citation, `Referrer-Policy`, `Link: <…&about=1>; rel="describedby"`) and the
companion (`about=1`: the About as a key,value CSV). Inside the file only BibTeX can say it, in
an `@comment` that reference managers skip: RIS has no comment syntax and no place for the file
as a whole (a leading record would be imported as a reference), and CSL-JSON is a bare array of
items; a field of every item (RIS `DB`, CSL `source`) would write the dataset version into each
reference of the reader's library, where it outlives the file. So RIS and CSL-JSON carry their
provenance beside them, not in them.
"""

from __future__ import annotations

import re

from evidence.export.bibliography import to_bibtex, to_csl_json, to_ris
from evidence.export.files import MEDIA_TYPES, About, about_csv, download_headers, file_name

WRITERS = {  # suffix → (writer, media type)
    "ris": (to_ris, "application/x-research-info-systems"),
    "bib": (to_bibtex, "application/x-bibtex"),
    "csl.json": (to_csl_json, "application/vnd.citationstyles.csl+json"),
}


def bibtex_with_provenance(entries: list[dict], about: About) -> str:
    """BibTeX with an @comment first (reference managers and bibtexparser skip it): the dataset
    version and filter, so that the file says where it came from once renamed."""
    # a brace in `q` must not end it, nor a backslash escape the closing brace ("q=samarbejde\\")
    shown = re.sub(r"[{}\\\r\n]", " ", about.filter_text())
    head = (
        f"@comment{{evidens dataset {about.dataset_version}: the included studies of VIVE (2024), "
        f"Tværfagligt samarbejde om en helhedsorienteret indsats; filter: {shown}}}\n\n"
    )
    return head + to_bibtex(entries)


def reference_file(entries: list[dict], about: About, suffix: str) -> tuple[bytes, str, dict]:
    """(body, content type, headers) of the reference file `suffix` (ris, bib, csl.json) of
    `entries` (evidence.export.bibliography.entry), named by the About's resource, filter and
    version; `about.n_rows` is set to the number of entries. KeyError for another suffix."""
    write, media_type = WRITERS[suffix]
    about.n_rows = len(entries)
    body = bibtex_with_provenance(entries, about) if suffix == "bib" else write(entries)
    name = file_name(["evidens", about.resource], about.filters, about.dataset_version, "", suffix)
    headers = download_headers(about, name, companion=True)
    return body.encode("utf-8"), f"{media_type}; charset=utf-8", headers


def reference_about(about: About, suffix: str) -> tuple[bytes, str, dict]:
    """(body, content type, headers) of the reference file `suffix`'s companion: its About as a
    CSV, named for the file it describes (`…-<version>-ris-about.csv`, `-bib-`, `-csl-json-`), so
    that the companions of one filter's RIS and BibTeX can sit in one folder."""
    kind = "-" + suffix.replace(".", "-")
    headers = download_headers(about, about.filename("csv", f"{kind}-about"), companion=False)
    return about_csv(about), MEDIA_TYPES["csv"], headers
