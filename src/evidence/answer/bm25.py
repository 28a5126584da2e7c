"""Okapi BM25 over passages: the index and score stages of passage retrieval.

The index (postings, document lengths, idf) is built once per database build from the passages'
terms (evidence.answer.analyse); a question then costs only the postings of its own terms.
Scores are summed per question *word*: a word whose Danish and English stems differ, or that is
split into compound parts, counts once, with its best-matching term.

Parameters are BM25's usual k1 = 1.2, b = 0.75; idf is the non-negative
log(1 + (N − n + 0.5) / (n + 0.5)) of Lucene and rank_bm25's BM25Okapi.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class QueryWord:
    """A question's word, the index terms it may match, and its weight (idf units)."""

    word: str
    terms: tuple[str, ...]
    weight: float
    how: str = ""  # "" as typed; "typo of X"; "parts of a compound"; "unknown"


class BM25Index:
    """BM25 over documents given as term counts."""

    def __init__(self, documents: list[Counter]):
        self.n = len(documents)
        self.lengths = [sum(d.values()) for d in documents]
        self.avgdl = (sum(self.lengths) / self.n) if self.n else 1.0
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, doc in enumerate(documents):
            for term, tf in doc.items():
                self.postings[term].append((i, tf))
        self.idf = {
            t: math.log(1 + (self.n - len(ps) + 0.5) / (len(ps) + 0.5))
            for t, ps in self.postings.items()
        }
        self.postings = dict(self.postings)

    def share(self, term: str) -> float:
        """0–1: the share of documents that hold the term."""
        return len(self.postings.get(term, ())) / (self.n or 1)

    def term_scores(self, term: str) -> dict[int, float]:
        """document → the term's BM25 contribution (at query weight 1)."""
        idf = self.idf.get(term)
        if idf is None:
            return {}
        out = {}
        for i, tf in self.postings[term]:
            norm = K1 * (1 - B + B * self.lengths[i] / self.avgdl)
            out[i] = idf * tf * (K1 + 1) / (tf + norm)
        return out

    def score(self, query: list[QueryWord]) -> tuple[dict[int, float], dict[int, set[str]]]:
        """(document → score, document → the question words it holds)."""
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, set[str]] = defaultdict(set)
        for qw in query:
            best: dict[int, float] = {}
            for term in qw.terms:
                for i, s in self.term_scores(term).items():
                    if s > best.get(i, 0.0):
                        best[i] = s
            for i, s in best.items():
                scores[i] += s
                matched[i].add(qw.word)
        return dict(scores), dict(matched)
