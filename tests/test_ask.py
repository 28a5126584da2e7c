"""Answering questions: concept resolution, the answer's studies and stances, the dev set's quality."""

from __future__ import annotations

import io

import pytest

from bench.quality import evaluate, scores
from evidence.answer.ask import answer
from evidence.cli import print_answer
from evidence.read.database import Database
from evidence.read.stances import aggregate_stance

SINGLE_CONTACT = {361, 507, 631, 751, 924}
CO_LOCATION = {22, 314, 507, 631, 712, 741, 876, 1002}


@pytest.fixture(scope="module")
def db(evidence_db) -> Database:
    return Database(evidence_db)


def refs(result: dict) -> set[int]:
    return {s["ref"] for s in result["studies"]}


def concept_ids(result: dict) -> list[str]:
    return [c["id"] for c in result["concepts"]]


@pytest.mark.parametrize(
    "question",
    [
        "which studies support a single contact person",
        "Hvilke studier understøtter én kontaktperson?",
        "kontaktpersn",
        "tovholder",
        "Do families benefit from having one coordinator?",
    ],
)
def test_single_contact_person_in_any_wording(db, question):
    result = answer(db, question)
    assert concept_ids(result) == ["single-contact-person"]
    assert refs(result) == SINGLE_CONTACT


def test_answer_lists_stance_evidence_and_findings(db):
    result = answer(db, "kontaktperson")
    first = result["studies"][0]
    assert [s["ref"] for s in result["studies"]] == [631, 751, 924, 507, 361]  # most claims first
    assert first == {
        "ref": 631,
        "authors": "Villumsen, A. M.",
        "year": 2018,
        "title": first["title"],
        "countries": ["DK"],
        "stance": "supports",
        "evidence": first["evidence"],
        "findings": ["Det giver værdi for borgeren at have én kontaktperson."],
    }
    assert [e["claim_id"] for e in first["evidence"]] == ["2.2-04", "6.4-08", "6.4-09"]
    assert first["evidence"][0]["chapters"] == [5, 6, 7]
    assert first["evidence"][0]["section_title"] == "Modeller med en tværfaglig organisering"
    s361 = result["studies"][-1]
    assert (
        s361["evidence"][0]["quote_da"]
        == "Det første eksempel er et dansk studie af støtte til mennesker med debuterende psykose i Danmark (361)."
    )
    assert s361["findings"] == []
    assert result["summary"] == {
        "n_studies": 5,
        "by_stance": {"supports": 5},
        "by_country": {"DK": 5},
    }
    assert "kontaktperson" in result["concepts"][0]["matched"]


def test_english_labels_and_findings_with_lang_en(db):
    result = answer(db, "kontaktperson", lang="en")
    s631 = next(s for s in result["studies"] if s["ref"] == 631)
    assert s631["evidence"][0]["section_title"] == "Models with interdisciplinary organisation"
    assert s631["findings"] and all(f.isascii() for f in s631["findings"])


def test_stopwords_and_framing_are_stripped(db):
    result = answer(db, "Hvilke studier handler om fysisk samlokalisering?")
    assert concept_ids(result) == ["co-location"]
    assert refs(result) == CO_LOCATION
    assert {s["stance"] for s in result["studies"]} == {"mentions"}


def test_citation_stances_override_the_claims_stance(db):
    """6.1-05 is 'mixed' for the claim; citation_stances split it: 751 contradicts, 506 and 924 support."""
    result = answer(db, concept="parents-functioning-wellbeing")
    assert {s["ref"]: s["stance"] for s in result["studies"]} == {
        506: "supports",
        751: "contradicts",
        924: "supports",
    }
    assert result["summary"]["by_stance"] == {"supports": 2, "contradicts": 1}


def test_supports_and_contradicts_make_mixed(db):
    result = answer(db, concept="joint-action-plan")
    assert {s["ref"]: s["stance"] for s in result["studies"]} == {
        363: "mixed",
        506: "supports",
        631: "supports",
        924: "supports",
    }


@pytest.mark.parametrize(
    ("stances", "expected"),
    [
        (["supports", "supports"], "supports"),
        (["supports", "contradicts"], "mixed"),
        (["supports", "mentions"], "supports"),
        (["mentions", "contradicts", "mentions"], "contradicts"),
        (["mentions"], "mentions"),
        (["mixed", "supports"], "mixed"),
    ],
)
def test_aggregate_stance(stances, expected):
    assert aggregate_stance(stances) == expected


def test_with_and_without_the_citizen_are_told_apart(db):
    assert concept_ids(answer(db, "møder med borgeren")) == ["meetings-with-citizen"]
    assert concept_ids(answer(db, "møder uden borgeren")) == ["meetings-without-citizen"]
    assert concept_ids(
        answer(db, "Hvilke studier viser at borgerne ikke føler sig inddraget?")
    ) == ["done-to-not-with"]


