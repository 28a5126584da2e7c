"""Files for spreadsheets and reference managers: CSV, Danish-Excel CSV, XLSX, RIS, BibTeX, CSL-JSON."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from openpyxl import load_workbook

from evidence.export.bibliography import parse_venue, split_authors
from evidence.export.files import About, cell, to_csv, to_excel_csv_da, to_xlsx


def _rows(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_csv(api_client):
    r = api_client.get("/api/studies", params={"country": "DK", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    raw = r.content
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(
        csv.DictReader(io.StringIO(raw.decode("utf-8"), newline=""))
    )  # the header is the first line
    assert len(rows) == api_client.get("/api/studies", params={"country": "DK"}).json()["count"]
    s924 = next(r for r in rows if r["ref"] == "924")
    assert (
        s924["authors"] == "Holm-Petersen, C., m.fl."
        and s924["year"] == "2021"
        and s924["is_danish"] == "true"
    )
    s1 = _rows(api_client.get("/api/studies", params={"format": "csv"}).text)
    header = s1[0]
    first = dict(zip(header, s1[1], strict=True))
    assert first["service_areas"] == "social, health"  # lists joined with ", "
    assert (
        first["methods"]
        == "qualitative_interviews, survey, document_analysis, diaries, observation"
    )


def test_csv_exports_everything_unless_limited(api_client):
    rows = _rows(api_client.get("/api/claims", params={"format": "csv"}).text)
    assert len(rows) == 1 + 191
    rows = _rows(api_client.get("/api/claims", params={"format": "csv", "limit": 5}).text)
    assert len(rows) == 1 + 5


def test_danish_excel_csv(api_client):
    r = api_client.get("/api/studies", params={"format": "csv-excel-da", "country": "DK"})
    raw = r.content
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.count("\r\n") == text.count("\n")  # CRLF only
    rows = _rows(text, ";")
    header = rows[0]
    assert header[:3] == ["ref", "authors", "year"] and "link_score" in header
    s507 = dict(zip(header, next(r for r in rows if r[0] == "507"), strict=True))
    assert s507["link_score"] == "91,2"  # decimal comma
    assert s507["year"] == "2023" and s507["ref"] == "507"  # whole numbers untouched


def test_provenance_of_a_csv(api_client):
    r = api_client.get("/api/studies", params={"format": "csv", "country": "DK"})
    version = api_client.get("/api/review").json()["dataset_version"]
    assert r.headers["x-evidence-dataset-version"] == version
    assert r.headers["x-evidence-filter"] == "country=DK"
    assert r.headers["x-evidence-citation"].startswith("UTF-8''Hjelmar%2C%20U.")
    assert (
        r.headers["content-disposition"]
        == f'attachment; filename="evidens-studies-country-DK-{version[:8]}.csv"'
    )
    assert r.headers["link"].endswith('about=1>; rel="describedby"')
    about = api_client.get("/api/studies", params={"format": "csv", "country": "DK", "about": 1})
    facts = dict(_rows(about.text)[1:])
    assert (
        facts["filter"] == "country=DK"
        and facts["dataset_version"] == version
        and facts["resource"] == "studies"
    )
    assert facts["rows"] == str(len(_rows(r.text)) - 1)
    assert facts["cite_review_da"].startswith("Hjelmar, U., Ibsen, J. T. & Fischer, R. H. (2024).")
    assert facts["column ref"].startswith("The review's reference number")
    assert about.headers["content-disposition"].endswith(f'-{version[:8]}-about.csv"')


EXPORTS = [
    ("/api/studies", {"country": "DK"}),
    ("/api/concepts", {}),
    ("/api/claims", {"concept": "single-contact-person"}),
    ("/api/sections", {}),
    ("/api/outcomes", {}),
    ("/api/audit", {}),
    ("/api/gap-map", {}),
    ("/api/handbook", {}),
    ("/api/ask", {"q": "kontaktperson"}),
]


def _public(path: str) -> str:
    from evidence.settings import settings

    return settings.public_url.rstrip("/") + path


@pytest.mark.parametrize(("path", "params"), EXPORTS)
@pytest.mark.parametrize("fmt", ["csv", "csv-excel-da"])
def test_the_about_file_points_at_the_data_file_it_describes(api_client, path, params, fmt):
    """Fault: the companion's `url` row was the companion's own URL (`…&about=1`)."""
    query = "&".join(f"{k}={v}" for k, v in {"format": fmt, **params}.items())
    data = f"{path}?{query}"
    for asked in (f"{path}?about=1&{query}", f"{data}&about=1", f"{data}&about=true"):
        r = api_client.get(asked)
        text = r.content.decode("utf-8-sig")
        facts = dict(_rows(text, ";" if fmt == "csv-excel-da" else ",")[1:])
        assert r.status_code == 200 and facts["url"] == _public(data), asked
    # the data file's Link leads to its companion, and the companion back to the data file
    link = api_client.get(f"{data}&about=false").headers["link"]
    assert link == f'<{_public(data)}&about=1>; rel="describedby"'
    assert api_client.get(link[1 : link.index(">")]).status_code == 200


def test_an_xlsx_about_sheet_names_the_workbook_not_about(api_client):
    r = api_client.get("/api/studies", params={"format": "xlsx", "country": "DK", "about": 1})
    about = dict(list(load_workbook(io.BytesIO(r.content))["about"].values)[1:])
    assert about["url"] == _public("/api/studies?format=xlsx&country=DK")


def test_xlsx(api_client):
    r = api_client.get("/api/claims", params={"format": "xlsx", "concept": "single-contact-person"})
    assert (
        r.headers["content-type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["claims", "about"]
    data = list(wb["claims"].values)
    assert data[0][:3] == ("claim_id", "section", "section_title")
    assert [row[0] for row in data[1:]] == [
        "2.2-01",
        "2.2-02",
        "2.2-03",
        "2.2-04",
        "6.4-08",
        "6.4-09",
    ]
    assert data[4][8] == "631, 751, 924"  # cited_refs joined
    about = {k: v for k, v in list(wb["about"].values)[1:]}
    assert about["filter"] == "concept=single-contact-person" and about["rows"] == "6"
    assert about["dataset_version"] == api_client.get("/api/review").json()["dataset_version"]
    assert about["cite_review_en"].startswith("Hjelmar, U., Ibsen, J. T., & Fischer, R. H. (2024).")
    again = api_client.get(
        "/api/claims", params={"format": "xlsx", "concept": "single-contact-person"}
    )
    assert again.content == r.content  # same build, same bytes (the ETag promises it)


@pytest.mark.parametrize(
    "path",
    [
        "/api/studies",
        "/api/concepts",
        "/api/claims",
        "/api/sections",
        "/api/outcomes",
        "/api/audit",
        "/api/gap-map",
        "/api/ask",
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "csv-excel-da", "xlsx"])
def test_every_list_exports(api_client, path, fmt):
    r = api_client.get(
        path, params={"format": fmt, **({"q": "kontaktperson"} if path == "/api/ask" else {})}
    )
    assert r.status_code == 200 and r.headers["content-disposition"].startswith(
        'attachment; filename="evidens-'
    )
    if fmt == "xlsx":
        assert load_workbook(io.BytesIO(r.content)).sheetnames[-1] == "about"
    else:
        assert len(_rows(r.content.decode("utf-8-sig"), ";" if fmt == "csv-excel-da" else ",")) > 1


def test_ask_export_has_a_row_per_study_and_sentence(api_client):
    rows = _rows(api_client.get("/api/ask", params={"q": "kontaktperson", "format": "csv"}).text)
    header = rows[0]
    assert header[:4] == ["coverage", "concept_ids", "ref", "score"]
    by_ref = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    assert len(by_ref) == 3 + 3 + 3 + 2 + 1  # 631, 751, 924: 2.2-04, 6.4-08/09; 507: 2; 361: 1
    assert {r["concept_ids"] for r in by_ref} == {"single-contact-person"}
    assert {r["coverage"] for r in by_ref} == {"covered"}
    s631 = next(r for r in by_ref if r["ref"] == "631" and r["claim_id"] == "2.2-04")
    assert s631["chapters"] == "5, 6, 7" and s631["stance"] == "supports"
    assert [r["ref"] for r in by_ref] == sorted(  # best study first, a study's rows together
        (r["ref"] for r in by_ref),
        key=lambda ref: -float(next(x["score"] for x in by_ref if x["ref"] == ref)),
    )


def test_gap_map_export_keeps_the_gaps(api_client):
    rows = _rows(api_client.get("/api/gap-map", params={"cols": "country", "format": "csv"}).text)
    header = rows[0]
    cells = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    n_concepts = api_client.get("/api/concepts", params={"limit": 1000}).json()["count"]
    assert len(cells) == n_concepts * (10 + 1)  # ten countries and not_reported
    scp = next(c for c in cells if c["concept_id"] == "single-contact-person" and c["col"] == "DK")
    assert (
        scp["count"] == "5"
        and scp["refs"] == "361, 507, 631, 751, 924"
        and scp["col_label"] == "Danmark"
    )


def test_xlsx_bytes_do_not_depend_on_the_clock():
    about = About("studies", "u", {}, "v", built_at="2026-01-02T03:04:05Z")
    first = to_xlsx([{"a": 1}], ["a"], about)
    time.sleep(1.1)  # zip entries and docProps carry seconds
    assert to_xlsx([{"a": 1}], ["a"], about) == first


def test_xlsx_cells_survive_control_characters():
    about = About("concepts", "u", {"q": "a\x08b"}, "v")
    wb = load_workbook(io.BytesIO(to_xlsx([{"a": "x\x00y"}], ["a"], about)))
    assert list(wb["concepts"].values)[1] == ("x\ufffdy",)
    assert dict(list(wb["about"].values)[1:])["filter"] == "q=a\ufffdb"


def test_cells_and_dialects():
    assert (
        cell([1, 2]) == "1, 2"
        and cell(None) == ""
        and cell(True) == "true"
        and cell(2.5, decimal_comma=True) == "2,5"
    )
    assert cell(40.0, decimal_comma=True) == "40"
    rows = [{"a": "x;y", "b": 1.5}]
    assert to_csv(rows, ["a", "b"]) == b"a,b\r\nx;y,1.5\r\n"
    assert to_excel_csv_da(rows, ["a", "b"]) == '\ufeff"a";"b"\r\n"x;y";1,5\r\n'.encode()
    about = About(
        "studies", "http://x/api/studies?country=DK", {"country": "DK"}, "abcdef0123456789"
    )
    assert about.filename("csv") == "evidens-studies-country-DK-abcdef01.csv"
    assert about.filename("xlsx") == "evidens-studies-country-DK-abcdef01.xlsx"
    assert about.filename("csv-excel-da") == "evidens-studies-country-DK-abcdef01-excel-da.csv"


def test_every_format_of_one_list_gets_its_own_name(api_client, site):
    """Plain and Danish CSV were both `evidens-studies-country-DK-<version>.csv`; the site's
    Danish CSV was `studies.csv`. Now one rule names them all: resource, filter, version, kind."""
    import asyncio

    names = {}
    for fmt in ("csv", "csv-excel-da", "xlsx"):
        r = api_client.get("/api/studies", params={"country": "DK", "format": fmt})
        names[fmt] = r.headers["content-disposition"]
    version = api_client.get("/api/studies", params={"format": "csv"}).headers[
        "X-Evidence-Dataset-Version"
    ][:8]
    assert names == {
        "csv": f'attachment; filename="evidens-studies-country-DK-{version}.csv"',
        "csv-excel-da": f'attachment; filename="evidens-studies-country-DK-{version}-excel-da.csv"',
        "xlsx": f'attachment; filename="evidens-studies-country-DK-{version}.xlsx"',
    }
    for ext, name in (("excelcsv", "-excel-da.csv"), ("xlsx", ".xlsx")):
        r = asyncio.run(
            site.client.get(f"/evidence/studies.{ext}", params={"is_danish": "1", "_size": "max"})
        )
        expected = f'attachment; filename="evidens-studies-is_danish-1-{version}{name}"'
        assert r.headers["content-disposition"] == expected


def test_ris(api_client):
    r = api_client.get("/api/references.ris", params={"concept": "single-contact-person"})
    assert r.headers["content-type"].startswith("application/x-research-info-systems")
    text = r.text
    records = [rec for rec in text.split("ER  - ") if rec.strip()]
    assert len(records) == 5
    rec924 = next(rec for rec in records if "study 924" in rec)
    lines = rec924.strip().split("\r\n")
    assert lines[0] == "TY  - RPRT"
    assert lines[1:6] == [
        "AU  - Holm-Petersen, C.",
        "AU  - Schmidt, A.",
        "AU  - Povlsen, R.",
        "AU  - Jonsen, E. H.",
        "AU  - Jakobsen, M. L.",
    ]
    assert (
        "PY  - 2021" in lines
        and "CY  - København" in lines
        and "N1  - VIVE 2024 review, study 924" in lines
    )
    assert "KW  - VIVE 2024 study 924" in lines and "ID  - holm-petersen-2021" in lines
    rec631 = next(rec for rec in records if "study 631" in rec)
    assert rec631.strip().startswith("TY  - EDBOOK\r\nA2  - Villumsen, A. M.")


def test_ris_types_and_journal_fields(api_client):
    text = api_client.get("/api/references.ris").text
    assert text.count("TY  - ") == 55
    rec1 = next(rec for rec in text.split("ER  - ") if "study 1\r\n" in rec)
    for line in [
        "TY  - JOUR",
        "AU  - Emilsson, U.M.",
        "AU  - Strid, A-L",
        "AU  - Söderberg, M.",
        "T2  - Journal of Population Ageing",
        "VL  - 15",
        "IS  - 2",
        "SP  - 319",
        "EP  - 335",
    ]:
        assert line in rec1
    assert (
        "TY  - THES" in text
        and "TY  - CPAPER" in text
        and "TY  - BOOK" in text
        and "TY  - GEN" in text
    )


def test_bibtex(api_client):
    text = api_client.get("/api/references.bib").text
    assert text.startswith("@comment{evidens dataset ")  # provenance, skipped by parsers
    assert text.count("\n@") == 55
    entry = text[text.index("@techreport{holm-petersen-2021,") :]
    entry = entry[: entry.index("\n}\n")]
    assert (
        "author = {Holm-Petersen, C. and Schmidt, A. and Povlsen, R. and Jonsen, E. H. and Jakobsen, M. L.}"
        in entry
    )
    assert "title = {{Én plan for en sammenhængende indsats sammen med borgeren" in entry
    assert (
        "year = {2021}" in entry
        and "institution = {VIVE - Det Nationale Forsknings- og Analysecenter for Velfærd}" in entry
    )
    assert "note = {VIVE 2024 review, study 924}" in entry
    article = text[text.index("@article{emilsson-2022,") :]
    assert (
        "journal = {Journal of Population Ageing}" in article
        and "pages = {319--335}" in article
        and "number = {2}" in article
    )
    assert "@phdthesis{" in text and "@inproceedings{" in text and "@book{villumsen-2018," in text
    assert "editor = {Villumsen, A. M.}" in text
    assert "author = {{Deloitte}}" in text


def test_csl_json(api_client):
    r = api_client.get("/api/references.csl.json", params={"country": "DK", "year_from": 2021})
    items = json.loads(r.text)
    assert (
        len(items)
        == api_client.get("/api/studies", params={"country": "DK", "year_from": 2021}).json()[
            "count"
        ]
    )
    item = next(i for i in items if i["id"] == "holm-petersen-2021")
    assert item["type"] == "report" and item["issued"] == {"date-parts": [[2021]]}
    assert (
        item["author"][0] == {"family": "Holm-Petersen", "given": "C."}
        and item["note"] == "VIVE 2024 review, study 924"
    )
    assert item["publisher-place"] == "København"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Andvig, E., Syse, J., & Severinsson E.",
            [("Andvig", "E."), ("Syse", "J."), ("Severinsson", "E.")],
        ),
        (
            "Emilsson, U.M., Strid, A-L & Söderberg, M.",
            [("Emilsson", "U.M."), ("Strid", "A-L"), ("Söderberg", "M.")],
        ),
        (
            "Beck, A.-M. T., Rasmussen, B. M., & Nielsen, T. K. H.",
            [("Beck", "A.-M. T."), ("Rasmussen", "B. M."), ("Nielsen", "T. K. H.")],
        ),
        ("Holm-Petersen, C., m.fl.", [("Holm-Petersen", "C.")]),
        ("Deloitte", ["Deloitte"]),
    ],
)
def test_split_authors(text, expected):
    got = [
        (a["family"], a["given"]) if "family" in a else a["literal"] for a in split_authors(text)
    ]
    assert got == expected


def test_parse_venue():
    assert parse_venue("Nordic Social Work Research, 9(3), 235-249", "journal_article") == {
        "container": "Nordic Social Work Research",
        "volume": "9",
        "issue": "3",
        "pages": ("235", "249"),
    }
    assert parse_venue(
        "Rehabilitation Research and Practice, 1972190, 1-12", "journal_article"
    ) == {
        "container": "Rehabilitation Research and Practice",
        "number": "1972190",
        "pages": ("1", "12"),
    }
    assert parse_venue("Ph.d.-afhandling. Örebro: Örebro Universitet", "phd_thesis") == {
        "series": "Ph.d.-afhandling",
        "place": "Örebro",
        "publisher": "Örebro Universitet",
    }
    assert parse_venue(
        "Interaction on the Edge, proceedings from the 5th GRASP conference, 52-69. Linköping: Linköping University",
        "conference_paper",
    ) == {
        "container": "Interaction on the Edge, proceedings from the 5th GRASP conference",
        "pages": ("52", "69"),
        "place": "Linköping",
        "publisher": "Linköping University",
    }


@pytest.mark.parametrize("suffix", ["ris", "bib", "csl.json"])
def test_reference_files_are_named_by_filter_and_version(api_client, suffix):
    # the same naming rule as every other export (evidence.export.files.file_name); the files
    # hold references, and were named "studies"
    version = api_client.get("/api/review").json().get("dataset_version", "")
    got = api_client.get(f"/api/references.{suffix}", params={"country": "DK"})
    disposition = got.headers["content-disposition"]
    assert (
        f'filename="evidens-references-country-DK-{version[:8]}.{suffix}"'
        == disposition.split("; ", 1)[1]
    )


@pytest.mark.parametrize("suffix", ["ris", "bib", "csl.json"])
def test_reference_files_carry_their_filter_and_version(api_client, suffix):
    """Newcomer 9: the reference files had their provenance only in the file name; they send the
    headers every other export sends (the citation and the describedby Link were missing), and
    BibTeX says it in an @comment too."""
    r = api_client.get(f"/api/references.{suffix}", params={"country": "DK"})
    version = api_client.get("/api/review").json()["dataset_version"]
    assert r.headers["x-evidence-dataset-version"] == version
    assert r.headers["x-evidence-filter"] == "country=DK"
    cited = api_client.get("/api/studies", params={"format": "csv"}).headers
    assert r.headers["x-evidence-citation"] == cited["x-evidence-citation"]
    url = _public(f"/api/references.{suffix}?country=DK")
    assert r.headers["link"] == f'<{url}&about=1>; rel="describedby"'
    about = api_client.get(f"/api/references.{suffix}", params={"country": "DK", "about": 1})
    facts = dict(_rows(about.text)[1:])
    assert (
        about.headers["content-type"] == "text/csv; charset=utf-8" and "link" not in about.headers
    )
    assert (facts["resource"], facts["filter"], facts["url"]) == ("references", "country=DK", url)
    count = api_client.get("/api/studies", params={"country": "DK"}).json()["count"]
    assert facts["rows"] == str(count) and count == 21
    # named for the file it describes: one filter's RIS and BibTeX companions had shared a name
    # (newcomer 13)
    kind = suffix.replace(".", "-")
    assert about.headers["content-disposition"] == (
        f'attachment; filename="evidens-references-country-DK-{version[:8]}-{kind}-about.csv"'
    )
    if suffix == "bib":
        assert r.text.startswith(f"@comment{{evidens dataset {version}: ")
        assert "filter: country=DK}" in r.text.split("\n", 1)[0]


@pytest.mark.parametrize(
    ("params", "header"),
    [
        ({}, "none (all rows)"),
        ({"q": 'samarbejde "tæt"'}, 'q=samarbejde "t%C3%A6t"'),
        ({"q": "100%"}, "q=100%25"),
    ],
)
def test_the_filter_header_says_what_the_file_says(api_client, params, header):
    """Fault: with no filter the header read `none %28all rows%29` where the file says
    `none (all rows)`. A header holds printable ASCII as written; only other characters and "%"
    are percent-encoded, so that decoding gives the file's text back."""
    from urllib.parse import unquote

    data = api_client.get("/api/studies", params={"format": "csv", **params})
    about = api_client.get("/api/studies", params={"format": "csv", "about": 1, **params})
    bib = api_client.get("/api/references.bib", params=params)
    for r in (data, about, bib):
        assert r.headers["x-evidence-filter"] == header
    filter_text = dict(_rows(about.text)[1:])["filter"]
    assert unquote(header) == filter_text
    assert bib.text.split("\n", 1)[0].endswith(f"filter: {filter_text}}}")


