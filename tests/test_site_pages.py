"""The site's own pages in process (`ds.client`): study, concept, gap map (and offline file), PRISMA.

Expected values come from the real data: the built database's views (so the coding work's stances
are followed, not copied) and the review's printed numbers.
"""

from __future__ import annotations

import asyncio
import html
import json
import re

import pytest
from markupsafe import escape

from evidence.settings import public_url


def get(site, path: str, **params):
    return asyncio.run(site.client.get(path, params=params or None))


def local_links(page: str) -> set[str]:
    return {
        html.unescape(h)
        for h in re.findall(r'(?:href|src)="(/[^"]*)"', page)
        if not h.startswith("/api/")
    }


def test_study_page_shows_labels_not_codes(site):
    r = get(site, "/study/924", lang="en")
    assert r.status_code == 200
    page = r.text
    assert '<html lang="en">' in page and 'href="#main"' in page and 'id="main"' in page
    assert "Holm-Petersen, C., m.fl. (2021)" in page
    assert "<dd>Denmark</dd>" in page and "<dd>Social services</dd>" in page
    assert "Survey, Case studies, Qualitative interviews" in page
    assert "qualitative_interviews" not in page and "<dd>DK</dd>" not in page
    da = get(site, "/study/924").text
    assert '<html lang="da">' in da and "<dd>Danmark</dd>" in da and "<dd>Socialområdet</dd>" in da


def test_study_page_findings_and_sentences_by_concept(site, db):
    page = get(site, "/study/924").text
    for f in db.execute("select text_da from findings where ref = 924"):
        assert html.escape(f["text_da"], quote=False) in page
    stances = db.execute(
        "select k.label_da, e.stance, s.label_da as stance_da from concept_evidence e "
        "join concepts k on k.id = e.concept_id join stances s on s.code = e.stance where e.ref = 924 "
        "and exists (select 1 from concept_citations x where x.concept_id = e.concept_id and x.ref = 924)"
    ).fetchall()
    assert len(stances) >= 10
    for row in stances:
        heading = re.search(
            re.escape(str(escape(row["label_da"])))
            + r'</a>\s*<span class="evidens-stance evidens-stance-(\w+)">([^<]+)<',
            page,
        )
        assert heading, row["label_da"]
        assert heading.group(1) == row["stance"] and heading.group(2) == row["stance_da"]


def test_study_page_links_work(site):
    page = get(site, "/study/924").text
    links = local_links(page)
    assert "/study/924.ris" in links and "/evidence/studies.csv?ref=924&_dl=1" in links
    for link in sorted(links):
        if link.startswith("/-/static") or link.startswith("/static"):
            continue
        assert get(site, link).status_code == 200, link


def test_study_reference_as_ris_and_bibtex(site):
    ris = get(site, "/study/924.ris")
    assert ris.status_code == 200 and "attachment" in ris.headers["content-disposition"]
    assert "TY  - RPRT" in ris.text and "PY  - 2021" in ris.text and "Holm-Petersen" in ris.text
    bib = get(site, "/study/924.bib").text
    assert bib.startswith("@") and "2021" in bib and "Holm-Petersen" in bib
    # each file's companion is named for it (newcomer 13: the RIS and BibTeX ones shared a name)
    names = {
        get(site, f"/study/924.{ext}?about=1").headers["content-disposition"]
        for ext in ("ris", "bib")
    }
    assert len(names) == 2 and all("-ref-924-" in n for n in names)
    assert any(n.endswith('-ris-about.csv"') for n in names)


@pytest.mark.parametrize(
    "path", ["/study/9999", "/study/x", "/study/9999.ris", "/concept/no-such-concept"]
)
def test_unknown_study_or_concept_is_an_html_404(site, path):
    r = get(site, path)
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]


def test_concept_page_profile_and_studies(site, db):
    r = get(site, "/concept/single-contact-person", lang="en")
    assert r.status_code == 200
    page = r.text
    expected = db.execute(
        "select ref, stance from concept_evidence where concept_id = 'single-contact-person'"
    ).fetchall()
    assert {631, 751, 924} <= {e["ref"] for e in expected}
    for e in expected:
        assert f'href="/study/{e["ref"]}?lang=en"' in page
    assert f"<dt>Number of studies</dt><dd>{len(expected)}</dd>" in page
    assert "did no quality appraisal" in page and "not the review&#39;s appraisal" in page
    assert "The rule:" in page
    assert "/api/concepts/single-contact-person/brief?format=html" in page


