"""The site's downloads as a person meets them (newcomer 13): every CSV link of a page downloads a
file named by the one rule (evidence.export.files.About.filename), while the plain `.csv` address
stays Datasette's text for scripts."""

from __future__ import annotations

import asyncio
import csv
import html
import io
import json
import re

import pytest
from openpyxl import load_workbook

CSV_LINK = re.compile(r'href="([^"]*\.csv(?:\?[^"]*)?)"')


def get(site, path: str, **params):
    return asyncio.run(site.client.get(path, params=params or None))


@pytest.fixture(scope="module")
def version(db) -> str:
    return db.execute("select value from meta where key = 'dataset_version'").fetchone()[0][:8]


def csv_links(site, path: str) -> list[str]:
    page = get(site, path)
    assert page.status_code == 200, path
    return [html.unescape(h) for h in CSV_LINK.findall(page.text)]


def test_the_table_pages_csv_link_downloads_the_named_file(site, version):
    # newcomer 13: the link opened inline, unnamed; only the same URL with &_dl=1 was the file
    links = csv_links(site, "/evidence/studies?countries__contains=DK")
    assert links == ["/evidence/studies.csv?countries__contains=DK&_labels=on&_size=max&_dl=1"]
    r = get(site, links[0])
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    name = f"evidens-studies-countries__contains-DK-{version}.csv"
    assert r.headers["content-disposition"] == f'attachment; filename="{name}"'
    # the same address without _dl is Datasette's CSV as text, as its documentation has it
    plain = get(site, links[0].removesuffix("&_dl=1"))
    assert plain.status_code == 200 and plain.text == r.text
    assert plain.headers["content-type"] == "text/plain; charset=utf-8"
    assert "content-disposition" not in plain.headers


@pytest.mark.parametrize(
    "path, expected",
    [
        (
            "/evidence/studies_for_concept?concept=co-location",
            ["studies_for_concept-concept-co-location"],
        ),
        ("/evidence/claims", ["claims"]),
        ("/study/631", ["studies-ref-631", "study-ref-631"]),
        ("/concept/co-location", ["studies_for_concept-concept-co-location"]),
        ("/concept/co-location?lang=en", ["studies_for_concept-concept-co-location"]),
        ("/prisma", ["screening"]),
    ],
)
def test_every_csv_link_of_a_page_downloads_a_named_file(site, version, path, expected):
    """The kind: a query page's link, and our pages' links (a study's row was Datasette's row
    `.csv`, named "studies.csv" even with _dl=1: it is the studies table filtered by ref now)."""
    names = []
    for link in csv_links(site, path):
        r = get(site, link)
        assert r.status_code == 200, link
        found = re.fullmatch(
            r'attachment; filename="evidens-(.+)-(\w{8})\.csv"', r.headers["content-disposition"]
        )
        assert found and found.group(2) == version, link
        names.append(found.group(1))
    assert names == expected


# --- labels, as the page shows them -----------------------------------------------------------------

SPREADSHEETS = ("csv", "excelcsv", "xlsx")


def spreadsheet(site, ext: str, query: str) -> list[dict]:
    """The rows of the studies table's `.csv`, `.excelcsv` or `.xlsx` for `query`, as dicts."""
    r = get(site, f"/evidence/studies.{ext}?{query}")
    assert r.status_code == 200, r.text[:300]
    if ext == "xlsx":
        values = list(load_workbook(io.BytesIO(r.content))["studies"].values)
        return [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    text, delimiter = (r.text, ",") if ext == "csv" else (r.content.decode("utf-8-sig"), ";")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.fixture(scope="module")
def study_48(db) -> dict:
    """Study 48 as its page shows it: the codes of its vocabulary columns and their labels."""
    row = db.execute("select * from studies where ref = 48").fetchone()
    shown = {}
    for column, table in (
        ("countries", "countries"),
        ("service_areas", "service_areas"),
        ("methods", "methods"),
    ):
        codes = json.loads(row[column])
        names = dict(db.execute(f"select code, label_en from {table}").fetchall())
        shown[column] = (", ".join(codes), ", ".join(names[c] for c in codes))
    language = {"da": "Danish"}[row["language"]]  # evidence.site.i18n's language_da
    shown["language"] = (row["language"], language)
    return shown


@pytest.mark.parametrize("ext", SPREADSHEETS)
def test_exports_with_labels_on_label_the_vocabularies_as_the_page_does(site, study_48, ext):
    # newcomer 13: studies.xlsx?countries__contains=DK&_labels=on had countries=DK,
    # service_areas="disability, children_youth", methods=qualitative_interviews and no labels
    assert study_48["countries"] == ("DK", "Denmark")
    assert study_48["service_areas"] == (
        "disability, children_youth",
        "Disability, Children and young people",
    )
    rows = spreadsheet(site, ext, "countries__contains=DK&_labels=on&_size=max")
    row = next(r for r in rows if str(r["ref"]) == "48")
    suffix = "_label" if ext == "csv" else " (label)"  # as each format names a foreign key's
    for column, (codes, labels) in study_48.items():
        assert row[column + suffix] == labels, column
        if ext == "csv":  # Datasette's own CSV keeps its JSON arrays
            assert row[column] in (codes, json.dumps(codes.split(", "))), column
        else:
            assert row[column] == codes, column
    assert row["publication_type" + suffix] == "Report"  # a foreign key: Datasette's label
    # without _labels: the codes alone, as before
    plain = spreadsheet(site, ext, "countries__contains=DK&_size=max")
    assert not any(k.endswith(suffix) for k in plain[0]) and len(plain) == len(rows)


def test_a_csv_labels_only_the_columns_asked_for_and_keeps_its_form(site):
    labelled = spreadsheet(site, "csv", "ref=631&_label=countries")
    assert [k for k in labelled[0] if k.endswith("_label")] == ["countries_label"]
    assert (labelled[0]["countries"], labelled[0]["countries_label"]) == ('["DK"]', "Denmark")
    headerless = get(site, "/evidence/studies.csv?ref=631&_labels=on&_header=off").text
    assert headerless.startswith("631,") and headerless.count("\r\n") == 1
    assert ',"[""DK""]",Denmark,' in headerless


# --- every row: a spreadsheet of a table or view is complete, a cut query is refused -----------


def workbook_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).worksheets[0].values)[1:]


