"""Cabi's practitioner handbook held against the review: the curated advice (data/handbook_advice.csv),
its quotes against the handbook's text, the `handbook_vs_evidence` view, `/api/handbook`, and the
handbook's place in a concept's profile and brief."""

from __future__ import annotations

import csv
import re
import sqlite3
from pathlib import Path

import pytest

HEADER = [
    "advice_id",
    "topic",
    "handbook_section",
    "quote_da",
    "advice_en",
    "concept_ids",
    "evidence_note",
    "evidence_note_da",
]
COORDINATOR_REFS = [361, 507, 631, 751, 924]


def read(data_dir: Path, name: str) -> list[dict]:
    with open(data_dir / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def not_in_handbook(rows: list[dict], handbook: str, column: str) -> list[str]:
    """advice_ids whose `column` is not a substring of the handbook once whitespace is collapsed."""
    text = collapse(handbook)
    return [r["advice_id"] for r in rows if collapse(r[column]) not in text]


@pytest.fixture(scope="module")
def advice(data_dir) -> list[dict]:
    return read(data_dir, "handbook_advice")


@pytest.fixture(scope="module")
def db(evidence_db):
    conn = sqlite3.connect(evidence_db)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


# --- the curated file -------------------------------------------------------------------------


def test_header_ids_and_topics(data_dir, advice):
    with open(data_dir / "handbook_advice.csv", encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == HEADER
    ids = [r["advice_id"] for r in advice]
    assert len(ids) == len(set(ids)) and 25 <= len(ids) <= 40
    assert all(re.fullmatch(r"cabi-[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids), ids
    topics = {r["topic"] for r in advice}
    assert topics == {
        "coupling_competences",
        "organisation",
        "meetings",
        "coordinator",
        "plans_and_tools",
        "management",
        "citizen_involvement",
        "knowledge_and_training",
        "other",
    }


def test_every_quote_and_heading_is_verbatim_in_the_handbook(advice, handbook_path):
    from evidence.extract.handbook import load_handbook

    handbook = load_handbook(handbook_path)  # its hyphenated line breaks joined
    assert not_in_handbook(advice, handbook, "quote_da") == []
    assert not_in_handbook(advice, handbook, "handbook_section") == []


def test_no_quote_keeps_a_line_break_hyphen(advice, handbook_path):
    # newcomer 12: "tvær- faglig", "pla- ceres" (cabi-co-located-unit), "drøfte- de" (cabi-joint-plan)
    from evidence.extract.handbook import SPACED_HYPHEN, load_handbook

    by_id = {r["advice_id"]: r["quote_da"] for r in advice}
    assert [i for i, q in by_id.items() if SPACED_HYPHEN.search(q)] == []
    assert "etablere en tværfaglig enhed" in by_id["cabi-co-located-unit"]
    assert "som placeres under samme tag" in by_id["cabi-co-located-unit"]
    assert "satte sig sammen og drøftede, hvordan" in by_id["cabi-joint-plan"]
    raw = handbook_path.read_text(encoding="utf-8")
    assert "tvær-\nfaglig enhed" in raw and "drøfte-\nde," in raw
    # a suspended compound keeps its hyphen: "sundheds- eller socialområdet"
    handbook = load_handbook(handbook_path)
    assert "sundheds- eller socialområdet" in handbook and "børne- og familieafdelingen" in handbook
    assert "tværfaglig enhed" in handbook and "tvær- faglig" not in handbook


def test_joining_keeps_suspended_compounds():
    from evidence.extract.handbook import join_hyphenated_lines, join_hyphenated_quote

    text = (
        "i sundheds-\nog socialområdet en tvær-\nfaglig indsats, drøfte-\nde, Familie-\nafdelingen"
    )
    assert join_hyphenated_lines(text) == (
        "i sundheds-\nog socialområdet en tværfaglig indsats, drøftede, Familieafdelingen"
    )
    assert join_hyphenated_quote("social- og en tvær- faglig, kerneopgaven - at") == (
        "social- og en tværfaglig, kerneopgaven - at"
    )


def test_a_quote_that_is_not_verbatim_is_caught(advice, handbook_path):
    handbook = handbook_path.read_text(encoding="utf-8")
    changed = [
        {**advice[0], "quote_da": advice[0]["quote_da"].replace("aktører", "parter")},
        {**advice[1], "quote_da": advice[1]["quote_da"] + " altid"},
    ]
    assert not_in_handbook(changed, handbook, "quote_da") == [
        advice[0]["advice_id"],
        advice[1]["advice_id"],
    ]


def test_every_concept_id_exists(data_dir, advice):
    known = {r["id"] for r in read(data_dir, "concepts")}
    named = [c for r in advice for c in r["concept_ids"].split("|")]
    assert named and set(named) <= known, set(named) - known


def test_every_note_cites_real_sections_or_says_the_review_has_nothing(data_dir, advice):
    sections = {r["section"] for r in read(data_dir, "sections")}
    for r in advice:
        cited = set(re.findall(r"\b[2-7]\.[1-4]\b", r["evidence_note"]))
        assert cited <= sections, (r["advice_id"], cited - sections)
        assert cited or r["evidence_note"].startswith("Not covered"), r["advice_id"]


def test_the_danish_note_names_the_same_sections_and_studies(advice):
    # the site's Danish concept pages showed the English note
    for r in advice:
        numbers = sorted(re.findall(r"\d+(?:\.\d+)?", r["evidence_note"]))
        assert sorted(re.findall(r"\d+(?:\.\d+)?", r["evidence_note_da"])) == numbers, r[
            "advice_id"
        ]
        assert r["evidence_note_da"] != r["evidence_note"]


def test_validate_rejects_an_unknown_concept(data_copy):
    from evidence.dataset.validate import validate_dataset

    path = data_copy / "handbook_advice.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",single-contact-person,", ",single-contact,", 1),
        encoding="utf-8",
    )
    found = [str(p) for p in validate_dataset(data_copy)]
    assert any(
        p.startswith("data/handbook_advice.csv:") and "concept_ids=single-contact:" in p
        for p in found
    ), found


# --- the view --------------------------------------------------------------------------------


def expected_refs(data_dir: Path, concept_id: str) -> set[int]:
    """Included studies with evidence on a concept or a narrower one, straight from the CSVs:
    claims (claim_concepts → citations) and Bilag 2 findings (finding_concepts → findings)."""
    concepts = read(data_dir, "concepts")
    members = {concept_id}
    while more := {r["id"] for r in concepts if r["broader"] in members} - members:
        members |= more
    claims = {r["claim_id"] for r in read(data_dir, "claim_concepts") if r["concept_id"] in members}
    included = {int(r["ref"]) for r in read(data_dir, "studies")}
    cited = {
        int(r["ref"])
        for r in read(data_dir, "citations")
        if r["claim_id"] in claims and int(r["ref"]) in included
    }
    found = {
        r["finding_id"] for r in read(data_dir, "finding_concepts") if r["concept_id"] in members
    }
    return cited | {int(r["ref"]) for r in read(data_dir, "findings") if r["finding_id"] in found}


def test_view_coordinator_advice_rests_on_five_studies(db):
    rows = [
        dict(r)
        for r in db.execute(
            "select advice_id, topic, concept_id, concept_label_en, n_studies, n_supports, n_contradicts,"
            " n_mixed, n_mentions, refs from handbook_vs_evidence where advice_id = 'cabi-appoint-coordinator'"
        )
    ]
    assert rows == [
        {
            "advice_id": "cabi-appoint-coordinator",
            "topic": "coordinator",
            "concept_id": "single-contact-person",
            "concept_label_en": "Single contact person",
            "n_studies": 5,
            "n_supports": 4,
            "n_contradicts": 0,
            "n_mixed": 0,
            "n_mentions": 1,  # 507 only describes working with one contact person (hard case ii)
            "refs": "[361,507,631,751,924]",
        }
    ]


def test_view_has_a_row_per_advice_and_concept_with_the_csvs_counts(db, data_dir, advice):
    pairs = [(r["advice_id"], c) for r in advice for c in r["concept_ids"].split("|")]
    rows = db.execute("select * from handbook_vs_evidence").fetchall()
    assert [(r["advice_id"], r["concept_id"]) for r in rows] == pairs
    for r in rows:
        refs = expected_refs(data_dir, r["concept_id"])
        assert r["n_studies"] == len(refs), r["concept_id"]
        assert r["n_supports"] + r["n_contradicts"] + r["n_mixed"] + r["n_mentions"] == len(refs)
    mixed = db.execute(
        "select n_studies, n_supports, n_contradicts from handbook_vs_evidence"
        " where advice_id = 'cabi-citizen-at-the-table' and concept_id = 'meetings-with-citizen'"
    ).fetchone()
    # §4.1 is mostly positive about meetings with the citizen; the first coding had 5 contradicts
    assert tuple(mixed) == (18, 12, 0)


def test_view_and_table_are_described(db):
    described = {
        (r[0], r[1]) for r in db.execute("select table_name, column_name from data_dictionary")
    }
    for name in ("handbook_advice", "handbook_vs_evidence"):
        columns = [r[1] for r in db.execute(f"pragma table_info([{name}])")]
        assert (name, "") in described and all((name, c) in described for c in columns)


# --- the API ---------------------------------------------------------------------------------


def test_api_handbook_lists_every_advice_with_its_evidence(api_client, advice):
    body = api_client.get("/api/handbook").json()
    assert body["count"] == len(advice) and [a["advice_id"] for a in body["data"]] == [
        r["advice_id"] for r in advice
    ]
    coordinator = next(a for a in body["data"] if a["advice_id"] == "cabi-appoint-coordinator")
    assert coordinator["n_studies"] == 5
    assert coordinator["by_stance"] == {"supports": 4, "mentions": 1}
    assert coordinator["refs"] == COORDINATOR_REFS
    assert coordinator["concepts"] == [
        {
            "concept_id": "single-contact-person",
            "concept_label_da": "Én kontaktperson",
            "concept_label_en": "Single contact person",
            "n_studies": 5,
            "n_supports": 4,
            "n_contradicts": 0,
            "n_mixed": 0,
            "n_mentions": 1,
            "refs": COORDINATOR_REFS,
        }
    ]
    assert coordinator["quote_da"].startswith("I komplekse sager")


def test_api_handbook_counts_each_study_once_over_the_concepts(api_client):
    body = api_client.get("/api/handbook", params={"concept": "overwhelming-meetings"}).json()
    table = next(a for a in body["data"] if a["advice_id"] == "cabi-citizen-at-the-table")
    # overwhelming meetings and "done to, not with" are problems under practices: their studies
    # count as mentions for the practice (coding manual §4), so no study is mixed over the four
    assert table["n_studies"] == 19
    assert table["by_stance"] == {"supports": 15, "mentions": 4}
    assert len(table["concepts"]) == 4


def test_api_handbook_filters(api_client):
    body = api_client.get("/api/handbook", params={"topic": "coordinator"}).json()
    assert body["count"] == len(body["data"]) >= 4
    assert {a["topic"] for a in body["data"]} == {"coordinator"}
    chairing = api_client.get("/api/handbook", params={"concept": "meeting-chairing"}).json()
    assert (
        all("meeting-chairing" in a["concept_ids"] for a in chairing["data"])
        and chairing["count"] == 3
    )
    everything = api_client.get("/api/handbook").json()
    page = api_client.get("/api/handbook", params={"limit": 2, "offset": 1}).json()
    assert page["data"] == everything["data"][1:3] and page["count"] == everything["count"]


@pytest.mark.parametrize(
    "params,needle",
    [
        ({"topic": "nope"}, "topic='nope'"),
        ({"concept": "single-contact"}, "concept='single-contact'"),
    ],
)
def test_api_handbook_bad_filter_is_422(api_client, params, needle):
    r = api_client.get("/api/handbook", params=params)
    assert r.status_code == 422 and needle in r.json()["detail"]


def test_api_handbook_csv(api_client):
    r = api_client.get("/api/handbook", params={"format": "csv", "topic": "coordinator"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(r.text.splitlines()))
    coordinator = next(x for x in rows if x["advice_id"] == "cabi-appoint-coordinator")
    assert (coordinator["n_studies"], coordinator["n_supports"], coordinator["n_mentions"]) == (
        "5",
        "4",
        "1",
    )
    assert coordinator["refs"] == "361, 507, 631, 751, 924"


def test_concept_profile_carries_the_handbook(api_client):
    body = api_client.get("/api/concepts/single-contact-person").json()
    assert [h["advice_id"] for h in body["handbook"]] == [
        "cabi-decision-mandate",
        "cabi-appoint-coordinator",
        "cabi-coordinator-runs-meetings",
    ]
    assert set(body["handbook"][1]) == {
        "advice_id",
        "topic",
        "handbook_section",
        "quote_da",
        "advice_en",
        "evidence_note",
        "evidence_note_da",
    }
    assert body["handbook"][1]["evidence_note_da"].startswith("Understøttet: 2.2 og 6.4")
    assert body["n_studies"] == 5  # the handbook adds no studies
    assert api_client.get("/api/concepts/telemedicine").json()["handbook"] == []


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_brief_shows_the_handbook_apart_from_the_evidence(api_client, fmt):
    text = api_client.get(
        "/api/concepts/single-contact-person/brief", params={"format": fmt, "lang": "en"}
    ).text
    assert "What the Cabi handbook advises" in text
    assert "From a practitioner handbook (Cabi), not evidence from the review." in text
    assert "I komplekse sager vil det være nærliggende at udpege en koordinator" in text
    assert "Supported: 2.2 and 6.4 cite 361, 507, 631, 751, 924" in text
    assert text.index("What the Cabi handbook advises") > text.index(
        "The studies and where they stand"
    )
    danish = api_client.get(
        "/api/concepts/single-contact-person/brief", params={"format": fmt}
    ).text
    assert (
        "Hvad Cabis håndbog anbefaler" in danish and "ikke evidens fra vidensindsamlingen" in danish
    )
    # the Danish brief gives the Danish note (newcomer 13: it printed the English, marked)
    assert "Understøttet: 2.2 og 6.4 henviser til 361, 507, 631, 751, 924" in danish
    assert "Supported: 2.2 and 6.4" not in danish and "(på engelsk)" not in danish
    none = api_client.get(
        "/api/concepts/telemedicine/brief", params={"format": fmt, "lang": "en"}
    ).text
    assert "Cabi" not in none


def test_the_brief_and_the_csv_quote_the_handbook_without_line_break_hyphens(api_client, data_dir):
    brief = api_client.get("/api/concepts/co-location/brief", params={"format": "md"})
    assert brief.status_code == 200
    assert "etablere en tværfaglig enhed" in brief.text and "som placeres under" in brief.text
    assert "tvær- faglig" not in brief.text and "pla- ceres" not in brief.text
    csv_text = (data_dir / "handbook_advice.csv").read_text(encoding="utf-8")
    assert "drøftede, hvordan" in csv_text and "drøfte- de" not in csv_text
