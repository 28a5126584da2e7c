"""Every page of ours checks its parameters and its extension the same way (newcomer 12: the
landing page answered 200 to `?lang=xx`, `/study/631.xml` was Datasette's bare 404, and the map's
"not reported" column was `_none` where the API and the views say `not_reported`)."""

from __future__ import annotations

import asyncio
import html
import re

import pytest

PAGES = ["/", "/study/631", "/concept/co-location", "/map", "/map.html", "/prisma", "/about"]


def get(site, path: str, params=None):
    return asyncio.run(site.client.get(path, params=params))


def error_text(page: str) -> str:
    found = re.search(r'<div class="evidens-error"[^>]*>(.*?)</div>', page, re.S)
    assert found, page[:500]
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    "query, name, value",
    [("lang=xx", "lang", "xx"), ("foo=bar", "foo", "bar"), ("lang=en&lang=da", "lang", "en, da")],
)
def test_every_page_answers_a_bad_parameter_with_our_400(site, path, query, name, value):
    r = get(site, f"{path}?{query}")
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert f"«{name}»" in error_text(r.text) and f"«{value}»" in error_text(r.text)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_still_answers_its_own_parameters(site, path):
    assert get(site, path).status_code == 200
    assert get(site, path, {"lang": "en"}).status_code == 200


@pytest.mark.parametrize(
    "path, named, links",
    [
        ("/study/631.xml", "«study/631»", ["/study/631", "/study/631.ris", "/study/631.bib"]),
        ("/study/631.json", "«study/631»", ["/study/631"]),
        ("/map.xml", "«map»", ["/map", "/map.html"]),
        ("/prisma.json", "«prisma»", ["/prisma"]),
        ("/about.csv", "«about»", ["/about"]),
        ("/concept/co-location.xml", "«co-location.xml»", ["/concept/co-location"]),
    ],
)
def test_an_unknown_extension_is_our_404_with_the_page_it_meant(site, path, named, links):
    r = get(site, path)
    assert r.status_code == 404 and '<html lang="da">' in r.text
    assert named in error_text(r.text)
    assert 'class="evidens-suggestions"' in r.text
    for link in links:
        assert f'href="{link}"' in r.text


def test_an_unknown_extension_of_no_study_suggests_the_nearest_studies(site):
    r = get(site, "/study/925.xml")
    assert r.status_code == 404 and 'href="/study/924"' in r.text


def test_the_study_404_names_the_study(site, db):
    authors = db.execute("select bilag2_authors_year from studies where ref = 631").fetchone()[0]
    page = get(site, "/study/631.xml", {"lang": "en"}).text
    assert f'href="/study/631?lang=en">631: {html.escape(authors, quote=False)}</a>' in page


def test_the_map_names_its_not_reported_column_as_the_api_and_the_views_do(site, db):
    # the gap map views name the column not_reported; the map named it _none (a 400 for
    # /map?cols=method&cell=goal-follow-up~not_reported)
    assert (
        db.execute(
            "select n_studies from gap_map_method where concept_id = 'goal-follow-up' "
            "and method = 'not_reported'"
        ).fetchone()[0]
        > 0
    )
    r = get(site, "/map", {"cols": "method", "cell": "goal-follow-up~not_reported"})
    assert r.status_code == 200 and '"none":"not_reported"' in r.text


def test_an_old_link_to_the_not_reported_column_is_sent_to_its_new_id(site):
    for path in ("/map", "/map.html"):
        r = get(site, path, {"cols": "method", "cell": "goal-follow-up~_none", "lang": "en"})
        assert r.status_code == 301
        assert r.headers["location"] == (
            f"{path}?cols=method&cell=goal-follow-up~not_reported&lang=en"
        )


# --- Datasette's own pages: an unknown extension is our 404, every real format still answers ----


