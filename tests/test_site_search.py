"""The site's search, as a newcomer used it (newcomer 12): the studies table's search box and
/api/studies?q= find the same studies."""

from __future__ import annotations

import asyncio
import json
import re

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
        # newcomer 13: the review writes both "samlokalisering" (712) and "samlokation" (1002)
        # (§2.2); a finding's index holds its coded concepts' one-word terms, so both meet
        ("samlokalisering", [712, 1002]),
        ("samlokation", [712, 1002]),
        # 507's finding says "primær tovholder", coded single-contact-person (a synonym)
        ("kontaktperson", [507, 631, 751, 924]),
        ("kontaktpersoner", [507, 631, 751, 924]),
        ("contact person", [631, 751, 924]),  # a multi-word term is not indexed word by word
        ("primær tovholder", [507]),
        ("Villumsen", [631]),
    ],
)
def test_the_search_box_and_the_api_find_the_same_studies(site, api_client, q, expected):
    api = api_client.get("/api/studies", params={"q": q, "limit": 100})
    assert api.status_code == 200
    assert sorted(s["ref"] for s in api.json()["data"]) == expected
    assert site_refs(site, q) == expected


def test_variants_of_a_term_meet_through_the_thesaurus(site, db):
    """What makes samlokalisering and samlokation meet is data: the findings' coding
    (finding_concepts) and the concept's curated synonyms (concepts.synonyms_da), not a word list
    in the code. Every one-word Danish term of co-location finds every study coded with it, in
    the studies' and the findings' search."""
    terms = db.execute(
        "select label_da, synonyms_da from concepts where id = 'co-location'"
    ).fetchone()
    one_word = [t for t in [terms[0], *json.loads(terms[1])] if re.fullmatch(r"\w+", t)]
    assert one_word == ["samlokalisering", "samlokation", "samlokaliseret"]
    coded = db.execute(
        "select f.finding_id, f.ref, f.text_da from finding_concepts c "
        "join findings f on f.finding_id = c.finding_id where c.concept_id = 'co-location'"
    ).fetchall()
    assert {r["finding_id"] for r in coded} == {"712-01", "1002-01"}
    assert "samlokalisering" in coded[0]["text_da"] + coded[1]["text_da"]
    assert "samlokation" in coded[0]["text_da"] + coded[1]["text_da"]
    for term in one_word:
        assert set(site_refs(site, term)) >= {r["ref"] for r in coded}, term
        found = get(site, "/evidence/findings.json", {"_search": term, "_shape": "array"}).json()
        assert {r["finding_id"] for r in found} >= {r["finding_id"] for r in coded}, term


# --- /-/search, where the landing page's search box leads ------------------------------------


def search_page(site, q: str) -> str:
    r = get(site, "/-/search", {"q": q})
    assert r.status_code == 200
    return r.text


def table_section(page: str, table: str) -> str:
    """The results of one table on /-/search (rendered on the server)."""
    found = re.search(
        rf'<section class="evidens-search-table">\s*<h2>.*? (?:i|in) <span translate="no">evidence: {table}</span></h2>(.*?)</section>',
        page,
        re.S,
    )
    assert found, f"no results for {table}"
    return found.group(1)


def cell(section: str, column: str) -> str:
    found = re.search(rf'<td class="col-{column} [^"]*">(.*?)</td>', section, re.S)
    assert found, column
    return found.group(1)


def test_search_all_shows_cells_as_the_table_pages_do(site, db):
    # newcomer 12: the studies row showed ["DK"], ["social"], [], da; references.raw its *…*
    study = db.execute(
        "select countries, methods, language from studies where ref = 631"
    ).fetchone()
    assert (study["countries"], study["methods"], study["language"]) == ('["DK"]', "[]", "da")
    page = search_page(site, "Villumsen")
    studies = table_section(page, "studies")
    assert cell(studies, "countries") == '<span title="DK">Denmark</span>'
    assert cell(studies, "service_areas") == '<span title="social">Social services</span>'
    assert cell(studies, "language") == '<span title="da">Danish</span>'
    assert cell(studies, "methods") == "&nbsp;"
    assert cell(studies, "publication_type").startswith('<a href="/evidence/publication_types/')
    assert "[&#34;" not in page and '["' not in studies
    references = table_section(page, "references")
    raw = db.execute(
        "select raw from [references] where reference_id = 'villumsen-2018'"
    ).fetchone()
    assert "*Helhedsorienteret socialt arbejde med udsatte familier*" in raw[0]
    assert "<em>Helhedsorienteret socialt arbejde med udsatte familier</em>" in references
    assert "*Helhedsorienteret" not in references
    assert '<span title="included_study">Included study</span>' in references
    # the same cells on the table pages
    table = get(site, "/evidence/references", {"_search": "Villumsen"}).text
    assert '<span title="included_study">Included study</span>' in table


