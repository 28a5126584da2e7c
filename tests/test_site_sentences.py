"""A sentence of the review is shown once on a page or in a brief about a concept, with all its
citation groups (newcomer 12: claims 2.2-08, 2.2-09 and 2.2-10 are one sentence with three citation
groups, printed three times on /concept/co-location and in its brief)."""

from __future__ import annotations

import asyncio
import html
import re
from collections import Counter

import pytest

SENTENCE = "Undersøgte områder er bl.a. området for anbragte børn og unge (22)"


def get(site, path: str, params=None):
    return asyncio.run(site.client.get(path, params=params))


def test_the_three_claims_are_one_sentence(db):
    rows = db.execute(
        "select claim_id, sentence_da, cited_refs from claims where sentence_da like ? order by 1",
        [SENTENCE + "%"],
    ).fetchall()
    assert [(r[0], r[2]) for r in rows] == [
        ("2.2-08", "[22]"),
        ("2.2-09", "[1002]"),
        ("2.2-10", "[712]"),
    ]
    assert len({r[1] for r in rows}) == 1


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_brief_quotes_a_sentence_once_with_all_its_claims(api_client, fmt, lang):
    r = api_client.get("/api/concepts/co-location/brief", params={"format": fmt, "lang": lang})
    assert r.status_code == 200
    assert r.text.count(SENTENCE) == 1
    assert "(claims 2.2-08, 2.2-09, 2.2-10)" in r.text
    if lang == "en":
        assert r.text.count("Areas studied include") == 1


def test_the_concept_page_quotes_a_sentence_once_and_points_to_it(site):
    page = html.unescape(get(site, "/concept/co-location").text)
    assert page.count(SENTENCE) == 1
    anchor = re.search(
        r'<li id="(claim-2\.2-(?:08|09|10))"><blockquote lang="da">' + re.escape(SENTENCE), page
    )
    assert anchor, "the sentence is quoted under the first of its studies"
    pointers = re.findall(r'Samme sætning som under <a href="#([^"]+)">', page)
    assert pointers.count(anchor.group(1)) == 2  # under the two other studies it cites
    en = html.unescape(get(site, "/concept/co-location", {"lang": "en"}).text)
    assert en.count("Areas studied include") == 1 and en.count(SENTENCE) == 1
    assert "The same sentence as under" in en


def test_no_concept_page_quotes_a_sentence_twice(site, db):
    """Across a concept page a sentence of the review is quoted once; under one study a Bilag 2
    finding coded with two narrower concepts was shown twice (causes-of-staff-effects, 319-01)."""
    sentences = {
        html.escape(r[0], quote=False) for r in db.execute("select sentence_da from claims")
    }
    for (concept_id,) in db.execute("select id from concepts"):
        page = get(site, f"/concept/{concept_id}").text
        quoted = Counter(re.findall(r'<blockquote lang="da">(.*?)</blockquote>', page, re.S))
        assert [q for q, n in quoted.items() if n > 1 and q in sentences] == [], concept_id
        for study in page.split('<section class="evidens-group">')[1:]:
            within = Counter(re.findall(r'<blockquote lang="da">(.*?)</blockquote>', study, re.S))
            assert [q for q, n in within.items() if n > 1] == [], concept_id
        for target in re.findall(r'class="evidens-same">[^<]*<a href="#([^"]+)"', page):
            assert f'id="{target}"' in page, (concept_id, target)
