"""Hostile requests to the site and the API: each kind is refused quickly and cheaply, never a 500.

Kinds (issue 11): SQL that builds or returns too much (SQL that runs too long:
tests/test_reliability_datasette.py); repeated facets and parameters; a hostile
Host header written into content; file paths and debug pages shown to visitors. The rebuild and
temporary-file cases are in tests/test_reliability_rebuilds.py; `make soak` measures the same
under load on loopback (bench.soak, bench.hostile).
"""

from __future__ import annotations

import asyncio
import io
import time

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from evidence.settings import settings
from evidence.site.guard import MAX_FACETS, MAX_PARAMETERS, MAX_REPEATS
from evidence.site.limits import MAX_ANSWER_BYTES, MAX_VALUE_BYTES

HOSTILE_SQL = {
    "randomblob": ("select randomblob(300000000)", "string or blob too big"),
    "zeroblob": ("select length(zeroblob(2000000000))", "string or blob too big"),
    # printf answers null for a result over the length limit (SQLite's own rule), now at once
    "printf %c precision": ("select printf('%.*c', 2000000000, 'x') as v", None),
    "format width": ("select format('%.2000000000c', 'x') as v", None),
    "replace": (
        "select replace(printf('%.*c', 900000, 'x'), 'x', 'yyyyyyyyyy')",
        "string or blob too big",
    ),
    "group_concat": (
        "with recursive c(x) as (select 1 union all select x + 1 from c where x < 100000) "
        "select group_concat(printf('%.*c', 1000, 'x')) from c",
        "string or blob too big",
    ),
    "many big rows": (
        "with recursive c(x) as (select 1 union all select x + 1 from c where x < 2000) "
        "select randomblob(900000) from c",
        "The answer is over",
    ),
    "one wide row": ("select " + ", ".join(["randomblob(900000)"] * 60), "The answer is over"),
    "too many columns": ("select " + ", ".join(["1"] * 100), "too many columns"),
}


def get(site, path: str, **params):
    return asyncio.run(site.client.get(path, params=params))


@pytest.mark.parametrize("name", HOSTILE_SQL)
@pytest.mark.parametrize("fmt", ["", ".json"])
def test_sql_that_builds_or_returns_too_much_is_refused(site, name, fmt):
    sql, message = HOSTILE_SQL[name]
    started = time.perf_counter()
    r = get(site, f"/evidence{fmt}", sql=sql)
    assert time.perf_counter() - started < 8
    assert len(r.content) < 100_000
    if message is None:
        assert r.status_code == 200
        assert get(site, "/evidence.json", sql=sql, _shape="array").json() == [{"v": None}]
    else:
        assert r.status_code == 400, r.text[:300]
        assert message in r.text


def test_the_limits_leave_real_answers_alone(site):
    # the largest stored values (gap map documents, ~200 KB each) come back whole
    r = get(site, "/evidence.json", sql="select document from gap_maps", _shape="array")
    assert r.status_code == 200 and len(r.json()) == 6
    assert max(len(row["document"]) for row in r.json()) > 200_000
    assert max(len(row["document"]) for row in r.json()) < MAX_VALUE_BYTES
    r = get(
        site,
        "/evidence.json",
        sql="select printf('%.1f|%5d|%s', 3.14159, 42, 'ab') as p, "
        "(select group_concat(ref, ' | ') from studies) as titles, length(printf('%.*c', 1000, 'x')) as n",
        _shape="array",
    )
    row = r.json()[0]
    assert row["p"] == "3.1|   42|ab" and row["n"] == 1000
    assert row["titles"].count(" | ") == 54
    assert MAX_ANSWER_BYTES > 10 * 2**20


def test_no_file_path_is_shown(site, evidence_db):
    r = get(site, "/evidence.json", sql="select * from pragma_database_list", _shape="array")
    assert r.json() == [{"seq": 0, "name": "main", "file": None}]
    for path in ["/.json", "/evidence.json", "/-/metadata.json", "/-/settings.json", "/"]:
        r = get(site, path)
        assert r.status_code == 200
        assert str(evidence_db.parent) not in r.text, path


