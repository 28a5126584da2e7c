"""The site's downloads as a person meets them (newcomer 13): every CSV link of a page downloads a
file named by the one rule (evidence.export.files.About.filename), while the plain `.csv` address
stays Datasette's text for scripts."""

from __future__ import annotations

import asyncio
import html
import re

import pytest

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