def test_a_question_about_two_things_gets_both(db):
    result = answer(db, "kontaktperson og samlokalisering")
    assert sorted(concept_ids(result)) == ["co-location", "single-contact-person"]
    assert refs(result) == SINGLE_CONTACT | CO_LOCATION
    assert {s["ref"] for s in result["studies"][:2]} == {
        507,
        631,
    }  # the two cited for both come first


def test_one_concept_does_not_drag_in_its_relatives(db):
    assert concept_ids(answer(db, "conflicting goals between sectors")) == ["competing-goals"]
    assert concept_ids(answer(db, "samlet ledelse")) == ["single-leadership"]


@pytest.mark.parametrize(
    "question", ["What does the review say about climate change?", "hunde og katte", "xyzzy"]
)
def test_no_guess_when_nothing_matches(db, question):
    result = answer(db, question)
    assert result["studies"] == [] and result["concepts"] == []
    assert result["summary"]["n_studies"] == 0


def test_common_ground_alone_gets_suggestions_not_an_answer(db):
    result = answer(db, "tværfagligt samarbejde")
    assert result["studies"] == []
    assert result["suggestions"] and {"id", "label_da", "label_en", "score"} <= set(
        result["suggestions"][0]
    )


def test_print_answer(evidence_db):
    out = io.StringIO()
    assert print_answer("kontaktpersn", db=evidence_db, lang="en", out=out) == 0
    text = out.getvalue()
    assert "Single contact person (single-contact-person" in text
    assert "ref  authors" in text and "631" in text and "2.2" in text and "supports" in text
    out = io.StringIO()
    assert print_answer("climate change", db=evidence_db, out=out) == 1
    assert "No concept matches" in out.getvalue()


def test_scores():
    assert scores({1, 2}, {2, 3}) == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert scores(set(), set()) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert scores({1}, set())["f1"] == 0.0 and scores(set(), {1})["f1"] == 0.0


def test_devset_quality_is_high_and_far_above_full_text_search(evidence_db):
    result = evaluate(evidence_db)
    macro = result["macro"]
    assert result["n_questions"] >= 20
    assert macro["ask"]["f1"] >= 0.9, [q["q"] for q in result["questions"] if q["ask"]["f1"] < 1]
    assert macro["ask"]["f1"] >= max(macro["fts_all"]["f1"], macro["fts_any"]["f1"]) + 0.3


def test_a_grouping_concept_answers_with_its_narrower_concepts(api_client, data_dir):
    """causes-of-staff-effects has no claim of its own: its answer is the studies of the
    concepts below it, computed here from the CSVs."""
    import csv

    def rows(name):
        with open(data_dir / f"{name}.csv", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    children: dict[str, list[str]] = {}
    for c in rows("concepts"):
        children.setdefault(c["broader"], []).append(c["id"])
    claimed = {r["concept_id"] for r in rows("claim_concepts")}
    assert "causes-of-staff-effects" not in claimed
    below, todo = set(), ["causes-of-staff-effects"]
    while todo:
        for k in children.get(todo.pop(), []):
            below.add(k)
            todo.append(k)
    claims = {r["claim_id"] for r in rows("claim_concepts") if r["concept_id"] in below}
    included = {r["ref"] for r in rows("studies")}
    expected = {
        int(r["ref"]) for r in rows("citations") if r["claim_id"] in claims and r["ref"] in included
    }
    body = api_client.get("/api/ask", params={"concept": "causes-of-staff-effects"}).json()
    assert {s["ref"] for s in body["studies"]} == expected
    assert len(expected) > 10


def test_one_stance_rule_in_python_and_in_the_database(evidence_db):
    """aggregate_stance (over several concepts) and the concept_evidence view (over one concept's
    claims) are one rule: for every study and concept the two agree."""
    import sqlite3
    from collections import defaultdict

    from evidence.read.stances import aggregate_stance

    conn = sqlite3.connect(evidence_db)
    claims = defaultdict(list)
    for ref, concept_id, stance in conn.execute(
        "select ref, concept_id, stance from concept_citations"
    ):
        claims[(ref, concept_id)].append(stance)
    view = {
        (ref, concept_id): stance
        for ref, concept_id, stance in conn.execute(
            "select ref, concept_id, stance from concept_evidence"
        )
    }
    assert len(view) == 386
    assert {k: aggregate_stance(v) for k, v in claims.items()} == view
    assert {"supports", "contradicts", "mixed", "mentions"} <= set(view.values())