@pytest.mark.parametrize(
    "path, page",
    [
        ("/evidence/studies.nope", "evidence/studies"),
        ("/evidence/studies/631.nope", "evidence/studies/631"),
        ("/evidence/search_claims.nope", "evidence/search_claims"),  # a canned query
        ("/evidence.nope", "evidence"),
    ],
)
def test_an_unknown_extension_on_datasettes_pages_is_our_404(site, path, page):
    # Datasette answered 200 with the page (while studies.nope.json was a 404)
    r = get(site, path)
    assert r.status_code == 404 and '<html lang="da">' in r.text
    assert f"«{page}»" in error_text(r.text) and "«.nope»" in error_text(r.text)
    for form in (page, f"{page}.json", f"{page}.csv", f"{page}.xlsx", f"{page}.excelcsv"):
        assert f'href="/{form}"' in r.text
    en = get(site, path, {"lang": "en"})
    assert en.status_code == 404 and "does not exist as «.nope»" in en.text


@pytest.mark.parametrize("path", ["/evidence/studies", "/evidence/studies/631"])
@pytest.mark.parametrize("extension", ["", ".json", ".csv", ".excelcsv", ".xlsx"])
def test_every_format_of_datasettes_pages_still_answers(site, path, extension):
    r = get(site, path + extension)
    if extension == ".xlsx" or extension == ".excelcsv":
        assert r.status_code in (200, 302), r.text[:300]
    else:
        assert r.status_code == 200, r.text[:300]
    if extension == ".json":
        assert r.json()["rows"]


def test_datasettes_unknown_extension_is_our_404_mounted_under_browse(evidence_db):
    from fastapi.testclient import TestClient

    from evidence.site.serve import create_app

    with TestClient(create_app(evidence_db)) as client:
        r = client.get("/browse/evidence/studies.nope")
        assert r.status_code == 404 and 'href="/browse/evidence/studies.json"' in r.text
        assert client.get("/browse/evidence/studies.json").status_code == 200
        assert client.get("/browse/evidence.db").status_code in (200, 403, 404)


def test_a_rows_dotted_key_typed_as_it_reads_goes_to_the_row(site, db, evidence_db):
    """Newcomer 13: /evidence/sections/2.1 was our 404 (row "2" with the extension ".1") while
    Datasette's own links write the key 2~2E1; now a redirect there, for every dotted key."""
    from fastapi.testclient import TestClient

    from evidence.site.serve import create_app

    dotted = [r[0] for r in db.execute("select section from sections where section like '%.%'")]
    assert "2.1" in dotted and len(dotted) == 19
    for section in dotted:
        r = get(site, f"/evidence/sections/{section}", {"_foo": "1"})
        encoded = section.replace(".", "~2E")
        assert r.status_code == 302, section
        assert r.headers["location"] == f"/evidence/sections/{encoded}?_foo=1"
        row = get(site, f"/evidence/sections/{encoded}.json", {"_shape": "array"}).json()
        assert [x["section"] for x in row] == [section]
    missing = get(site, "/evidence/sections/9.9")  # no such section: our 404, as before
    assert missing.status_code == 404 and 'class="evidens-error"' in missing.text
    with TestClient(create_app(evidence_db)) as client:
        r = client.get("/browse/evidence/sections/2.1", follow_redirects=False)
        assert r.status_code == 302 and r.headers["location"] == "/browse/evidence/sections/2~2E1"
        r = client.get("/browse/evidence/sections/2.1")
        assert r.status_code == 200 and "Lovgivningsmæssige rammer" in r.text


# --- the guard's limits on our pages: our 400 page, not Datasette's English "Error 400" ------------


@pytest.mark.parametrize("path", ["/", "/map", "/study/631", "/prisma", "/-/search"])
@pytest.mark.parametrize(
    "query, danish, english",
    [
        (
            "&".join(["country=DK"] * 17),
            "Parameteren «country» er gentaget 17 gange: højst 16.",
            "The parameter «country» is repeated 17 times: at most 16.",
        ),
        (
            "&".join(f"p{i}=1" for i in range(70)),
            "For mange parametre: højst 64.",
            "Too many parameters: at most 64.",
        ),
    ],
)
def test_the_guards_limits_on_our_pages_are_our_400(site, path, query, danish, english):
    r = get(site, f"{path}?{query}")
    assert r.status_code == 400 and '<html lang="da">' in r.text
    assert danish in error_text(r.text) and "Ugyldig forespørgsel" in r.text
    en = get(site, f"{path}?{query}&lang=en")
    assert en.status_code == 400 and '<html lang="en">' in en.text
    assert english in error_text(en.text) and "Error 400" not in en.text


