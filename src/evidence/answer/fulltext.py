"""The full-text signal: which of the review's claims hold a question's words, and so which
concepts (the claims' concepts) the question's words point at. A tie-breaker of step 4 of
evidence.answer.resolve, never an answer alone. Built once per build with the concept index."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from evidence.answer.words import Token, make_token, tokens


class FullText:
    """A small stemmed index of the review's claims (Danish sentence + English rendering)."""

    def __init__(self, claims: list[dict], links: list[dict]):
        self.docs = {
            c["claim_id"]: {
                s
                for w in tokens(c["sentence_da"] + " " + (c.get("text_en") or ""))
                for s in make_token(w).stems
            }
            for c in claims
        }
        self.concepts = defaultdict(set)  # claim → its concepts
        self.claims_of: dict[str, list[str]] = defaultdict(list)  # concept → its claims
        for link in links:
            self.concepts[link["claim_id"]].add(link["concept_id"])
            self.claims_of[link["concept_id"]].append(link["claim_id"])
        self.df = Counter(s for d in self.docs.values() for s in d)
        self.idf = {s: math.log(1 + len(self.docs) / n) for s, n in self.df.items()}
        self.having: dict[str, list[str]] = defaultdict(list)  # stem → the claims that contain it
        for claim_id, stems in self.docs.items():
            for s in stems:
                self.having[s].append(claim_id)

    def share(self, stem_: str) -> float:
        """Share of the claims that contain a stem."""
        return self.df.get(stem_, 0) / len(self.docs) if self.docs else 0.0

    def concept_scores(
        self, content: list[Token], concepts: set[str] | None = None
    ) -> dict[str, float]:
        """Concept → 0–1: the share of the question's weight that its best claim contains (of
        `concepts` only, when given). Only claims holding a question word are read."""
        if not content or not self.docs:
            return {}
        weights = [max((self.idf.get(s, 0.0) for s in q.stems), default=0.0) for q in content]
        total = sum(weights) or 1.0
        if concepts is None:
            claims = {c for q in content for s in q.stems for c in self.having.get(s, ())}
        else:
            claims = {c for k in concepts for c in self.claims_of.get(k, ()) if c in self.docs}
        asked = list(zip(weights, [q.stems for q in content], strict=True))
        out: dict[str, float] = {}
        for cid in claims:
            stems = self.docs[cid]
            got = sum(w for w, q in asked if not q.isdisjoint(stems)) / total
            if got > 0:
                for concept in self.concepts.get(cid, ()):
                    if (concepts is None or concept in concepts) and got > out.get(concept, 0.0):
                        out[concept] = got
        return out


class Boost:
    """The full-text signal of concepts for one question (FullText.concept_scores), each worked
    out once, and only when asked for."""

    def __init__(self, fts: FullText, content: list[Token]):
        self.fts, self.content = fts, content
        self.known: dict[str, float] = {}
        self.every: dict[str, float] | None = None

    def of(self, concepts: set[str] | None) -> dict[str, float]:
        if concepts is None:
            if self.every is None:
                self.every = self.fts.concept_scores(self.content)
            return self.every
        missing = {c for c in concepts if c not in self.known}
        if missing:
            found = self.fts.concept_scores(self.content, missing)
            self.known |= {c: found.get(c, 0.0) for c in missing}
        return self.known