def test_search_all_links_claims_to_studies_and_concepts(site, db):
    claim = db.execute(
        "select cited_refs, concept_ids from claims where claim_id = '2.2-03'"
    ).fetchone()
    assert (claim["cited_refs"], claim["concept_ids"]) == ("[507]", '["single-contact-person"]')
    claims = table_section(search_page(site, "kontaktperson"), "claims")
    assert '<a href="/study/507">507</a>' in claims
    assert '<a href="/concept/single-contact-person">single-contact-person</a>' in claims
    assert "[507]" not in claims and "[]" not in claims


def test_search_all_counts_every_match_and_links_to_the_rest(site, db):
    page = search_page(site, "samarbejdet")
    n = len(site_refs(site, "samarbejdet"))
    assert n > 5
    assert (
        f'<a href="/evidence/studies?_search=samarbejdet">{n} resultater</a> i '
        '<span translate="no">evidence: studies</span>' in page
    )
    assert f">{n - 5} resultater mere</a>" in table_section(page, "studies")
    assert "Ingen resultater i" in page  # the outcomes have no collaboration


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_search_box_examples_find_what_they_promise(site, lang):
    # newcomer 12: the English example "single contact person" found only the concept
    landing = get(site, "/", {"lang": lang} if lang == "en" else None).text
    placeholder = re.search(r'id="evidens-q" [^>]*placeholder="([^"]+)"', landing).group(1)
    examples = [e.strip() for e in re.sub(r"^(e\.g\.|fx) ", "", placeholder).split(",")]
    assert len(examples) == 2
    for q in examples:
        page = search_page(site, q)
        for table in ("studies", "findings", "claims", "concepts"):
            assert table_section(page, table), (q, table)


def test_search_all_works_mounted_under_browse(evidence_db):
    from fastapi.testclient import TestClient

    from evidence.site.serve import create_app

    with TestClient(create_app(evidence_db)) as client:
        page = client.get("/browse/-/search", params={"q": "Villumsen"}).text
    assert '<a href="/browse/evidence/studies?_search=Villumsen">1 resultat</a>' in page
    assert 'href="/browse/evidence/studies/631"' in page


# --- /-/search follows the site's language rule and checks its parameters ---------------------


def test_search_all_is_danish_by_default_and_english_with_lang_en(site):
    da = search_page(site, "kontaktperson")
    assert '<html lang="da">' in da and "<h1>Søg i alle tabeller</h1>" in da
    assert 'value="Søg"' in da and "<h1>Search all tables</h1>" not in da
    en = get(site, "/-/search", {"q": "kontaktperson", "lang": "en"})
    assert en.status_code == 200
    assert '<html lang="en">' in en.text and "<h1>Search all tables</h1>" in en.text
    assert (
        '<input type="hidden" name="lang" value="en">' in en.text
    )  # the next search stays English
    # a finding's Danish text is marked Danish on the English page
    findings = table_section(en.text, "findings")
    assert re.search(
        r'<td class="col-text_da[^"]*"><span lang="da">[^<]*[Kk]ontaktperson', findings
    )


@pytest.mark.parametrize(
    "params, name", [({"q": "x", "lang": "xx"}, "lang"), ({"q": "x", "foo": "1"}, "foo")]
)
def test_search_all_refuses_a_bad_or_unknown_parameter_with_our_page(site, params, name):
    r = get(site, "/-/search", params)
    assert r.status_code == 400
    assert "Ugyldig forespørgsel" in r.text and f"«{name}»" in r.text


def test_a_vocabulary_key_shows_its_label_not_its_code(site, db):
    """Newcomer 13: the search page showed "Effects *virkninger*" (Datasette's label and code of
    a foreign key); a code of a vocabulary shows its label, the code as its title, as elsewhere."""
    labels = dict(db.execute("select code, label_en from dimensions"))
    assert (labels["virkninger"], labels["rammer_og_maal"]) == ("Effects", "Frameworks and goals")
    findings = table_section(search_page(site, "kontaktperson"), "findings")
    shown = re.findall(r'<td class="col-dimension(?: [^"]*)?">(.*?)</td>', findings)
    assert shown and "<em>" not in "".join(shown)
    for cell_html in shown:
        code = re.search(r'title="([^"]+)"', cell_html)[1]
        assert cell_html == (
            f'<a href="/evidence/dimensions/{code}" title="{code}">{labels[code]}</a>'
        )
    # the same on Datasette's table and row pages
    row = get(site, "/evidence/findings/1-01").text
    assert (
        '<a href="/evidence/dimensions/rammer_og_maal" title="rammer_og_maal">Frameworks and goals</a>'
        in row
    )
    assert "<em>rammer_og_maal</em>" not in row
    studies = get(site, "/evidence/studies", {"ref": "1"}).text
    assert 'title="journal_article">Journal article</a>' in studies
    assert "<em>journal_article</em>" not in studies
    # a key to a study, a section or a bibliography entry keeps its number: the review's own
    claims = get(site, "/evidence/claims", {"claim_id": "2.1-01"}).text
    assert "</a>&nbsp;<em>2.1</em>" in claims
