"""Every concept, every door: the same studies with the same stances wherever a person asks.

The one implementation is evidence.read.stances.gather_concept_evidence (built into the table
concept_studies); /api/ask?concept=, /api/concepts/{id}, /api/studies?concept=&stance=, the brief,
the gap map, the site's concept_evidence view and its studies_for_concept canned query all read it.
This walks all 113 concepts through each door and compares them to it, and to an independent
recomputation from the CSVs (tests/test_build.py's expected_concept_refs).
"""

from __future__ import annotations

import asyncio
import csv
from collections import Counter

import pytest
from test_build import expected_concept_refs

STANCES = ("supports", "contradicts", "mixed", "mentions")


@pytest.fixture(scope="module")
def truth(evidence_db) -> dict[str, dict[int, str]]:
    import sqlite3

    conn = sqlite3.connect(evidence_db)
    out: dict[str, dict[int, str]] = {r[0]: {} for r in conn.execute("select id from concepts")}
    for concept_id, ref, stance in conn.execute(
        "select concept_id, ref, stance from concept_studies"
    ):
        out[concept_id][ref] = stance
    return out


@pytest.fixture(scope="module")
def gap_rows(api_client) -> dict[str, set[int]]:
    cells = api_client.get("/api/gap-map", params={"cols": "country"}).json()["cells"]
    out: dict[str, set[int]] = {}
    for c in cells:
        out.setdefault(c["row"], set()).update(c["refs"])
    return out


def test_the_table_is_the_csvs(truth):
    for concept_id, studies in truth.items():
        assert set(studies) == expected_concept_refs(concept_id), concept_id


def test_every_concept_every_api_door(api_client, truth, gap_rows):
    for concept_id, studies in truth.items():
        ask = api_client.get("/api/ask", params={"concept": concept_id}).json()
        assert {s["ref"]: s["stance"] for s in ask["studies"]} == studies, concept_id
        profile = api_client.get(f"/api/concepts/{concept_id}").json()
        assert {s["ref"]: s["stance"] for s in profile["studies"]} == studies, concept_id
        assert profile["n_studies"] == len(studies), concept_id
        for stance in STANCES:
            listed = api_client.get(
                "/api/studies", params={"concept": concept_id, "stance": stance, "limit": 100}
            ).json()["data"]
            want = {r for r, s in studies.items() if s == stance}
            assert {s["ref"] for s in listed} == want, (concept_id, stance)
        assert gap_rows.get(concept_id, set()) == set(studies), concept_id


def test_every_concept_every_brief(api_client, truth):
    for concept_id, studies in truth.items():
        brief = api_client.get(f"/api/concepts/{concept_id}/brief", params={"format": "md"}).text
        counts = Counter(studies.values())
        if studies:
            line = f"{len(studies)} studier: " + ", ".join(
                f"{counts[s]} {word}"
                for s, word in zip(
                    STANCES, ("understøtter", "modsiger", "blandet", "nævner"), strict=True
                )
                if counts[s]
            )
            assert line in brief, concept_id
        else:
            assert "citerer ingen studier" in brief, concept_id


def test_every_concept_every_site_door(site, truth):
    for concept_id, studies in truth.items():
        view = asyncio.run(
            site.client.get(
                "/evidence/concept_evidence.json",
                params={"concept_id": concept_id, "_shape": "array", "_size": "max"},
            )
        ).json()
        assert {r["ref"]: r["stance"] for r in view} == studies, concept_id
        canned = asyncio.run(
            site.client.get(
                "/evidence/studies_for_concept.json",
                params={"concept": concept_id, "_shape": "array"},
            )
        ).json()
        assert {r["ref"]: r["stance"] for r in canned} == studies, concept_id


def test_no_concept_the_review_discusses_shows_no_study(truth, data_dir):
    with open(data_dir / "concepts.csv", encoding="utf-8", newline="") as f:
        summary_only = {r["id"]: r["summary_only"] for r in csv.DictReader(f)}
    empty = {c for c, studies in truth.items() if not studies}
    # a concept with no study is one the review names only in its uncited summaries, and says so
    assert empty == {c for c, note in summary_only.items() if note}
    assert empty == {"broad-based-intervention", "early-citizen-involvement"}


def test_the_three_disputed_codings_as_the_manual_decides(truth, api_client):
    # 361: "Studiet finder, at én kontaktperson generelt er fordelagtigt" (2.2, same paragraph);
    # 507: only "arbejdes med én primær kontaktperson" (coding manual, hard case ii)
    assert truth["single-contact-person"][361] == "supports"
    assert truth["single-contact-person"][507] == "mentions"
    # 1002's Bilag 2 finding: "Fysisk samlokation kan styrke den faglige vidensdeling" (hard case iii)
    assert truth["co-location"][1002] == "supports"
    profile = api_client.get("/api/concepts/co-location").json()
    s1002 = next(s for s in profile["studies"] if s["ref"] == 1002)
    assert [f["stance"] for f in s1002["findings"]] == ["supports"]
    assert {e["stance"] for e in s1002["evidence"]} == {"mentions"}
    # 361 on meetings with the citizen: the chapters only mention it among "opmærksomhedspunkter"
    # (hard case i); its Bilag 2 finding says ongoing follow-up meetings are needed
    assert truth["meetings-with-citizen"][361] == "supports"
    assert Counter(truth["meetings-with-citizen"].values())["contradicts"] == 0