def test_ask_export_keeps_what_was_asked_apart_from_what_was_understood(api_client):
    """Newcomer 8: the about sheet and the file name gave the resolved concept as if the user had
    asked for it (`concept=single-contact-person`). The filter is the request; the concepts and
    facets read from the question are `understood` rows."""
    r = api_client.get("/api/ask", params={"q": "kontaktperson i Danmark", "format": "xlsx"})
    assert "concept" not in r.headers["content-disposition"]
    assert r.headers["x-evidence-filter"] == "q=kontaktperson i Danmark"  # lang not given
    about = dict(load_workbook(io.BytesIO(r.content))["about"].iter_rows(values_only=True))
    assert about["filter"] == "q=kontaktperson i Danmark"
    assert "single-contact-person" in about["understood concepts"]
    assert about["understood country"] == "DK"
    given = api_client.get("/api/ask", params={"concept": "co-location", "format": "csv"})
    assert "concept-co-location" in given.headers["content-disposition"]


def test_a_brace_in_the_filter_cannot_end_the_bibtex_comment(api_client):
    """Newcomer 10: `q=}` followed by an entry closed the @comment and planted a reference."""
    import bibtexparser

    planted = "}\n@misc{evil, title={pwned}}"
    text = api_client.get("/api/references.bib", params={"q": planted}).text
    library = bibtexparser.parse_string(text)
    assert not [e for e in library.entries if e.key == "evil"]
    assert text.split("\n", 1)[0].count("{") == text.split("\n", 1)[0].count("}") == 1


@pytest.mark.parametrize("q", ["samarbejde\\", "\\}", "a\\{b"])
def test_a_backslash_in_the_filter_cannot_escape_the_bibtex_comment(api_client, q):
    """Newcomer 13: `q=samarbejde\\` wrote `filter: q=samarbejde\\}`, and bibtexparser read the
    closing brace as escaped: a failed block, the comment lost."""
    import bibtexparser

    text = api_client.get("/api/references.bib", params={"q": q, "country": "DK"}).text
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    head = text.split("\n", 1)[0]
    assert "\\" not in head and head.endswith("}") and len(library.comments) == 1


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/ask", {"q": "kontaktperson"}),
        ("/api/studies", {}),
        ("/api/claims", {}),
        ("/api/concepts", {}),
    ],
)
def test_the_about_sheet_describes_only_columns_the_data_has(api_client, path, params):
    # newcomer 10: the ask export's about sheet described a `page` column its data sheet lacked
    r = api_client.get(path, params={**params, "format": "xlsx"})
    book = load_workbook(io.BytesIO(r.content))
    header = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
    described = [
        k.removeprefix("column ")
        for k, _ in book["about"].iter_rows(values_only=True)
        if str(k).startswith("column ")
    ]
    assert described and set(described) <= set(header)