def test_the_guards_limits_on_datasettes_pages_stay_its_own(site):
    r = get(site, "/evidence/studies?" + "&".join(["country=DK"] * 17))
    assert r.status_code == 400 and "The parameter «country» is repeated 17 times" in r.text
    assert 'class="evidens-error"' not in r.text


@pytest.mark.parametrize("cols", ["country", "method", "service_area"])
def test_the_not_reported_label_is_capitalised_as_every_label_is(site, api_client, cols):
    # "ikke oplyst" beside "Danmark", "not reported" beside "Denmark"
    da = api_client.get("/api/gap-map", params={"rows": "concept", "cols": cols}).json()
    assert {a["id"]: a["label"] for a in da["cols"]}["not_reported"] == "Ikke oplyst"
    assert all(a["label"][:1].isupper() for a in da["cols"])
    en = api_client.get("/api/gap-map", params={"cols": cols, "lang": "en"}).json()
    assert {a["id"]: a["label"] for a in en["cols"]}["not_reported"] == "Not reported"
    rows = get(
        site, f"/evidence/gap_map_{cols}.json", {cols: "not_reported", "_shape": "array"}
    ).json()  # the view the site shows
    assert rows and {(r[f"{cols}_label_da"], r[f"{cols}_label_en"]) for r in rows} == {
        ("Ikke oplyst", "Not reported")
    }
    page = get(site, "/map", {"cols": cols}).text
    assert "Ikke oplyst" in page and "ikke oplyst" not in page  # the map (its script) and its data


# --- `about` on every file of ours takes what the API's takes --------------------------------

FILES = [
    "/study/631.ris",
    "/study/631.bib",
    "/evidence/studies.csv?ref=631",  # a study page's CSV
    "/evidence/study.csv?ref=631",  # its "everything about the study" CSV
    "/evidence/studies_for_concept.csv?concept=co-location",  # a concept page's
    "/evidence/screening.csv",  # the PRISMA page's
    "/evidence/studies.excelcsv?ref=631",
    "/evidence/studies.xlsx?ref=631",
]


def with_query(path: str, query: str) -> str:
    return path + ("&" if "?" in path else "?") + query


@pytest.mark.parametrize("path", FILES)
@pytest.mark.parametrize(
    "query, value",
    [("about=2", "2"), ("about=", ""), ("about=ja", "ja"), ("about=1&about=0", "1, 0")],
)
def test_a_bad_about_on_a_file_is_our_400(site, path, query, value):
    """Newcomer 13: /study/631.ris?about=2 answered 200 with the file (the API: 422)."""
    r = get(site, with_query(path, query))
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert "«about»" in error_text(r.text) and f"«{value}»" in error_text(r.text)


@pytest.mark.parametrize("path", [p for p in FILES if ".xlsx" not in p])
def test_about_takes_the_apis_booleans(site, path, db):
    file = get(site, path)
    assert file.status_code == 200 and "«about»" not in file.text
    for no in ("0", "false", "off", "No"):
        assert get(site, with_query(path, f"about={no}")).content == file.content
    for yes in ("1", "true", "on", "YES"):
        about = get(site, with_query(path, f"about={yes}"))
        assert about.status_code == 200 and about.headers["content-disposition"].endswith(
            '-about.csv"'
        )
    if path.startswith("/study/"):
        assert "rows,1" in about.text.replace('"', "")
    if "screening" in path:
        n = db.execute("select count(*) from screening_flow").fetchone()[0]
        assert f"rows,{n}" in about.text.replace('"', "")
