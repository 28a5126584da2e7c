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

import numpy as np

K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class QueryWord:
    """A question's word, the index terms it may match, and its weight (idf units)."""

    word: str
    terms: tuple[str, ...]
    weight: float
    how: str = ""  # "" as typed; "typo of X"; "part of X"; "compound a+b"; "relation"; "unknown"


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
        # every term's contribution to every document holding it depends on the documents alone:
        # worked out here, once, as arrays, so that a question only adds them up
        self.contributions = {t: self._contributions(t) for t in self.postings}
        self._empty = (np.zeros(0, dtype=np.int64), np.zeros(0))

    def share(self, term: str) -> float:
        """0–1: the share of documents that hold the term."""
        return len(self.postings.get(term, ())) / (self.n or 1)

    def _contributions(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(documents holding the term, its BM25 contribution to each), at query weight 1."""
        ids = np.array([i for i, _ in self.postings[term]], dtype=np.int64)
        tf = np.array([n for _, n in self.postings[term]], dtype=np.float64)
        lengths = np.array([self.lengths[i] for i in ids], dtype=np.float64)
        norm = K1 * (1 - B + B * lengths / self.avgdl)
        return ids, self.idf[term] * tf * (K1 + 1) / (tf + norm)

    def score(self, query: list[QueryWord]) -> tuple[np.ndarray, list[np.ndarray]]:
        """(every document's score, and per question word its contribution to each document:
        above 0 where the document holds the word)."""
        total = np.zeros(self.n)
        per_word = []
        for qw in query:
            best = np.zeros(self.n)
            for term in qw.terms:
                ids, scores = self.contributions.get(term, self._empty)
                best[ids] = np.maximum(best[ids], scores)  # a term holds a document once
            total += best
            per_word.append(best)
        return total, per_word


def best_of(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the `k` highest scores above 0, highest first, ties by position (what a stable
    sort of every held position gives), without sorting them all: at 100× size a question's words
    hold tens of thousands of passages, and a full sort per question was the largest cost."""
    held = np.flatnonzero(scores)
    values = scores[held]
    if held.size > k:
        kth = np.partition(values, held.size - k)[held.size - k]  # the k-th highest
        above = np.flatnonzero(values > kth)
        ties = np.flatnonzero(values == kth)[: k - above.size]
        keep = np.concatenate([above, ties])
        held, values = held[keep], values[keep]
    return held[np.lexsort((held, -values))]