def workbook_dicts(content: bytes) -> list[dict]:
    values = list(load_workbook(io.BytesIO(content)).worksheets[0].values)
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def excel_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))[1:]


def follow(site, path: str, **params):
    return asyncio.run(site.client.get(path, params=params or None, follow_redirects=True))


def test_a_spreadsheet_of_a_table_has_every_row_past_max_returned_rows(site, db):
    """Newcomer 13: claim_expansions.xlsx held 2,000 of its 2,060 rows (Datasette's
    max_returned_rows) while its about sheet said "none (all rows)", rows=2000."""
    expected = sorted(tuple(r) for r in db.execute("select * from claim_expansions"))
    assert len(expected) == 2060 > site.setting("max_returned_rows")
    r = follow(site, "/evidence/claim_expansions.xlsx", _labels="on")
    assert r.status_code == 200
    rows = workbook_dicts(r.content)
    assert sorted((d["claim_id"], d["lang"], d["kind"], d["text"]) for d in rows) == expected
    assert rows[-1]["claim_id"] == "7.2-13"  # the newcomer's missing 7.2-08 … 7.2-13
    about = dict(list(load_workbook(io.BytesIO(r.content))["about"].values)[1:])
    assert (about["rows"], about["filter"]) == ("2060", "none (all rows)")
    assert r.headers["x-evidence-filter"] == "none (all rows)"
    r = follow(site, "/evidence/claim_expansions.excelcsv", _labels="on")
    assert sorted(row[0] for row in excel_rows(r.content)) == [row[0] for row in expected]
    about = follow(site, "/evidence/claim_expansions.excelcsv", _labels="on", about="1")
    assert '"rows";"2060"' in about.content.decode("utf-8-sig")


def test_a_spreadsheet_keeps_the_sort_and_the_filter_across_pages(site, db):
    expected = [
        r[0] for r in db.execute("select text from claim_expansions order by text desc, rowid desc")
    ]
    r = follow(site, "/evidence/claim_expansions.xlsx", _sort_desc="text")
    assert [row[3] for row in workbook_rows(r.content)] == expected
    english = db.execute("select count(*) from claim_expansions where lang = 'en'").fetchone()[0]
    r = follow(site, "/evidence/claim_expansions.excelcsv", lang="en")
    assert len(excel_rows(r.content)) == english and english > 0


@pytest.fixture(scope="module")
def small_pages_site(evidence_db, start_site):
    """The site with max_returned_rows 500, so the views (1,243 rows at most) have pages."""
    site = start_site(evidence_db)
    set_max_returned_rows(site, 500)
    return site


def set_max_returned_rows(site, n: int) -> None:
    site._settings["max_returned_rows"] = site.max_returned_rows = n  # as Datasette reads it


@pytest.mark.parametrize("ext", ["xlsx", "excelcsv"])
def test_a_spreadsheet_of_a_view_has_every_row(small_pages_site, db, ext):
    expected = [r[0] for r in db.execute("select concept_id from gap_map_country")]
    assert len(expected) == 1243
    r = follow(small_pages_site, f"/evidence/gap_map_country.{ext}")
    rows = workbook_rows(r.content) if ext == "xlsx" else excel_rows(r.content)
    assert sorted(row[0] for row in rows) == sorted(expected)


@pytest.mark.parametrize("ext", ["csv", "xlsx", "excelcsv"])
def test_a_file_of_a_query_cut_at_max_returned_rows_is_our_400(site, ext):
    """A query has no next page: Datasette cut it at 2,000 rows (its CSV too, silently)."""
    sql = "select * from claim_expansions"
    r = get(site, f"/evidence.{ext}", sql=sql)
    assert r.status_code == 400 and "evidens-error" in r.text
    assert "The query returns more than 2000 rows" in html.unescape(r.text)
    assert 'href="/evidence?sql=select+%2A+from+claim_expansions"' in r.text
    if ext != "xlsx":  # its companion too
        assert get(site, f"/evidence.{ext}", sql=sql, about="1").status_code == 400
    ok = get(site, f"/evidence.{ext}", sql=sql + " limit 2000 offset 2000")
    assert ok.status_code == 200
    if ext == "csv":
        assert len(list(csv.reader(io.StringIO(ok.text)))) == 1 + 60
        exactly = get(site, "/evidence.csv", sql=sql + " limit 2000")  # not cut: all it asked
        assert exactly.status_code == 200 and len(exactly.text.splitlines()) == 2001


def test_a_file_of_a_canned_query_cut_is_our_400(small_pages_site, db):
    n = db.execute("select count(*) from concepts").fetchone()[0]
    assert n == 113  # the gap_map query's rows
    assert get(small_pages_site, "/evidence/gap_map.xlsx").status_code == 200
    set_max_returned_rows(small_pages_site, 100)
    try:
        for ext in ("xlsx", "excelcsv", "csv"):
            r = get(small_pages_site, f"/evidence/gap_map.{ext}", dimension="")
            assert r.status_code == 400 and 'href="/evidence/gap_map?dimension="' in r.text
    finally:
        set_max_returned_rows(small_pages_site, 500)