@pytest.mark.parametrize(
    "path", ["/-/databases.json", "/-/databases", "/-/threads.json", "/-/threads"]
)
def test_debug_pages_are_not_public(site, path):
    r = get(site, path)
    assert r.status_code == 404
    assert "text/html" in r.headers["content-type"] or r.json()["ok"] is False


def test_repeated_facets_are_refused_at_once(site):
    started = time.perf_counter()
    r = asyncio.run(site.client.get("/evidence/claims?" + "&".join(["_facet=stance"] * 2000)))
    assert time.perf_counter() - started < 1
    assert r.status_code == 400 and "text/html" in r.headers["content-type"]
    assert "<html" in r.text and "Too many parameters" in r.text


def test_facets_are_bounded(site):
    columns = ["stance", "section", "chapter", "page"]
    ok = "&".join(f"_facet={c}" for c in columns)
    assert asyncio.run(site.client.get(f"/evidence/claims.json?{ok}")).status_code == 200
    many = "&".join([f"_facet={c}" for c in columns] * 3)  # 12 facets
    r = asyncio.run(site.client.get(f"/evidence/claims.json?{many}"))
    assert r.status_code == 400 and r.json()["ok"] is False
    assert f"at most {MAX_FACETS}" in r.json()["error"]
    r = asyncio.run(
        site.client.get("/evidence/claims?" + "&".join(["stance=x"] * (MAX_REPEATS + 1)))
    )
    assert r.status_code == 400 and "repeated" in r.text


def test_the_api_bounds_its_parameters(api_client):
    r = api_client.get("/api/claims?" + "&".join(["concept=x"] * 2000))
    assert r.status_code == 400 and "Too many parameters" in r.json()["detail"]
    r = api_client.get("/api/claims?" + "&".join(["concept=x"] * (MAX_REPEATS + 1)))
    assert r.status_code == 400 and "repeated" in r.json()["detail"]
    r = api_client.get("/api/studies", params={"q": "x" * 40_000})
    assert r.status_code == 400 and "too long" in r.json()["detail"]
    assert MAX_PARAMETERS < 2000


# --- a hostile Host header never reaches content ----------------------------------------------

EVIL = "evil.example"


@pytest.fixture(scope="module")
def served(evidence_db):
    """What `make run` serves (the API with the site under /browse/), asked with a hostile Host."""
    from evidence.site.serve import create_app

    with TestClient(create_app(evidence_db), base_url=f"http://{EVIL}") as client:
        yield client


def public(path: str) -> str:
    return settings.public_url.rstrip("/") + path


def assert_no_host(r):
    assert EVIL not in r.text if "spreadsheet" not in r.headers.get("content-type", "") else True
    assert not [h for h in r.headers.items() if EVIL in h[1]], r.headers


@pytest.mark.parametrize(
    "path, location",
    [("/api/studies/", "/api/studies"), ("/browse", "/browse/")],
)
def test_redirects_name_the_public_url(served, path, location):
    r = served.get(path, follow_redirects=False)
    assert r.status_code in (301, 302, 307, 308)
    assert r.headers["location"] in (public(location), location)
    assert_no_host(r)


def test_export_links_and_about_sheets_name_the_public_url(served):
    r = served.get("/api/studies", params={"format": "csv", "limit": 2})
    assert (
        r.headers["link"]
        == f'<{public("/api/studies?format=csv&limit=2&about=1")}>; rel="describedby"'
    )
    assert_no_host(r)
    r = served.get("/api/claims", params={"format": "xlsx", "concept": "single-contact-person"})
    about = dict(list(load_workbook(io.BytesIO(r.content))["about"].values)[1:])
    assert about["url"] == public("/api/claims?format=xlsx&concept=single-contact-person")
    assert_no_host(r)


