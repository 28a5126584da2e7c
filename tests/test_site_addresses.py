"""Every address of the site answers a page, a redirect or a 4xx of ours, never a 500 (newcomer 13:
`/-/search.json`, `/-/search.csv` and `/-/search/` answered 500, datasette-search-all's route
rendering our template without its translations)."""

from __future__ import annotations

import re

import pytest
from test_site_params import error_text, get  # the site tests' request and error-page helpers

# our pages, and Datasette's (and its plugins') pages under /-/
OURS = ["/", "/-/search", "/map", "/map.html", "/study/631", "/study/631.ris"]
OURS += ["/concept/co-location", "/prisma", "/about", "/favicon.ico"]
SPECIAL = ["/-/metadata", "/-/versions", "/-/plugins", "/-/settings", "/-/actor", "/-/messages"]
SPECIAL += ["/-/patterns", "/-/allow-debug", "/-/permissions", "/-/dashboards", "/-/static/app.css"]
DATASETTE = ["/evidence", "/evidence/studies", "/evidence/studies/631", "/evidence/study_overview"]
DATASETTE += ["/evidence/studies_for_concept", "/static/evidens.css", "/-/nothing"]
SUFFIXES = ["", "/", ".json", ".xml", ".csv", ".xlsx", ".json/", "/x", "x", "."]


@pytest.mark.parametrize("base", OURS + SPECIAL + DATASETTE)
def test_no_address_answers_500(site, base):
    for suffix in SUFFIXES:
        path = (base + suffix).replace("//", "/") if base == "/" else base + suffix
        r = get(site, path, {"q": "x"} if base == "/-/search" else None)
        assert r.status_code < 500, (path, r.status_code, r.text[:300])


def test_no_address_answers_500_mounted_under_browse(evidence_db):
    from fastapi.testclient import TestClient

    from evidence.site.serve import create_app

    with TestClient(create_app(evidence_db), follow_redirects=False) as client:
        for base in OURS + SPECIAL[:2]:
            for suffix in ("/", ".json", ".xml", "/x"):
                r = client.get("/browse" + base.rstrip("/") + suffix, params={"q": "x"})
                assert r.status_code < 500, (base + suffix, r.status_code)
        r = client.get("/browse/-/search.json", params={"q": "x"})
        assert r.status_code == 404 and 'href="/browse/-/search?q=x"' in r.text
        r = client.get("/browse/-/search/", params={"q": "kontaktperson"})
        assert r.status_code == 302
        assert r.headers["location"] == "/browse/-/search?q=kontaktperson"


@pytest.mark.parametrize("extension", ["json", "csv", "xml", "html"])
def test_an_extension_on_the_search_page_is_our_404_naming_its_form(site, extension):
    r = get(site, f"/-/search.{extension}", {"q": "x"})
    assert r.status_code == 404 and '<html lang="da">' in r.text
    assert f"«-/search» findes ikke i formatet «.{extension}»" in error_text(r.text)
    assert 'href="/-/search?q=x"' in r.text  # the page it meant, the search kept
    en = get(site, f"/-/search.{extension}", {"q": "x", "lang": "en"})
    assert en.status_code == 404 and "«-/search» does not exist as" in error_text(en.text)
    assert 'href="/-/search?lang=en&amp;q=x"' in en.text


@pytest.mark.parametrize("path", ["/-/search/", "/map/", "/study/631/", "/about/", "/prisma/"])
def test_a_trailing_slash_goes_to_the_page_as_on_every_page(site, path):
    """Datasette redirects an address with a trailing slash to the one without (302), on its
    pages and ours; /-/search/ answered 500."""
    r = get(site, path, {"q": "kontaktperson"} if "search" in path else None)
    assert r.status_code == 302
    query = "?q=kontaktperson" if "search" in path else ""
    assert r.headers["location"] == path.rstrip("/") + query


def test_the_search_page_found_through_its_trailing_slash_finds(site, db):
    r = get(site, "/-/search/", {"q": "kontaktperson"})
    page = get(site, r.headers["location"]).text
    n = db.execute(
        "select count(*) from findings_fts where findings_fts match 'kontaktperson*'"
    ).fetchone()[0]
    assert n > 0 and "<h1>Søg i alle tabeller</h1>" in page and "findings</span>" in page


@pytest.mark.parametrize("path", ["/-/searchfoo", "/-/search/x", "/-/search_all"])
def test_an_address_beginning_as_the_search_page_is_our_404(site, path):
    r = get(site, path, {"q": "x"})
    assert r.status_code == 404
    assert f"Siden «{path[1:]}» findes ikke" in error_text(r.text)
    assert 'href="/-/search?q=x"' in r.text


def test_an_extension_on_datasettes_dash_pages_is_our_404_naming_its_forms(site):
    r = get(site, "/-/metadata.xml")
    assert r.status_code == 404 and "«-/metadata» findes ikke i formatet «.xml»" in r.text
    assert 'href="/-/metadata"' in r.text and 'href="/-/metadata.json"' in r.text
    r = get(site, "/-/dashboards.json")  # datasette-dashboards' page has no JSON form
    assert r.status_code == 404 and 'href="/-/dashboards"' in r.text
    assert "/-/dashboards.json" not in re.findall(r'href="([^"]+)"', r.text)
    assert get(site, "/-/metadata.json").status_code == 200


def test_the_favicon_is_only_the_favicon(site):
    assert get(site, "/favicon.ico").headers["content-type"] == "image/x-icon"
    r = get(site, "/favicon.ico.json")  # Datasette's route had answered the icon
    assert r.status_code == 404 and 'href="/favicon.ico"' in r.text


@pytest.mark.parametrize("extension", ["csv", "xlsx", "excelcsv"])
def test_a_databases_file_without_a_query_is_our_400(site, extension):
    """/evidence.csv was a 500 (Datasette's CSV of the database page), .xlsx and .excelcsv
    empty files; each is the answer of ?sql=."""
    r = get(site, f"/evidence.{extension}")
    assert r.status_code == 400 and "«evidence." + extension + "» is the answer to" in r.text
    assert f'href="/evidence/studies.{extension}"' in r.text
    ok = get(site, f"/evidence.{extension}", {"sql": "select ref from studies where ref = 631"})
    assert ok.status_code == 200


def test_more_address_after_a_static_file_is_a_404(site):
    r = get(site, "/-/static/app.css/x")  # NotADirectoryError: a 500
    assert r.status_code == 404
    assert get(site, "/static/evidens.css/x").status_code == 404


@pytest.mark.parametrize(("path", "table"), [("/study", "studies"), ("/concept", "concepts")])
def test_a_page_without_its_id_is_our_404_pointing_to_the_list(site, path, table):
    # newcomer 14: /study and /concept (what is left of /study/631 by hand) were Datasette's
    # English "Error 404"
    for lang, words in ((None, "Siden «"), ("en", "There is no page «")):
        r = get(site, path, {"lang": lang} if lang else None)
        assert r.status_code == 404 and words in error_text(r.text)
        assert f"/evidence/{table}" in r.text
