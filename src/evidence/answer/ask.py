"""Answer a question from the evidence: which studies the review cites for what is asked.

A question goes through passage retrieval (evidence.answer.retrieve: facets, Danish and English
stems, compound parts, typo tolerance, BM25 over every claim sentence with its curated
expansions, every Bilag 2 finding and the "Centrale fund" boxes), fused with the thesaurus
resolver (evidence.answer.resolve: a precise concept match brings the concept's whole evidence).
The answer lists each study with its stance, the review's sentences that cite it and its Bilag 2
findings kept apart (evidence.answer.studies), the passages that matched with their scores, and
how the question was understood (`understood`: words, expansions, concepts, filters, direction).
When the best passage explains too little of the question, `coverage` is "not_covered", the
studies are empty and `suggestions` names the nearest topics: a guess is never an answer. A
question of nothing but search operators, punctuation, function words and negations
('AND OR NOT "" * NEAR(', "ikke") has no topic: `not_covered` at once, with no suggestion,
unless it holds a concept's term whole ("os og dem") or names a facet ("studier fra 2019").

A concept id (`concept=`) skips retrieval and answers with the concept's whole evidence
(evidence.read.stances.concept_evidence, the one implementation every door uses).
"""

from __future__ import annotations

import sqlite3

from evidence.answer.analyse import has_content_word
from evidence.answer.facets import read_facets
from evidence.answer.index import PassageIndex
from evidence.answer.matches import Match
from evidence.answer.resolve import ConceptIndex
from evidence.answer.retrieve import PRECISE, Retrieval, retrieve
from evidence.answer.studies import EvidenceTables, study_documents
from evidence.read.database import Database
from evidence.read.lists import NotFound
from evidence.read.stances import concept_evidence, summarise

SUGGEST_MIN = 20.0  # nearest concepts shown when nothing matches
SUGGEST_MAX = 5
RESOLVE_MAX_WORDS = 3  # content words of a question the thesaurus resolver reads
NEGATIVE = {"contradicts", "mixed"}  # stances a "what hinders …" question puts first …
POSITIVE = {"supports", "mixed"}  # … and a "what works …" question


def concept_index(db: Database) -> ConceptIndex:
    """The thesaurus index for the database's current build (cached until it is rebuilt)."""
    return db.cached("concept_index", _load_concept_index)


def _load_concept_index(conn: sqlite3.Connection) -> ConceptIndex:
    return ConceptIndex(
        conn.execute("select * from concepts order by id").fetchall(),
        conn.execute("select claim_id, sentence_da, text_en from claims").fetchall(),
        conn.execute("select claim_id, concept_id from claim_concepts").fetchall(),
        [f"{r['text_da']} {r['text_en']}" for r in conn.execute("select * from findings")],
    )


def passage_index(db: Database) -> PassageIndex:
    """The passage index for the database's current build (cached until it is rebuilt)."""
    return db.cached("passage_index", PassageIndex.load)


def evidence_tables(db: Database) -> EvidenceTables:
    """What answers' study documents are made of, for the current build (cached until rebuilt)."""
    return db.cached("evidence_tables", EvidenceTables)


def warm(db: Database) -> None:
    """Build the indexes and tables, so the first question is as fast as the rest."""
    concept_index(db)
    passage_index(db)
    evidence_tables(db)


WHOLE = 0.999  # a term's recall when every word of it is in the question (rounding room)
ID_MAX = 100  # characters of an unknown concept id read for suggestions (the API's limit)


def suggest(db: Database, text: str, limit: int = SUGGEST_MAX) -> list[dict]:
    """The concepts nearest to `text` (a question or a mistyped id), as suggestions."""
    index = concept_index(db)
    matches = index.resolve(text.replace("-", " "), min_score=SUGGEST_MIN)
    return [_concept(index, m.concept_id, m.score) for m in matches][:limit]


def unknown_concept(db: Database, concept_id: str) -> NotFound:
    """The one answer to a concept id that does not exist: a 404 naming the nearest concepts."""
    shown = concept_id[:ID_MAX] + ("…" if len(concept_id) > ID_MAX else "")
    return NotFound(  # no id is longer than ID_MAX: a longer one is not read whole for suggestions
        f"no concept {shown!r}; the ids are listed at /api/concepts", suggest(db, shown)
    )


def _concept(index: ConceptIndex, concept_id: str, score: float, matched: str = "") -> dict:
    c = index.concepts[concept_id]
    out = {"id": c["id"], "label_da": c["label_da"], "label_en": c["label_en"], "score": score}
    return out | ({"matched": matched} if matched else {})


def answer(db: Database, question: str = "", concept: str | None = None, lang: str = "da") -> dict:
    """The answer to a question (or for one concept id), shaped like evidence.models.Answer."""
    if concept is not None:
        return answer_concept(db, concept, lang)
    index, passages = concept_index(db), passage_index(db)
    # the thesaurus resolver reads a short question (a keyword query) whole: the only kind a
    # concept matches precisely; a long one is answered by its passages alone
    facets = read_facets(question)
    short = len(passages.query_words(facets.topic())) <= RESOLVE_MAX_WORDS
    matches = index.resolve(question, min_score=SUGGEST_MIN) if short else []
    precise = [m.concept_id for m in matches if m.score >= PRECISE]
    if not (has_content_word(question) or facets.applied() or _named_whole(matches)):
        # nothing but operators, punctuation, function words and negations: no topic to answer
        return _frame(question, Retrieval(question, facets))
    found = retrieve(passages, question, precise, facets)
    result = _frame(question, found)
    if found.coverage in ("covered", "facets_only") and not found.studies:  # filters left none
        result["coverage"] = found.coverage = "not_covered"
    if found.coverage == "not_covered":
        nearest = [m.concept_id for m in matches][:SUGGEST_MAX] or found.concepts[:SUGGEST_MAX]
        result["suggestions"] = [_concept(index, c, _score(matches, c)) for c in nearest]
        return result
    # every concept of the answer: the stances below (stance_by_concept) are on these
    result["concepts"] = [_matched(index, c, matches, found) for c in found.concepts]
    result["understood"]["concepts"] = result["concepts"]
    problem = bool(found.concepts) and index.concepts[found.concepts[0]]["polarity"] == "negative"
    studies = steer(_documents(db, found, found.studies, lang), found.facets.direction, problem)
    result["studies"] = studies
    result["summary"] = summarise(studies, {s["ref"]: s for s in studies})
    result["review_summary"] = [_passage(p, score) for p, score in found.boxes]
    result["beyond_filters"] = _documents(db, found, found.beyond, lang)
    return result