def test_concept_page_follows_the_database_stances(site, db):
    for cid in [r["id"] for r in db.execute("select id from concepts order by id limit 12")]:
        page = get(site, f"/concept/{cid}").text
        shown = re.findall(
            r'href="/study/(\d+)">(?:<span lang="da">)?[^<]*(?:</span>)?</a> <span class="evidens-ref">[^<]*</span>\s*<span class="evidens-stance evidens-stance-(\w+)"',
            page,
        )
        expected = {
            (str(r["ref"]), r["stance"])
            for r in db.execute(
                "select ref, stance from concept_evidence where concept_id = ?", [cid]
            )
        }
        assert set(shown) == expected, cid


def test_extent_rule():
    from evidence.site.pagedata import consistency_of, extent

    assert extent(0, 0, None) == "none"
    assert extent(2, 2, 1.0) == "limited"
    assert extent(5, 1, 1.0) == "some"
    assert extent(5, 2, 0.7) == "some"
    assert extent(5, 2, 0.8, 4) == "broad"
    # one study taking a position is no consistency (a newcomer found co-location "broad, 100 %"
    # on one "supports" among eight studies)
    assert extent(8, 3, 1.0, 1) == "some"
    assert consistency_of(["supports", "supports", "contradicts", "mentions"]) == pytest.approx(
        2 / 3
    )
    assert consistency_of(["mentions"]) is None


def map_data(page: str) -> dict:
    raw = re.search(
        r'<script type="application/json" id="evidens-map-data">(.*?)</script>', page, re.S
    ).group(1)
    return json.loads(raw)


def test_map_page_carries_the_database(site, db):
    r = get(site, "/map", lang="en", cols="method", country="DK")
    assert r.status_code == 200
    data = map_data(r.text)
    assert (
        len(data["evidence"]) == db.execute("select count(*) from concept_evidence").fetchone()[0]
    )
    assert (
        len(data["studies"]) == 55
        and len(data["concepts"]) == db.execute("select count(*) from concepts").fetchone()[0]
    )
    assert data["labels"]["country"]["DK"] == {"da": "Danmark", "en": "Denmark"}
    assert data["site"]["lang"] == "en"
    assert 'href="/map.html?lang=en&amp;cols=method&amp;country=DK"' in r.text
    assert "Not reported" in json.dumps(data["text"])


def test_offline_map_file_is_self_contained(site, db):
    version = db.execute("select value from meta where key = 'dataset_version'").fetchone()[0][:8]
    r = get(site, "/map.html", lang="en", cols="service_area")
    assert (
        r.status_code == 200
        and r.headers["content-disposition"]
        == f'attachment; filename="evidens-gap-map-en-cols-service_area-{version}.html"'
    )
    page = r.text
    assert "<script src" not in page and 'rel="stylesheet"' not in page and "@import" not in page
    assert "evidens-map-grid" in page and "function studyPasses" in page
    assert "cols=service_area" in page and "Hjelmar, U., Ibsen, J. T." in page
    version = get(site, "/evidence/meta/dataset_version.json", _shape="object").json()[
        "dataset_version"
    ]["value"]
    assert version in page
    # absolute links name the configured public URL, never the request's Host (issue 11)
    assert map_data(page)["site"]["study"] == public_url("/browse/study/")


def test_prisma_page(site):
    r = get(site, "/prisma", lang="en")
    assert r.status_code == 200
    svg = re.search(r'<svg viewBox="0 0 640.*?</svg>', r.text, re.S).group(0)
    for n in ("499", "319", "124", "180", "55"):
        assert f"(n = {n})" in svg
    assert "180 − 124 = 56" in svg and "but the review includes 55" in svg
    assert "The screening numbers do not add up" in r.text
    assert "NORA" in r.text and "Borgere med komplekse behov" in r.text


def test_pages_work_mounted_under_browse(evidence_db):
    from fastapi.testclient import TestClient

    from evidence.site.serve import create_app

    with TestClient(create_app(evidence_db)) as client:
        for path in (
            "/browse/study/924",
            "/browse/concept/single-contact-person",
            "/browse/map",
            "/browse/prisma",
        ):
            r = client.get(path)
            assert r.status_code == 200, path
            links = local_links(r.text)
            assert links and all(link.startswith("/browse/") for link in links), path
            assert not any(link.startswith("/browse/browse/") for link in links)
        assert client.get("/browse/study/924?lang=en").text.count('href="/browse/concept/') >= 10


def test_map_rows_put_narrower_concepts_under_their_broader(site, db):
    concepts = map_data(get(site, "/map").text)["concepts"]
    ids = [c[0] for c in concepts]
    assert sorted(ids) == sorted(r[0] for r in db.execute("select id from concepts"))
    position = {cid: i for i, cid in enumerate(ids)}
    nested = [c for c in concepts if c[5] > 0]
    assert nested
    for c in nested:
        assert position[c[4]] < position[c[0]]
    assert concepts[position["single-contact-person"]][5] == 1  # under organisational-models


