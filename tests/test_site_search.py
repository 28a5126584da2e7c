"""The site's search, as a newcomer used it (newcomer 12): the studies table's search box and
/api/studies?q= find the same studies."""

from __future__ import annotations

import asyncio

import pytest


def get(site, path: str, params=None):
    return asyncio.run(site.client.get(path, params=params))


def site_refs(site, q: str) -> list[int]:
    r = get(site, "/evidence/studies.json", {"_search": q, "_shape": "array", "_size": "max"})
    assert r.status_code == 200, r.text
    return sorted(row["ref"] for row in r.json())


@pytest.mark.parametrize(
    "q, expected",
    [
        # "co-location" is in the English renderings of 712's and 1002's findings only: the
        # API found them, the search box did not
        ("co-location", [712, 1002]),
        ("samlokalisering", [712]),
        ("kontaktperson", [631, 751, 924]),
        ("kontaktpersoner", [631, 751, 924]),
        ("contact person", [631, 751, 924]),
        ("Villumsen", [631]),
    ],
)
def test_the_search_box_and_the_api_find_the_same_studies(site, api_client, q, expected):
    api = api_client.get("/api/studies", params={"q": q, "limit": 100})
    assert api.status_code == 200
    assert sorted(s["ref"] for s in api.json()["data"]) == expected
    assert site_refs(site, q) == expected