def test_briefs_name_the_public_url(served):
    r = served.get("/api/concepts/single-contact-person/brief")
    assert r.status_code == 200 and public("/api/concepts/single-contact-person") in r.text
    assert_no_host(r)


def test_the_site_names_the_public_url(served):
    r = served.get("/browse/evidence/studies.json", params={"_size": 2})
    assert r.json()["next_url"] == public(
        "/browse/evidence/studies.json?_size=2&_next=5%2C5&_sort=ref"
    )
    assert_no_host(r)
    r = served.get("/browse/evidence/claims.json", params={"_facet": "stance", "_size": 1})
    toggle = r.json()["facet_results"]["stance"]["results"][0]["toggle_url"]
    assert toggle.startswith(public("/browse/evidence/claims.json?"))
    r = served.get("/browse/evidence/studies.xlsx", params={"_size": "max"})
    provenance = dict(list(load_workbook(io.BytesIO(r.content))["about"].values)[1:])
    assert provenance["url"] == public("/browse/evidence/studies.xlsx?_size=max")
    assert_no_host(r)


# --- methods and numbers beyond SQLite's integers (newcomer report 3, section 4) -----------

PAGE_TYPES = [
    "/",
    "/study/942",
    "/study/942.ris",
    "/study/942.bib",
    "/concept/single-contact-person",
    "/map",
    "/map.html",
    "/prisma",
    "/evidence",
    "/evidence/studies",
    "/evidence/studies.json",
    "/evidence/studies.csv",
    "/evidence/studies/942",
    "/evidence/study?ref=942",
    "/-/dashboards/evidens",
]


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_answers_only_get_and_head(site, path):
    assert asyncio.run(site.client.get(path)).status_code == 200
    assert asyncio.run(site.client.request("HEAD", path)).status_code == 200
    for method in ("POST", "PUT", "PATCH", "DELETE", "TRACE", "OPTIONS"):
        r = asyncio.run(site.client.request(method, path))
        assert (r.status_code, r.headers["allow"]) == (405, "GET, HEAD"), (method, path)
        kind = "application/json" if ".json" in path else "text/html"
        assert r.headers["content-type"].startswith(kind)
        assert "read-only" in r.text


HUGE = ["9223372036854775808", "99999999999999999999999"]


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize("suffix", ["", ".ris", ".bib"])
def test_a_study_number_beyond_sqlite_is_the_404_page_with_the_nearest(site, number, suffix):
    r = asyncio.run(site.client.get(f"/study/{number}{suffix}"))
    assert r.status_code == 404
    assert number in r.text and 'href="/study/1002"' in r.text  # 1002: the highest number


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize("path", ["/evidence/studies", "/evidence/studies.json"])
def test_a_filter_number_beyond_sqlite_is_a_bad_request(site, number, path):
    r = asyncio.run(site.client.get(path, params={"ref__gt": number}))
    assert r.status_code == 400
    assert "too large" in r.text