COLS = ["country", "service_area", "method", "finding_dimension"]


@pytest.mark.parametrize(
    "path, params, name, value, allowed",
    [
        ("/map", {"cols": "nope"}, "cols", "nope", COLS),
        ("/map", {"rows": "studies"}, "rows", "studies", ["concept", "dimension"]),
        ("/map", {"country": "ZZ"}, "country", "ZZ", ["DK (Danmark)", "GB-ENG (England)"]),
        ("/map", {"country": ["DK", "XX"]}, "country", "XX", ["SE (Sverige)"]),
        ("/map", {"method": "rct"}, "method", "rct", ["qualitative_interviews"]),
        ("/map", {"stance": "maybe"}, "stance", "maybe", ["supports (understøtter)"]),
        ("/map", {"op": "xor"}, "op", "xor", ["and", "or"]),
        ("/map", {"view": "3d"}, "view", "3d", ["bubbles", "numbers"]),
        ("/map", {"year_from": "20x5"}, "year_from", "20x5", ["1900", "2100"]),
        # a reversed range, as /api/studies answers it (newcomer 9: 200 and an empty map)
        (
            "/map",
            {"year_from": "2020", "year_to": "2010"},
            "year_from",
            "2020",
            ["year_to", "2010"],
        ),
        ("/map", {"cell": "no-such~DK"}, "cell", "no-such~DK", ["single-contact-person~DK"]),
        ("/map", {"cols": "method", "cell": "co-location~DK"}, "cell", "co-location~DK", ["~"]),
        ("/map", {"cols": ["country", "method"]}, "cols", "country, method", ["country"]),
        ("/map", {"contry": "DK"}, "contry", "DK", ["country", "service_area", "year_from"]),
        ("/map.html", {"cols": "nope"}, "cols", "nope", COLS),
        ("/study/924", {"sort": "x"}, "sort", "x", ["lang"]),
        ("/concept/co-location", {"lang": "fr"}, "lang", "fr", ["da", "en"]),
    ],
)
def test_bad_parameters_answer_400_naming_them(site, path, params, name, value, allowed):
    # a newcomer found /map?cols=nope, ?country=ZZ and ?lang=xx answering 200 silently
    r = get(site, path, **params)
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    found = re.search(r'<div class="evidens-error"[^>]*>(.*?)</div>', r.text, re.S)
    text = html.unescape(found.group(1))
    assert f"«{name}»" in text and f"«{value}»" in text, text
    assert all(a in text for a in allowed), text
    assert '<html lang="da">' in r.text and "Tilladt" in text or "Siden tager" in text
    if name != "lang":
        en = get(site, path, lang="en", **params)
        assert en.status_code == 400 and '<html lang="en">' in en.text
        assert "Allowed" in en.text or "This page takes" in en.text


@pytest.mark.parametrize("path", ["/map", "/prisma", "/study/924"])
def test_an_unknown_language_is_named_in_both_languages(site, path):
    r = get(site, path, lang="xx")
    assert r.status_code == 400
    assert "Parameteren «lang» kan ikke være «xx»" in html.unescape(r.text)
    assert "The parameter «lang» cannot be «xx»" in html.unescape(r.text)


def test_the_map_takes_several_values_of_a_filter(site):
    r = get(site, "/map", country=["DK", "SE"], stance=["supports", "mixed"], op="or")
    assert r.status_code == 200
    assert (
        'href="/map.html?country=DK&amp;country=SE&amp;stance=supports&amp;stance=mixed&amp;op=or"'
        in r.text
    )


def test_unknown_concept_is_a_404_in_the_pages_language_with_suggestions(site):
    # the API suggests co-location for co-locatoin; the site's page was English and suggested nothing
    r = get(site, "/concept/co-locatoin")
    assert r.status_code == 404 and '<html lang="da">' in r.text
    assert "Mente du" in r.text and 'href="/concept/co-location">Fysisk samlokalisering' in r.text
    en = get(site, "/concept/co-locatoin", lang="en")
    assert en.status_code == 404 and '<html lang="en">' in en.text
    assert (
        "Did you mean" in en.text and 'href="/concept/co-location?lang=en">Co-location' in en.text
    )