def _documents(db: Database, found: Retrieval, scored: dict[int, float], lang: str) -> list[dict]:
    """The answer documents of the studies `scored` (ref → score), with the passages that matched."""
    refs = list(scored)
    claims_of = {
        r: [p.passage_id for p, _ in found.passages.get(r, []) if p.kind == "claim"] for r in refs
    }
    studies = study_documents(evidence_tables(db), refs, claims_of, found.concepts, lang)
    for s in studies:
        s["score"] = round(scored[s["ref"]], 3)
        s["passages"] = [_passage(p, score) for p, score in found.passages.get(s["ref"], [])]
        if not s["passages"]:  # a facet's study no passage speaks of: no stance, as documented
            s["stance"], s["evidence"], s["findings"] = None, [], []
    return studies


def answer_concept(db: Database, concept: str, lang: str = "da") -> dict:
    """Every study the review cites for a concept (and its narrower concepts), with stances."""
    index = concept_index(db)
    if concept not in index.concepts:
        raise unknown_concept(db, concept)
    studies = concept_studies(db, concept, lang)
    concepts = [_concept(index, concept, 100.0, "concept id given")]
    understood: dict = {"concepts": concepts, "words": [], "filters_applied": {}, "direction": None}
    return {
        "query": concept,
        "coverage": "concept",
        "concepts": concepts,
        "filters_applied": {},
        "understood": understood,
        "studies": studies,
        "summary": summarise(studies, {s["ref"]: s for s in studies}),
        "review_summary": [],
        "suggestions": [],
        "beyond_filters": [],
    }


def concept_studies(db: Database, concept: str, lang: str = "da") -> list[dict]:
    """The concept's studies as answer documents, with the stance every door shows
    (concept_studies: its own and its narrower concepts' evidence, both sources)."""
    with db.connection() as conn:
        gathered = concept_evidence(conn, concept)
    refs = list(gathered)
    claims_of = {r: gathered[r]["claim_ids"] for r in refs}
    family = sorted({c for entry in gathered.values() for c in entry["concepts"]})
    studies = study_documents(evidence_tables(db), refs, claims_of, family, lang)
    for s in studies:
        s["stance"] = gathered[s["ref"]]["stance"]
    return studies


def _frame(question: str, found: Retrieval) -> dict:
    filters = found.facets.applied()
    return {
        "query": question,
        "coverage": found.coverage,
        "concepts": [],
        "filters_applied": filters,
        "understood": {
            "concepts": [],
            "words": [
                {"word": q.word, "terms": list(q.terms), "weight": round(q.weight, 3), "how": q.how}
                for q in found.query
            ],
            "filters_applied": filters,
            "direction": found.facets.direction,
            "areas_as_topic": found.facets.areas_as_topic,
            "cover": round(found.cover, 3),
            "signals": {k: round(v, 3) for k, v in found.signals.items()},
            "probability": None if found.probability is None else round(found.probability, 3),
        },
        "studies": [],
        "summary": {"n_studies": 0, "by_stance": {}, "by_country": {}},
        "review_summary": [],
        "suggestions": [],
        "beyond_filters": [],
    }


def _named_whole(matches: list[Match]) -> bool:
    """Does the question hold a concept's term whole ("os og dem", "us and them": the review's
    term for us-and-them relations, made of function words only)?"""
    return any(m.score >= PRECISE and m.recall >= WHOLE for m in matches)


def _score(matches: list[Match], concept_id: str) -> float:
    return next((m.score for m in matches if m.concept_id == concept_id), 0.0)


def _matched(index: ConceptIndex, concept_id: str, matches: list[Match], found: Retrieval) -> dict:
    m = next((m for m in matches if m.concept_id == concept_id), None)
    how = f"thesaurus: {m.matched}" if m else "coded to the passages that answer the question"
    return _concept(index, concept_id, m.score if m else 0.0, how)


def steer(studies: list[dict], direction: str | None, problem: bool) -> list[dict]:
    """A question with a direction ("what hinders …", "does it work") puts first the studies whose
    stance points that way, best first within each group; it drops none (measured on the dev
    split, dropping the others cost more recall than it gained precision). On a concept that names
    a problem (polarity "negative"), "supports" means the problem was found, so it points the
    negative way."""
    if direction is None:
        return studies
    wanted = NEGATIVE if (direction == "negative") != problem else POSITIVE
    return sorted(studies, key=lambda s: s["stance"] not in wanted)


def _passage(p, score: float) -> dict:
    return {
        "kind": p.kind,
        "id": p.passage_id,
        "section": p.section,
        "page": p.page,
        "quote_da": p.quote_da,
        "text_en": p.text_en,
        "score": round(score, 3),
    }
