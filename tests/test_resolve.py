"""Resolving questions fast gives exactly what comparing every pair of words gives.

evidence.answer.words.WordIndex finds a word's partners by stem, typo and compound lookups instead of
comparing it with every thesaurus word; ConceptIndex scores only the terms that share a word with
the question; the findings' words are met once, with the index. Each is held here to the slow,
obvious way of doing the same thing.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from bench.quality import SETS, load_questions
from evidence.answer.ask import concept_index
from evidence.answer.resolve import PRESENT_MIN, UNMET
from evidence.answer.words import all_words, make_token, similarity, tokens
from evidence.read.database import Database

QUESTIONS = [item["q"] for item in load_questions(SETS["tuned"])] + [
    "kontaktpersn",
    "netværksmøder med borgeren",
    "formøder",
    "contact person",
    "samlokaliseringen",
    "møder uden borgeren",
    "whcih studeis are about tværsektoriel lovgivning",
    "no effect on employment",
]


@pytest.fixture(scope="module")
def index(evidence_db):
    return concept_index(Database(evidence_db))


@pytest.fixture(scope="module")
def findings(evidence_db) -> list[str]:
    with Database(evidence_db).connection() as conn:
        rows = conn.execute("select text_da, text_en from findings order by finding_id")
        return [f"{r['text_da']} {r['text_en']}" for r in rows]


def query_of(question: str) -> list:
    """The question's tokens as ConceptIndex.resolve makes them (words, then joined pairs)."""
    words = tokens(question)
    joined = [make_token(a + b, parts=(a, b)) for a, b in zip(words, words[1:], strict=False)]
    return [make_token(w) for w in all_words(question)] + joined


def every_pair(index, query: list) -> dict:
    """ConceptIndex.meets the slow way: `similarity` of every token with every thesaurus word."""
    key = tuple(query)
    if key not in SLOW:
        SLOW[key] = _every_pair(index, query)
    return SLOW[key]


SLOW: dict[tuple, dict] = {}  # the slow way is slow: each query once


def _every_pair(index, query: list) -> dict:
    best: dict = {}
    for q in query:
        for i, word in enumerate(index.words.words):
            s, how = similarity(q, word)
            if s > best.get(i, UNMET)[1]:
                best[i] = (q, s, how)
    return best


def every_term(index, best: dict, concept_ids=None) -> dict:
    """ConceptIndex.present_terms the slow way: every term scored."""
    found = defaultdict(list)
    for term in index.terms:
        if concept_ids is not None and term.concept_id not in concept_ids:
            continue
        pairs = [
            (m[0], tok, m[1], m[2])
            for tok, i in zip(term.tokens, term.positions, strict=True)
            for m in [best.get(i, UNMET)]
        ]
        recall = sum(w * p[2] for w, p in zip(term.weights, pairs, strict=True)) / sum(term.weights)
        if recall >= PRESENT_MIN:
            found[term.concept_id].append((recall, term, pairs))
    return found


@pytest.mark.parametrize("question", QUESTIONS)
def test_meets_is_similarity_of_every_pair(index, question):
    query = query_of(question)
    assert index.meets(query) == every_pair(index, query)


@pytest.mark.parametrize("question", QUESTIONS)
def test_present_terms_are_those_of_scoring_every_term(index, question):
    query = query_of(question)
    expected = every_term(index, every_pair(index, query))
    assert index.present_terms(query) == expected
    some = set(list(expected)[:3]) | {"co-location"}
    assert index.present_terms(query, some) == every_term(index, every_pair(index, query), some)


@pytest.mark.parametrize("question", QUESTIONS[:12])
def test_only_matches_below_the_floor_are_left_out(index, question):
    every = index.resolve(question)
    assert index.resolve(question, min_score=20) == [m for m in every if m.score >= 20]
    assert [m.matched for m in index.resolve(question, min_score=20)] == [
        m.matched for m in every if m.score >= 20
    ]


@pytest.mark.parametrize("question", QUESTIONS[:12])
def test_full_text_scores_of_some_concepts_are_those_of_all(index, question):
    content = [make_token(w) for w in index.content_weights(question)[0]]
    every = index.fts.concept_scores(content)
    some = set(list(every)[::2]) | {"co-location"}
    assert index.fts.concept_scores(content, some) == {k: v for k, v in every.items() if k in some}
