"""Answering questions: passages, facets, coverage, stances; the issue's examples; the dev floor."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter

import pytest

from bench.quality import SETS, evaluate, load_questions, scores
from evidence.answer import coverage
from evidence.answer.ask import answer, passage_index
from evidence.answer.facets import read_facets
from evidence.cli import print_answer
from evidence.read.database import Database
from evidence.read.stances import aggregate_stance

SINGLE_CONTACT = {361, 507, 631, 751, 924}
CO_LOCATION = {22, 314, 507, 631, 712, 741, 876, 1002}
MEETINGS_WITH_CITIZEN = {304, 361, 410, 427, 506, 507, 617, 631, 793, 907, 938}  # §4.1


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
    ],
)
def test_single_contact_person_in_any_wording(db, question):
    result = answer(db, question)
    assert concept_ids(result)[0] == "single-contact-person"
    assert refs(result) == SINGLE_CONTACT


def test_each_study_carries_its_passages_evidence_and_findings_apart(db):
    result = answer(db, "kontaktperson")
    by_ref = {s["ref"]: s for s in result["studies"]}
    s631 = by_ref[631]
    assert s631["stance"] == "supports" and s631["score"] > 0
    assert {ev["claim_id"] for ev in s631["evidence"]} >= {"2.2-04"}
    ev = next(e for e in s631["evidence"] if e["claim_id"] == "2.2-04")
    assert ev["quote_da"].startswith("Endelig peger flere danske studier af helhedsorienterede")
    assert (ev["section"], ev["page"], ev["chapters"]) == ("2.2", 16, [5, 6, 7])
    # Bilag 2 is a second source, kept apart and coded: 631-05 "Det giver værdi for borgeren …"
    assert {
        "finding_id": "631-05",
        "text_da": "Det giver værdi for borgeren at have én kontaktperson.",
        "text_en": s631["findings"][0]["text_en"],
        "concept_id": "single-contact-person",
        "stance": "supports",
    } in s631["findings"]
    assert all(p["quote_da"] and p["score"] > 0 for p in s631["passages"])
    assert {p["kind"] for p in s631["passages"]} == {"claim", "finding"}
    # 507 only says the study worked with one primary contact person: mentions (hard case ii)
    assert by_ref[507]["stance"] == "mentions"


def test_understood_says_how_the_question_was_read(db):
    result = answer(db, "kontaktpersn i danske studier")
    words = {w["word"]: w for w in result["understood"]["words"]}
    assert words["kontaktpersn"]["how"].startswith("typo of kontaktperson")
    assert result["filters_applied"] == {"country": ["DK"]}
    assert all("DK" in s["countries"] for s in result["studies"])


def test_meetings_with_the_citizen_are_mostly_positive(db):
    # §4.1 and box 4.1 are mostly positive about involving the citizen in meetings; the first wave
    # answered with the five studies of one critical sentence, all "contradicts"
    for q in ("møder med borgeren", "meetings with the citizen", "tværfaglige møder med borgeren"):
        result = answer(db, q)
        stances = Counter(s["stance"] for s in result["studies"])
        assert stances["supports"] > stances["contradicts"] + stances["mentions"], q
        assert len(refs(result) & MEETINGS_WITH_CITIZEN) >= 8, q
        ids = concept_ids(result)
        assert "meetings-without-citizen" not in ids[:1], q


def test_with_and_without_the_citizen_are_told_apart(db):
    without = answer(db, "møder uden borgeren")
    # meetings without the citizen, or the pre-meetings among them
    assert concept_ids(without)[0] in {"meetings-without-citizen", "pre-meetings"}
    assert 729 in refs(without) and 793 not in refs(without)


@pytest.mark.parametrize("question", ["staff wellbeing", "medarbejdernes trivsel"])
def test_staff_wellbeing_is_the_staffs_not_the_citizens(db, question):
    result = answer(db, question)
    assert concept_ids(result)[0] == "staff-motivation"
    assert refs(result) == {66, 353, 935, 938}  # 7.1-01/02: engagement and motivation


@pytest.mark.parametrize(
    ("question", "area", "n", "named"),
    # 712 and 907 are psychiatry in the review's text, though Bilag 2 files them elsewhere
    [
        ("psykiatri", "psychiatry", 15, {712, 907}),
        ("mental health services", "psychiatry", 15, {712, 907}),
        ("elderly care", "elderly", 6, set()),
    ],
)
def test_a_service_area_alone_answers_with_its_studies(db, question, area, n, named):
    result = answer(db, question)
    assert result["coverage"] == "facets_only"
    assert result["filters_applied"] == {"service_area": [area]}
    with db.connection() as conn:
        filed = {
            r["ref"]
            for r in conn.execute("select ref, service_areas from studies")
            if area in r["service_areas"]
        }
    # the studies are the filter's, as /api/studies and the site's facet count them (newcomer 13:
    # "psykiatri" had 17, the facet 15); the text's others are kept apart
    assert len(filed) == n and refs(result) == filed
    beyond = {s["ref"] for s in result["beyond_filters"]}
    assert beyond <= named and bool(beyond) == bool(named)


def test_school_finds_the_schools_not_leisure_jobs(db):
    result = answer(db, "school")
    assert result["filters_applied"] == {"service_area": ["education"]}
    assert 304 in refs(result)  # 304: Bilag 2's education area
    # 876 (school and social services), filed under another area, is beyond the filter
    assert 876 in {s["ref"] for s in result["beyond_filters"]}


def test_sick_leave_benefit_is_study_933(db):
    assert refs(answer(db, "sygedagpenge")) == {933}


def test_which_studies_are_from_norway(db, evidence_db):
    result = answer(db, "which studies are from Norway")
    assert result["coverage"] == "facets_only" and result["filters_applied"] == {"country": ["NO"]}
    assert len(result["studies"]) == 12 and all("NO" in s["countries"] for s in result["studies"])
    assert {s["stance"] for s in result["studies"]} == {None}  # no concept asked: no stance


@pytest.mark.parametrize(
    ("question", "country", "expected"),
    [
        ("studier fra England", "GB", {617, 632}),  # Bilag 2: GB-ENG (617), GB-SCT (632)
        ("tyske studier", "DE", {632}),
        ("Icelandic studies on how citizens experience joint case handling", "IS", set()),
        ("Dutch research on co-location", "NL", set()),
    ],
)
def test_countries_beyond_the_nordic_four_are_read(db, evidence_db, question, country, expected):
    result = answer(db, question)
    assert result["filters_applied"]["country"] == [country]
    assert refs(result) == expected
    if not expected:
        assert result["coverage"] == "not_covered"


def test_danish_and_support_are_read(db):
    result = answer(db, "Which Danish studies support co-location?")
    assert result["filters_applied"] == {"country": ["DK"]}
    assert result["understood"]["direction"] == "positive"
    assert refs(result) == {507, 631}  # the Danish co-location studies; neither finds it works
    assert {s["stance"] for s in result["studies"]} == {"mentions"}


def test_both_x_and_y_asks_for_the_overlap(db):
    result = answer(db, "studier om både kontaktperson og samlokalisering")
    # §2.2 also gathers "relevante kontaktpersoner på ét sted" by co-location (22, 712, 1002)
    gathered = {22, 712, 1002}
    assert refs(result) and refs(result) <= (SINGLE_CONTACT & CO_LOCATION) | gathered
    # not the union: studies only of the contact person, or only of co-location, are out
    assert not refs(result) & ((SINGLE_CONTACT | CO_LOCATION) - CO_LOCATION - {507, 631})
    assert not refs(result) & (CO_LOCATION - SINGLE_CONTACT - gathered)


def test_a_compound_the_review_never_writes_whole_counts_against_coverage(db):
    # "misbrugsbehandlingen" and "tilbagefald" are read through their parts (misbrug + behandling,
    # tilbage + fald), every one of which the review uses: the question had been answered (dev)
    result = answer(
        db, "Fører en helhedsorienteret indsats til færre tilbagefald i misbrugsbehandlingen?"
    )
    signals = result["understood"]["signals"]
    assert signals["compound"] > 0.4
    # it counts against coverage: the same signals without it are likelier covered (whether the
    # question ends up not covered is the calibration's: since the 263-question dev split's refit
    # it is answered, a dev failure)
    assert coverage.probability(signals) < coverage.probability({**signals, "compound": 0.0})
    # the same words written as the review writes them are a question it answers
    staff = answer(db, "Hvordan påvirker arbejdet trivslen blandt sygeplejersker?")
    assert staff["understood"]["signals"]["compound"] == 0 and 5 in refs(staff)


def test_a_danish_suffix_that_is_a_word_is_no_compound_part(db):
    # "hjemløse" (homeless) is not hjem + løse (home + solve), as "homeless" is not home + less:
    # read as parts it had found home care (66, 938) for a topic the review never covers (dev M032)
    index = passage_index(db)
    assert index.analyser.parts("hjemløse") == () and index.analyser.parts("røgfri") == ()
    assert index.analyser.parts("forældresamarbejde") == ("forældre", "samarbejde")
    words = {w.word: w for w in index.query_words("tværfaglig indsats for hjemløse borgere")}
    assert words["hjemløse"].how == "unknown"
    result = answer(db, "tværfaglig indsats for hjemløse borgere")
    assert result["coverage"] == "not_covered" and not result["studies"]


def test_an_everyday_word_the_review_never_uses_counts_against_coverage(db):
    # "sanktioner" weighs little by its everyday rarity; counted as one of four words no passage
    # holds, it says the question is about something the review does not cover (dev N012)
    result = answer(db, "Virker økonomiske sanktioner over for kontanthjælpsmodtagere?")
    assert result["understood"]["signals"]["absent"] == 0.25
    assert result["coverage"] == "not_covered" and not result["studies"]
    # one filler word of ten ("juggling") does not turn a covered question away
    casual = answer(
        db, "Honestly, does one fixed contact person help families juggling loads of caseworkers?"
    )
    assert casual["understood"]["signals"]["absent"] == 0.1
    assert {631, 751, 924} <= refs(casual)


@pytest.mark.parametrize(
    "question",
    [
        "Icelandic studies on interdisciplinary collaboration",
        "Får medarbejderne i tværfaglige teams et løntillæg for den ekstra koordinering?",
        "What were the results of Housing First programmes for homeless people?",
        "Har kommuner brugt Signs of Safety på netværksmøder i børnesager?",
    ],
)
def test_not_covered_is_said_not_guessed(db, question):
    result = answer(db, question)
    assert result["coverage"] == "not_covered"
    assert result["studies"] == [] and result["summary"]["n_studies"] == 0


@pytest.mark.parametrize(
    "question",
    ['AND OR NOT "" * NEAR(', "NOT", "ikke", "uden", "with or without", "og eller ikke?", "*"],
)
def test_a_question_of_operators_and_function_words_is_not_covered(db, api_client, question):
    """Fault: 'AND OR NOT "" * NEAR(' was answered "covered" with done-to-not-with: "not" is kept
    as a negation (it turns a question around) and matched the synonym "done to not with"; a
    negation or a search operator with nothing to turn around asks about nothing."""
    result = answer(db, question)
    assert result["coverage"] == "not_covered" and result["concepts"] == []
    assert result["studies"] == [] and result["suggestions"] == []
    r = api_client.get("/api/ask", params={"q": question})
    assert r.status_code == 200
    assert (r.json()["coverage"], r.json()["studies"]) == ("not_covered", [])


@pytest.mark.parametrize(
    ("question", "direction"),
    [
        ("hvad hæmmer samarbejdet om handleplaner", "negative"),
        ("virker en fast kontaktperson", "positive"),
    ],
)
def test_direction_puts_the_studies_that_stand_that_way_first(db, question, direction):
    result = answer(db, question)
    assert result["understood"]["direction"] == direction
    with db.connection() as conn:
        top = result["concepts"][0]["id"]
        polarity = conn.execute("select polarity from concepts where id = ?", [top]).fetchone()
    negative_way = (direction == "negative") != (polarity["polarity"] == "negative")
    wanted = {"contradicts", "mixed"} if negative_way else {"supports", "mixed"}
    order = [s["stance"] in wanted for s in result["studies"]]
    assert any(order) and order == sorted(order, reverse=True)


def test_a_concept_id_answers_with_the_concept_and_its_narrower_concepts(db):
    result = answer(db, concept="quality-goals")
    # §3.2 is about quality goals, coded to its narrower concepts; the first wave showed none
    assert result["coverage"] == "concept" and len(result["studies"]) == 20
    assert {290, 506, 507, 632, 699, 876, 935} <= refs(result)


@pytest.mark.parametrize(
    ("stances", "expected"),
    [
        (["supports", "supports"], "supports"),
        (["supports", "contradicts"], "mixed"),
        (["mentions", "supports"], "supports"),
        (["mentions"], "mentions"),
        (["mixed", "supports"], "mixed"),
    ],
)
def test_aggregate_stance(stances, expected):
    assert aggregate_stance(stances) == expected


def test_print_answer(evidence_db):
    out = io.StringIO()
    assert print_answer("kontaktperson", evidence_db, out=out) == 0
    text = out.getvalue()
    assert "single-contact-person" in text and "631" in text and "2.2" in text
    out = io.StringIO()
    assert print_answer("Icelandic studies on collaboration", evidence_db, out=out) == 1
    assert "does not speak to" in out.getvalue()


def test_scores():
    assert scores({1, 2}, {1, 3}) == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert scores({1, 2}, {1, 3}, {2}) == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert scores(set(), set()) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert scores({1}, set())["f1"] == 0.0


def test_an_answer_is_the_same_in_every_process(evidence_db):
    # a passage's concepts are a frozenset, whose order changes with Python's hash seed: the
    # concepts of equal weight came out in another order after each restart (53 of 639 answers
    # differed between hash seeds 1 and 2: this one among them)
    question = "frikommuneforsøg én plan"
    script = (
        "import json, sys; from evidence.answer.ask import answer; "
        "from evidence.read.database import Database; "
        "r = answer(Database(sys.argv[1]), sys.argv[2]); "
        "print(json.dumps([[c['id'] for c in r['concepts']], [s['ref'] for s in r['studies']]]))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, str(evidence_db), question],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    concepts, studies = json.loads(runs[0])
    assert runs[0] == runs[1]
    assert concepts[0] == "free-municipality-trials" and {631, 924} <= set(studies)
    assert concepts[1:] == sorted(concepts[1:])  # of equal weight: in id order


def test_dev_split_quality_holds_its_floor(evidence_db):
    # a floor on the split the answering code may be tuned on, so that regressions fail; the test
    # split's figures are reported by `make bench` (docs/benchmarks.md), never asserted or tuned on
    result = evaluate(evidence_db, {"dev": SETS["dev"]})["dev"]["macro"]["all"]
    # the 275-question dev split: 0.74 on 2026-11-30 (0.76 on 263 before newcomer 13's 12
    # questions, eight of them off-topic questions that had all been answered, joined it)
    assert result["ask"]["f1"] >= 0.72
    assert result["ask"]["f1"] >= result["bm25"]["f1"] + 0.2
    # the coverage threshold is chosen for macro F1 (bench.calibrate), not for this share
    assert (
        result["ask"]["uncovered_empty"] >= 0.62
    )  # 0.65 of 74 on 2026-11-30 (0.71 of 51 before the 22 hardest test questions and
    # newcomers 12's and 13's questions joined dev)


def test_expansions_are_indexed_with_their_passages(evidence_db):
    # curated expansions (claim_expansions, finding_expansions) are part of what retrieval reads
    with sqlite3.connect(evidence_db) as conn:
        claim_text = conn.execute(
            "select claim_id, text from claim_expansions where kind = 'everyday' limit 1"
        ).fetchone()
        finding_text = conn.execute(
            "select finding_id, text from finding_expansions where kind = 'question' limit 1"
        ).fetchone()
    index = passage_index(Database(evidence_db))
    indexed = {p.passage_id: p.indexed for p in index.passages}
    assert claim_text[1] in indexed[claim_text[0]]
    assert finding_text[1] in indexed[finding_text[0]]


def test_the_coverage_constants_are_what_bench_calibrate_fits(evidence_db, capsys):
    from bench.calibrate import main

    assert main(["--db", str(evidence_db)]) == 0
    printed = dict(
        line.split(" = ", 1) for line in capsys.readouterr().out.splitlines() if " = " in line
    )
    for name in ("MEAN", "SCALE", "WEIGHTS", "BIAS", "THRESHOLD"):
        assert printed[name] == repr(getattr(coverage, name)), name


@pytest.mark.parametrize(
    ("question", "direction"),
    [
        ("What gets in the way of agreeing on shared goals?", "negative"),
        ("Hvad står i vejen for samarbejdet?", "negative"),
        ("what enables collaboration across agencies", "positive"),
        ("hvad bidrager til at samarbejdet lykkes", "positive"),
        ("tværfaglige møder", None),
    ],
)
def test_direction_phrases(question, direction):
    assert read_facets(question).direction == direction


def test_answers_are_already_the_json_of_their_model(db):
    # /api/ask returns the answer as it is, without validating it per request: so every answer to
    # every benchmark question must be exactly what the Answer model would serialise
    from evidence.models import Answer

    questions = [q["q"] for name in ("dev", "test") for q in load_questions(SETS[name])]
    questions += ["psykiatri", "which studies are from Norway", "x", "tyske studier"]
    for question in questions:
        result = answer(db, question)
        assert json.loads(Answer.model_validate(result).model_dump_json()) == json.loads(
            json.dumps(result)
        ), question


def test_two_questions_in_one_get_both_answers(db):
    # "X, og om Y": two questions at once, answered with the studies of each
    a = refs(answer(db, "Hvad siger studierne om tavshedspligt"))
    b = refs(answer(db, "om fælles kurser for teamet?"))
    assert a and b and not b <= a
    both = "Hvad siger studierne om tavshedspligt, og om fælles kurser for teamet?"
    assert refs(answer(db, both)) == a | b


@pytest.mark.parametrize("question", ["studies published before 2013", "studier udgivet før 2013"])
def test_publication_words_leave_only_the_years(db, evidence_db, question):
    result = answer(db, question)
    assert result["coverage"] == "facets_only" and result["filters_applied"] == {"year_to": 2012}
    with sqlite3.connect(evidence_db) as conn:
        before = {r for (r,) in conn.execute("select ref from studies where year <= 2012")}
    assert refs(result) == before and len(before) == 9


def test_a_direction_word_with_areas_is_still_a_question_of_areas(db):
    result = answer(db, "Hvad virker for unge kriminelle?")
    assert result["coverage"] == "facets_only"
    assert set(result["filters_applied"]["service_area"]) == {"crime", "children_youth"}
    assert {724, 742, 1002} <= refs(result)


def test_a_country_that_sets_the_scene_is_dropped_when_it_would_leave_nothing(db):
    # home rehabilitation of the elderly (938) and the acute psychiatric reception unit (712) are
    # Swedish: "i en dansk kommune" sets the scene, and is dropped rather than answer nothing
    for question, ref in [
        ("Hvordan får man hjemmehabilitering hos ældre til at fungere i en dansk kommune?", 938),
        ("Hvordan virker en akutpsykiatrisk modtagelse i en dansk kommune?", 712),
    ]:
        result = answer(db, question)
        assert result["coverage"] == "covered" and ref in refs(result)
        assert "country" not in result["filters_applied"]
    # where Danish studies speak to it, the scene-setting country stays
    result = answer(
        db, "Hvordan organiserer man tværfaglige teams i psykiatrien i en dansk kommune?"
    )
    assert result["filters_applied"]["country"] == ["DK"] and refs(result)
    # "danske studier" asks for Danish studies, whatever it leaves
    assert answer(db, "danske studier om samlokalisering")["filters_applied"]["country"] == ["DK"]


def test_words_every_passage_uses_leave_a_question_of_facets(db):
    # the review is all about "tværfagligt samarbejde": with a country and an area, the question
    # asks for that country's studies of that area
    result = answer(db, "tværfagligt samarbejde i psykiatrien i Norge")
    assert result["coverage"] == "facets_only"
    assert result["filters_applied"] == {"country": ["NO"], "service_area": ["psychiatry"]}
    assert refs(result) == {290, 319, 323, 351, 636}


def test_an_overlong_unknown_concept_id_is_read_to_the_id_limit(db):
    from evidence.answer.ask import ID_MAX, unknown_concept

    error = unknown_concept(db, "co-locatoin" * 1000)
    message = str(error.args[0])
    assert "co-locatoin" * 9 in message and "…" in message and len(message) < ID_MAX + 80


def test_a_name_the_review_never_uses_is_one_unknown_word(db):
    # "housing" stems as "household" does and "open", "dialogue" are held word by word, but no
    # passage names "Housing First" or "Open Dialogue": each is one unknown word
    for question, name in [
        ("What were the results of Housing First programmes for homeless people?", "housing first"),
        ("Has the Open Dialogue approach been used in network meetings?", "open dialogue"),
    ]:
        result = answer(db, question)
        unknown = [w["word"] for w in result["understood"]["words"] if w["how"] == "unknown"]
        assert name in unknown and result["studies"] == []
    # the name alone, as a keyword query, is a name too
    assert answer(db, "Housing First")["studies"] == []
    assert answer(db, "Signs of Safety")["studies"] == []
    # a question typed in title case has no names: its capitals are its style
    titled = answer(db, "Fælles Handleplan og Kontaktperson i Familieafdelingen")
    assert titled["coverage"] == "covered" and refs(titled)
    # a name the review does use stays a topic: §4.3 names Gladsaxe Kommune
    result = answer(db, "Hvad lærte man i Gladsaxe Kommune?")
    assert {"gladsaxe", "kommune"} <= {w["word"] for w in result["understood"]["words"]}
    assert result["coverage"] == "covered" and refs(result)


def test_a_typo_of_a_function_word_weighs_nothing_and_a_prefixed_word_is_no_typo(db):
    words = {
        w["word"]: w
        for w in answer(db, "supervison and sparing for social workers acros professions")[
            "understood"
        ]["words"]
    }
    assert words["acros"]["weight"] == 0 and words["acros"]["how"] == "typo of across"
    assert words["supervison"]["how"] == "typo of supervision"
    reoffending = answer(db, "Does multi-agency work reduce reoffending among young offenders?")
    word = next(w for w in reoffending["understood"]["words"] if w["word"] == "reoffending")
    assert word["how"] == "unknown" and reoffending["studies"] == []
    # a typo changes a word's length by two letters at most: "lønstigninger" is no "løsninger"
    raise_ = answer(db, "lønstigninger")["understood"]["words"][0]
    assert raise_["how"] in ("unknown", "") and "løsning" not in raise_["terms"]


def test_quantitative_results_is_a_topic_not_a_design(db):
    result = answer(db, "kvantitative resultater for borgerne")
    assert "design" not in result["filters_applied"]
    assert {506, 751, 924} & refs(result)
    # a design asked for is still a filter
    assert answer(db, "kvantitative studier om samlokalisering")["filters_applied"]["design"] == [
        "quantitative"
    ]


def test_a_country_asked_for_ranks_within_its_studies(db):
    # the best passages on "gavn" are not Norwegian: ranked within the Norwegian psychiatry
    # studies ("studier fra psykiatrien" asks for the area), the answer is not nothing
    result = answer(
        db,
        "Hvad siger norske studier fra psykiatrien om, hvordan borgerne selv får gavn af det "
        "tværfaglige samarbejde?",
    )
    assert result["filters_applied"] == {"country": ["NO"], "service_area": ["psychiatry"]}
    # both are Norwegian psychiatry studies that §6.3 (636) and §6.4 (290) cite on it
    assert refs(result) and refs(result) <= {290, 636}


def test_many_words_of_a_topic_are_not_framing(db):
    # each word is held by many passages, but "virkninger for medarbejderne" is §7's topic:
    # not every Danish study
    result = answer(
        db, "Hvad viser danske studier om, hvordan borgerne oplever at blive inddraget?"
    )
    assert result["coverage"] == "covered"
    assert refs(result) and len(refs(result)) < 10


def test_an_area_beside_a_study_word_is_asked_for(db):
    result = answer(db, "studier fra ældreområdet om tværfaglige møder")
    assert result["filters_applied"]["service_area"] == ["elderly"]
    with sqlite3.connect(db.path) as conn:
        elderly = {
            r
            for (r,) in conn.execute(
                "select ref from studies where service_areas like '%\"elderly\"%'"
            )
        }
    assert refs(result) and refs(result) <= elderly
    # a workplace named in a conversation sets the scene: "jobcentret. Er der erfaringer" is no
    # request for employment studies
    facets = read_facets(
        "Vi overvejer en familiekoordinator i familieafdelingen og i jobcentret. Er der erfaringer?"
    )
    assert facets.area_words and facets.asked_areas == []


def test_an_area_word_the_passages_never_use_is_not_unknown(db):
    # "ungdom" names the children and youth area and "eldercare" the elderly area; no passage
    # holds either (nor is "eldercare" a typo of "telecare"), but that is no sign that the
    # review does not speak to the question
    index = passage_index(db)
    for question, word in [
        ("svenske studier om ungdom og psykisk sundhed", "ungdom"),
        ("Danish studies on eldercare and joint teams", "eldercare"),
    ]:
        assert index.query_words(word)[0].how != ""  # the premise: no passage holds it
        result = answer(db, question)
        assert word not in {w["word"] for w in result["understood"]["words"]}
        assert result["coverage"] in ("covered", "facets_only") and result["studies"]
    assert read_facets("child and adolescent psychiatry").area_words["children_youth"] == [
        "adolescent"
    ]


def test_what_hinders_staff_reads_the_same_in_both_languages(db):
    # a newcomer found the English question answered by 2 studies and the Danish by 16: with a
    # direction and no topic beyond it, every passage pointing that way counts (§7.2's barriers)
    danish = refs(answer(db, "Hvad hæmmer det tværfaglige samarbejde for medarbejderne?"))
    english = refs(answer(db, "What hinders interdisciplinary collaboration for staff?"))
    insecurity = {22, 66, 339, 351, 419, 852, 935, 938}  # §7.2: faglig utryghed
    assert insecurity <= english and insecurity <= danish
    assert len(english & danish) >= 0.7 * len(english | danish)


def test_what_works_puts_what_helps_first(db):
    # "hvad virker for borgerne" was answered first by the studies where it did not work (729,
    # 907): passages that find what hinders weigh less under a positive direction
    studies = answer(db, "hvad virker for borgerne")["studies"]
    assert [s["stance"] for s in studies[:6]] == ["supports"] * 6
    assert {729, 907} & {s["ref"] for s in studies[:6]} == set()


def test_island_is_iceland_in_danish(db):
    # a newcomer asked "studier fra Island" and got an answer as if no country were named
    result = answer(db, "studier fra Island om tværfagligt samarbejde")
    assert result["filters_applied"]["country"] == ["IS"] and result["studies"] == []


def test_a_relation_of_framing_words_leaves_a_question_of_facets(db):
    # "om samarbejde" adds the relation term om+samarbejd, rare but made of framing words: the
    # question still asks for the Norwegian crime studies (it was answered with nothing)
    result = answer(db, "norske studier fra kriminalitetsområdet om samarbejde")
    assert result["coverage"] == "facets_only"
    assert refs(result) == {640, 1002}


def test_a_study_s_findings_count_on_the_concepts_its_sentences_answer(db):
    # 751 answers through §6.4's contact-person sentences, which support it; its Bilag 2 finding on
    # limited employment effects belongs to another concept of the answer (506's §6.1 sentence)
    # and made it "mixed"
    result = answer(
        db,
        "Vi overvejer at give hver familie én fast kontaktperson på tværs af jobcenter og "
        "familieafdeling – hvad siger forskningen om det?",
    )
    study = next(s for s in result["studies"] if s["ref"] == 751)
    assert study["stance"] == "supports"
    assert {f["concept_id"] for f in study["findings"]} == {"single-contact-person"}


@pytest.mark.parametrize(
    ("question", "params"),
    [
        ("psykiatri", {"service_area": "psychiatry"}),
        ("studier fra Danmark om beskæftigelse", {"country": "DK", "service_area": "employment"}),
        ("studier fra Sverige om ældre", {"country": "SE", "service_area": "elderly"}),
        ("handicap", {"service_area": "disability"}),
        (
            "studier om børn og unge fra 2020 til 2023",
            {"service_area": "children_youth", "year_from": 2020, "year_to": 2023},
        ),
    ],
)
def test_a_facets_only_answer_is_the_studies_its_filters_give(api_client, question, params):
    # newcomer 13: the answer counted the studies its area words' passages cite whatever Bilag 2
    # files them under (17 for "psykiatri" against the facet's 15); now those are beyond_filters
    answered = api_client.get("/api/ask", params={"q": question}).json()
    filtered = api_client.get("/api/studies", params=params).json()
    assert answered["coverage"] == "facets_only"
    assert {k: v for k, v in answered["filters_applied"].items()} == {
        k: ([v] if k in ("country", "service_area") else v) for k, v in params.items()
    }
    given = {s["ref"] for s in filtered["data"]}
    assert {s["ref"] for s in answered["studies"]} == given
    assert answered["summary"]["n_studies"] == filtered["count"] == len(given)
    assert not {s["ref"] for s in answered["beyond_filters"]} & given