def test_unknown_study_is_a_404_suggesting_the_nearest_numbers(site, db):
    r = get(site, "/study/925")
    assert r.status_code == 404 and '<html lang="da">' in r.text
    nearest = [
        row[0] for row in db.execute("select ref from studies order by abs(ref - 925), ref limit 5")
    ]
    assert 924 in nearest
    for ref in nearest:
        assert f'href="/study/{ref}"' in r.text


@pytest.mark.parametrize("path", ["/study/%ff", "/study/%C3%A6", "/concept/%ff", "/study/x"])
def test_a_strange_id_is_a_clean_404(site, path, evidence_db):
    # /browse/study/%ff answered 302 to /browse/study/~ff (Datasette's tilde redirect), then 404
    r = get(site, path)
    assert r.status_code == 404 and '<html lang="da">' in r.text
    from fastapi.testclient import TestClient

    from evidence.site.serve import create_app

    with TestClient(create_app(evidence_db)) as client:
        mounted = client.get("/browse" + path, follow_redirects=False)
        assert mounted.status_code == 404 and "text/html" in mounted.headers["content-type"]


def test_every_link_to_a_study_page_is_to_an_included_study(site, db):
    """Section 3.1 cites 908, no included study: its number is shown, not linked to a 404."""
    included = {str(r[0]) for r in db.execute("select ref from studies")}
    concepts = {r[0] for r in db.execute("select id from concepts")}
    cited_908 = db.execute("select claim_id from claims where cited_refs like '%908%'").fetchone()
    assert "908" not in included and cited_908
    pages = [
        "/",
        "/evidence/claims?_size=max",
        f"/evidence/claims/{cited_908[0]}",
        "/evidence/search_claims?q=samarbejde&_size=max",
        "/evidence/claim_concepts?_size=max",
        "/concept/single-contact-person",
    ]
    for path in pages:
        page = get(site, path)
        assert page.status_code == 200, path
        links = set(re.findall(r'href="/(study|concept)/([^"?.#]+)', page.text))
        assert {n for kind, n in links if kind == "study"} <= included, path
        assert {n for kind, n in links if kind == "concept"} <= concepts, path
    claims = get(site, "/evidence/claims?_size=max").text
    assert 'not an included study: no study page">908</span>' in claims


@pytest.mark.parametrize(
    ("lang", "text"), [("da", "Begreber × serviceområder"), ("en", "Concepts × service areas")]
)
def test_map_page_names_its_tables_in_words(site, lang, text):
    page = get(site, "/map", lang=lang).text
    assert f'gap_map_service_area">{text}</a>' in page
    assert not re.search(r">\s*gap_map\w*\s*<", page)


def test_concept_extent_line_counts_in_singular_and_plural(site, db):
    one = db.execute(
        "select concept_id from concept_evidence group by concept_id "
        "having count(distinct ref) = 1 limit 3"
    ).fetchall()
    assert one
    for concept_id in [r[0] for r in one] + ["single-contact-person"]:
        for lang in ("da", "en"):
            page = get(site, f"/concept/{concept_id}", lang=lang).text
            line = re.search(r'id="extent".*?<p>(.*?)</p>', page, re.S).group(1)
            assert not re.search(
                r"\b1 (studier|studies|metoder|methods|danske|Danish studies)", line
            )
            assert "danish" not in line, line
    page = get(site, f"/concept/{one[0][0]}", lang="en").text
    assert re.search(r"<p>1 study, \d+ methods? / designs?, ", page)


def test_a_stance_from_bilag_2_shows_its_finding(site, db):
    # a newcomer saw study 1002 headed "supports" on the co-location page with only two
    # "mentions" sentences under it: the stance comes from its Bilag 2 finding, now shown too
    row = db.execute(
        "select stance, claim_stance, finding_stance, finding_ids from concept_studies "
        "where concept_id = 'co-location' and ref = 1002"
    ).fetchone()
    assert (row["stance"], row["claim_stance"], row["finding_stance"]) == (
        "supports",
        "mentions",
        "supports",
    )
    finding = db.execute(
        "select text_da from findings where finding_id = ?", [json.loads(row["finding_ids"])[0]]
    ).fetchone()["text_da"]
    page = get(site, "/concept/co-location").text
    group = page[page.index('href="/study/1002"') :].split("</section>")[0]
    assert (
        html.escape(finding, quote=False) in group and "Hovedfund (Bilag 2) · understøtter" in group
    )


def test_consistency_says_how_many_studies_take_a_position(site):
    # "samstemmighed 100 %" on co-location rested on one study of eight
    page = get(site, "/concept/co-location").text
    assert "samstemmighed 100 % (1 af 8 tager stilling)" in page
    assert "1 of 8 take a position" in get(site, "/concept/co-location", lang="en").text
