"""The exports read by programs no one here wrote (issue 10): LibreOffice (Debian's, headless) for
the Danish CSV and the workbook, rispy for RIS, bibtexparser for BibTeX, citeproc-py for CSL-JSON,
pandas for the plain CSV. `make test` installs LibreOffice (`make office`)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from datetime import datetime

import pytest
from openpyxl import load_workbook

from evidence.export.files import About, cell, guard, to_excel_csv_da, to_xlsx

# LibreOffice's CSV filter: ';', '"', UTF-8, from line 1, default column types, Danish (1030),
# quoted fields as text, detect special numbers (so "(507)" would be −507 if it were not quoted)
DANISH_CSV = "CSV:59,34,76,1,,1030,true,true"
LISTS = ["studies", "claims", "concepts", "outcomes", "sections", "audit"]


def soffice_convert(tmp_path, files: list, infilter: str | None = None) -> dict:
    """Convert files to xlsx with LibreOffice; {name: workbook}."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        pytest.skip("LibreOffice is not installed (make office)")
    out = tmp_path / "out"
    cmd = [binary, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile"]
    cmd += [f"--infilter={infilter}"] if infilter else []
    cmd += ["--convert-to", "xlsx", "--outdir", str(out), *map(str, files)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    return {f.stem: load_workbook(out / f"{f.stem}.xlsx") for f in files}


def expected(value):
    """What a spreadsheet must show for a JSON value of the API."""
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, bool | list | str):
        return guard(cell(value))
    return value


@pytest.fixture(scope="module")
def danish_csv_in_libreoffice(api_client, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lo")
    files, rows = [], {}
    for name in LISTS:
        path = tmp / f"{name}.csv"
        path.write_bytes(api_client.get(f"/api/{name}", params={"format": "csv-excel-da"}).content)
        files.append(path)
        r = api_client.get(f"/api/{name}", params={"limit": 1000})
        if r.status_code == 422:  # a route that is never paged
            r = api_client.get(f"/api/{name}")
        rows[name] = r.json()["data"]
    hostile = [{"text": '=HYPERLINK("http://x","y")', "n": 2.5, "date": "2024-05-01"}]
    path = tmp / "hostile.csv"
    path.write_bytes(to_excel_csv_da(hostile, ["text", "n", "date"]))
    files.append(path)
    return soffice_convert(tmp, files, DANISH_CSV), rows


@pytest.mark.parametrize("name", LISTS)
def test_danish_csv_reads_back_in_libreoffice_as_written(danish_csv_in_libreoffice, name):
    """Fault: LibreOffice's Danish import read the citation_text "(507)" as −507 (101 of 191
    claims). Every text comes back as the same text, every number as a number."""
    books, rows = danish_csv_in_libreoffice
    sheet = list(books[name].active.values)
    header, data = list(sheet[0]), sheet[1:]
    assert len(data) == len(rows[name])
    wrong = []
    for row, values in zip(rows[name], data, strict=True):
        got = dict(zip(header, values, strict=True))
        for column in header:
            want = expected(row.get(column))
            same = got[column] == want and type(got[column]) is type(want)
            if not same and not (isinstance(want, float) and got[column] == pytest.approx(want)):
                wrong.append((column, want, got[column]))
    assert not wrong, wrong[:10]


def test_the_507_citation_stays_text(danish_csv_in_libreoffice):
    books, rows = danish_csv_in_libreoffice
    sheet = list(books["claims"].active.values)
    column = sheet[0].index("citation_text")
    texts = [r[column] for r in sheet[1:]]
    assert "(507)" in texts and -507 not in texts
    assert sum(1 for t in texts if isinstance(t, str) and t.startswith("(")) >= 101


def test_formulas_stay_text_and_dates_become_dates(danish_csv_in_libreoffice):
    books, _ = danish_csv_in_libreoffice
    ws = books["hostile"].active
    text, n, date = ws["A2"], ws["B2"], ws["C2"]
    assert text.data_type == "s" and text.value == '\'=HYPERLINK("http://x","y")'
    assert n.value == 2.5 and date.value == datetime(2024, 5, 1)


def test_xlsx_round_trip_through_libreoffice(api_client, tmp_path):
    """The workbooks of both doors, opened and saved by LibreOffice: same text, numbers, no formula."""
    (tmp_path / "claims.xlsx").write_bytes(
        api_client.get("/api/claims", params={"format": "xlsx"}).content
    )
    about = About("hostile", "http://x", {}, "v1")
    (tmp_path / "hostile.xlsx").write_bytes(
        to_xlsx([{"t": "=1+1", "n": 3, "s": "(507)"}], ["t", "n", "s"], about)
    )
    src = tmp_path / "src"
    src.mkdir()
    for f in ("claims.xlsx", "hostile.xlsx"):
        shutil.move(tmp_path / f, src / f)
    books = soffice_convert(tmp_path, sorted(src.iterdir()))
    original = load_workbook(src / "claims.xlsx")
    assert list(books["claims"]["claims"].values) == list(original["claims"].values)
    assert books["claims"].sheetnames == ["claims", "about"]
    ws = books["hostile"]["hostile"]
    assert (ws["A2"].value, ws["A2"].data_type, ws["B2"].value, ws["C2"].value) == (
        "=1+1",
        "s",
        3,
        "(507)",
    )


def test_plain_csv_in_pandas(api_client):
    import pandas as pd

    r = api_client.get("/api/claims", params={"format": "csv"})
    frame = pd.read_csv(io.BytesIO(r.content), dtype=str, keep_default_na=False)
    data = api_client.get("/api/claims", params={"limit": 1000}).json()["data"]
    assert len(frame) == len(data) == 191
    for column in ("claim_id", "sentence_da", "citation_text", "section"):
        assert list(frame[column]) == [guard(cell(d[column])) for d in data], column


def _studies(api_client) -> dict[int, dict]:
    return {
        s["ref"]: s for s in api_client.get("/api/studies", params={"limit": 1000}).json()["data"]
    }


def test_ris_in_rispy(api_client):
    import rispy

    entries = rispy.loads(api_client.get("/api/references.ris").text)
    studies = _studies(api_client)
    assert len(entries) == len(studies) == 55
    by_ref = {int(e["keywords"][0].rsplit(" ", 1)[1]): e for e in entries}
    assert set(by_ref) == set(studies)
    for ref, e in by_ref.items():
        assert e.get("title") or "no title" in e["notes"][0], ref  # never a blank item
        assert not e.get("title", "").endswith((",", ";", ":")), ref
        assert "(red.)" not in e.get("title", ""), ref
    assert by_ref[739]["title"].endswith("treatment conference?")
    assert by_ref[739]["tertiary_authors"] == ["Näslund, J.", "Jern, S."]
    assert "title" not in by_ref[5] and "no title" in by_ref[5]["notes"][0]


def test_bibtex_in_bibtexparser(api_client):
    import bibtexparser

    library = bibtexparser.parse_string(api_client.get("/api/references.bib").text)
    assert not library.failed_blocks and len(library.entries) == 55
    by_ref = {int(e["keywords"].rsplit(" ", 1)[1]): e for e in library.entries}
    for ref, e in by_ref.items():
        fields = e.fields_dict
        assert "title" in fields or "no title" in e["note"], ref
        # `number` is the issue: only beside a volume, never an article number
        if "number" in fields:
            assert "volume" in fields and len(e["number"]) <= 3, ref
    assert by_ref[907]["eid"] == "3217" and by_ref[907]["number"] == "6"
    assert by_ref[636]["eid"] == "849375" and "number" not in by_ref[636].fields_dict
    assert by_ref[739]["editor"] == "Näslund, J. and Jern, S."
    assert "(red.)" not in by_ref[739]["title"]


def test_csl_json_in_citeproc(api_client):
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    items = json.loads(api_client.get("/api/references.csl.json").text)
    assert len(items) == 55
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(i["id"]) for i in items]))
    rendered = [str(x) for x in bibliography.bibliography()]
    assert len(rendered) == 55
    blomqvist = next(x for x in rendered if "Multiprofessional teamwork" in x)
    assert "(red.)" not in blomqvist and "Näslund" in blomqvist
    for item in items:
        assert item.get("title") or "no title" in item["note"], item["id"]
