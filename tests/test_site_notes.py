"""A canned query's parameter that names nothing, and a table's parameter that is no column, are
said on the page (newcomer 13: `studies_for_concept?concept=nope` was an empty table with no hint,
`studies?country=DK` all 55 studies)."""

from __future__ import annotations

import asyncio
import html
import re

import pytest


def get(site, path: str, params=None):
    return asyncio.run(site.client.get(path, params=params))


def notes(page: str) -> list[str]:
    found = re.findall(
        r'<div class="evidens-note evidens-param-note" role="note">(.*?)</div>', page, re.S
    )
    return [html.unescape(" ".join(n.split())) for n in found]


def links(note: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', note)


def query_refs(site, concept: str) -> list[int]:
    data = get(site, "/evidence/studies_for_concept.json", {"concept": concept, "_shape": "array"})
    return [row["ref"] for row in data.json()]


def test_a_concept_that_is_none_is_said_with_the_nearest(site, db):
    r = get(site, "/evidence/studies_for_concept", {"concept": "colocation"})
    assert r.status_code == 200  # the query's form stays, to correct it
    (note,) = notes(r.text)
    assert "No concept has the id or label «colocation» («concept»), so no row matches." in note
    assert links(note)[0] == "/evidence/studies_for_concept?concept=co-location"
    (nope,) = notes(get(site, "/evidence/studies_for_concept", {"concept": "nope"}).text)
    assert "«nope»" in nope
    # the files and the JSON stay Datasette's answer: no row matches
    assert query_refs(site, "nope") == []


@pytest.mark.parametrize("concept", ["co-location", "Co-location", "Fysisk samlokalisering"])
def test_a_concept_named_by_id_or_label_has_no_note(site, db, concept):
    r = get(site, "/evidence/studies_for_concept", {"concept": concept})
    expected = {
        row[0]
        for row in db.execute("select ref from concept_studies where concept_id = 'co-location'")
    }
    assert notes(r.text) == [] and set(query_refs(site, concept)) == expected and expected


def test_a_study_that_is_none_is_said_with_the_nearest(site, db):
    assert db.execute("select count(*) from studies where ref = 908").fetchone()[0] == 0
    (note,) = notes(get(site, "/evidence/study", {"ref": "908"}).text)
    assert "The review has no included study «908»" in note
    assert "/evidence/study?ref=907" in links(note)
    assert notes(get(site, "/evidence/study", {"ref": "631"}).text) == []


def test_a_code_that_is_none_is_said_with_the_codes(site, db):
    page = get(site, "/evidence/studies_by", {"country": "ZZ", "year_from": "abc", "method": ""})
    country, year = notes(page.text)
    assert "«country» is «ZZ», which is none of its codes" in country
    assert "DK (Denmark)" in country and "SE (Sweden)" in country
    assert "«year_from» is «abc», which is no year" in year
    ok = get(site, "/evidence/studies_by", {"country": "DK", "year_from": "2015"}).text
    assert notes(ok) == []
    kinds = [r[0] for r in db.execute("select distinct kind from audit_findings order by kind")]
    (audit,) = notes(get(site, "/evidence/audit", {"kind": "nope"}).text)
    assert ", ".join(kinds) in audit
    (dimension,) = notes(get(site, "/evidence/gap_map", {"dimension": "effects"}).text)
    assert "virkninger_borgere (Effects on citizens and families)" in dimension
    assert notes(get(site, "/evidence/gap_map", {"dimension": "viden"}).text) == []


def test_an_api_parameter_on_the_studies_table_points_to_its_form(site, db):
    r = get(site, "/evidence/studies", {"country": "DK"})
    assert "<h3>55 rows" in r.text  # not read: Datasette filters by column names
    (note,) = notes(r.text)
    assert "names no column of studies" in note and "country=DK" in note
    (link,) = links(note)
    assert link == "/evidence/studies?countries__arraycontains=DK"
    danish = db.execute(
        "select count(*) from studies where exists "
        "(select 1 from json_each(countries) where value = 'DK')"
    ).fetchone()[0]
    assert danish == 21 and f"<h3>{danish} rows" in get(site, link).text


def test_every_api_name_is_translated_and_real_filters_are_kept(site):
    query = {
        "publication_type": "report",
        "year_from": "2015",
        "q": "kontakt",
        "service_area": "social",
    }
    (note,) = notes(get(site, "/evidence/studies", query).text)
    (link,) = links(note)
    assert link == (
        "/evidence/studies?publication_type=report&year__gte=2015&_search=kontakt"
        "&service_areas__arraycontains=social"
    )
    (concept,) = notes(get(site, "/evidence/studies", {"concept": "co-location"}).text)
    assert links(concept) == ["/evidence/studies_for_concept?concept=co-location"]
    (other,) = notes(get(site, "/evidence/studies", {"utm_source": "newsletter"}).text)
    assert "utm_source=newsletter" in other and links(other) == []
    assert notes(get(site, "/evidence/studies", {"countries__arraycontains": "DK"}).text) == []