WHERE = "ref=1; drop table x"
FORMATS = ["", ".json", ".csv", ".excelcsv", ".xlsx"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_where_with_a_second_statement_is_a_bad_request(site, suffix):
    """Fault: `_where` holding `;` ran into sqlite3's ProgrammingError, a 500 in every format."""
    r = asyncio.run(site.client.get(f"/evidence/studies{suffix}", params={"_where": WHERE}))
    assert r.status_code == 400, r.text[:300]
    assert "one statement at a time" in r.text
    kind = "application/json" if suffix == ".json" else "text/html"
    assert r.headers["content-type"].startswith(kind)
    # the same condition without the second statement is the one study it names
    r = asyncio.run(site.client.get("/evidence/studies.json", params={"_where": "ref=1"}))
    assert [row[0] for row in r.json()["rows"]] == [1]


# each of Datasette's number, boolean and choice parameters, on a table, ?sql= and a canned query
BAD_VALUES = [
    ("_timelimit", "abc"),
    ("_timelimit", "9" * 5000),  # Python's int() refuses over 4,300 digits
    ("_ttl", "²"),  # str.isdigit() says yes, int() says no
    ("_ttl", "9" * 5000),
    ("_facet_size", "²"),
    ("_size", "abc"),
    ("_json_infinity", "abc"),
    ("_shape", "bogus"),
]
PAGES = ["/evidence/studies", "/evidence", "/evidence/study"]


@pytest.mark.parametrize("name, value", BAD_VALUES)
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("suffix", ["", ".json", ".csv"])
def test_datasette_parameters_that_are_no_number_are_a_bad_request(site, path, name, value, suffix):
    """Fault: `_timelimit=abc` (tables, ?sql=, canned queries), `_ttl=²`, `_facet_size=²` and
    `_json_infinity=abc` made Datasette's int() or value_as_boolean raise: a 500. The guard names
    the parameter and what it takes."""
    if name == "_shape" and suffix != ".json":
        return  # read only by the JSON renderer
    params = {"sql": "select 1"} if path == "/evidence" else {"ref": "631"}
    r = asyncio.run(site.client.get(path + suffix, params={**params, name: value}))
    assert r.status_code == 400, (path, r.text[:300])
    assert name in r.text
    # a value it takes is a 200
    good = {"_shape": "objects", "_json_infinity": "on"}.get(name, "100")
    r = asyncio.run(site.client.get(path + suffix, params={**params, name: good}))
    assert r.status_code == 200, (path, name, r.text[:300])


BLOB = "select x'ff00' as b, 'text' as t"


def test_a_blob_is_hex_in_every_spreadsheet(site):
    """Fault: a query returning a BLOB made openpyxl raise UnicodeDecodeError (a 500), and the
    Danish CSV wrote Python's repr b'\\xff\\x00'. Every spreadsheet writes SQLite's literal."""
    r = asyncio.run(site.client.get("/evidence.xlsx", params={"sql": BLOB}))
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).worksheets[0]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["b", "t"],
        ["x'ff00'", "text"],
    ]
    r = asyncio.run(site.client.get("/evidence.excelcsv", params={"sql": BLOB}))
    assert r.status_code == 200
    assert r.content.decode("utf-8-sig") == '"b";"t"\r\n"x\'ff00\'";"text"\r\n'


@pytest.mark.parametrize("suffix", [".xlsx", ".excelcsv"])
def test_a_spreadsheet_of_a_failing_query_is_the_error_page(site, suffix):
    """Fault: the .xlsx of SQL that fails was a workbook with status 400, the .excelcsv an empty
    file: the error page now, naming the error."""
    r = asyncio.run(site.client.get(f"/evidence{suffix}", params={"sql": "select nope"}))
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/html")
    assert "no such column: nope" in r.text


def test_a_plain_csv_of_a_failing_query_is_a_400_not_an_empty_download(site):
    """Fault (a newcomer's probe): `.csv?sql=select nope` answered 200 with an empty body, and
    its about file said `rows,0`: a broken query looked like a download of no rows."""
    r = asyncio.run(site.client.get("/evidence.csv", params={"sql": "select nope"}))
    assert r.status_code == 400
    assert "query failed" in r.text
    # a query that runs and finds nothing still has its header row, and is a 200
    r = asyncio.run(
        site.client.get("/evidence.csv", params={"sql": "select ref from studies where 0"})
    )
    assert r.status_code == 200 and r.text.strip() == "ref"
    r = asyncio.run(
        site.client.get("/evidence.csv", params={"sql": "select ref from studies limit 2"})
    )
    assert r.status_code == 200 and "x-evidence-dataset-version" in r.headers
    assert len(r.text.strip().splitlines()) == 3
    # its about file is no `rows,0` either: the same 400
    r = asyncio.run(site.client.get("/evidence.csv", params={"sql": "select nope", "about": "1"}))
    assert r.status_code == 400 and "query failed" in r.text
    r = asyncio.run(site.client.get("/evidence.csv", params={"sql": "select 1 as n", "about": "1"}))
    assert r.status_code == 200 and "rows,1" in r.text
