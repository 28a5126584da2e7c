"""Resolve a free-text question (Danish or English, typos tolerated) to concepts of the thesaurus.

1. **Words.** Question and thesaurus terms (every label and synonym of data/concepts.csv) are cut
   into words the same way. Stopwords and the review's framing ("which studies", "hvilke studier",
   "handler om") carry no topic; inside a term they still count a little, so "møder med borgeren"
   and "møder uden borgeren" stay apart. Negations ("ikke", "not") are topic (evidence.answer.stopwords).
2. **Meeting words.** A question word meets a term word when their Snowball stems agree (Danish
   and English), when they are within typing distance (rapidfuzz ratio ≥ 80, five letters or
   more: "kontaktpersn"), or when one is a compound part of the other ("netværksmøder" ⊃
   "møder"); two question words may also meet one compound ("contact person" ~ "kontaktperson").
3. **Weighing words.** A word weighs by how rare it is across the thesaurus. Words the review uses
   everywhere ("tværfagligt", "samarbejde", "citizen": common ground, measured on the claims) and
   words the thesaurus does not know but the review uses ("sker", "people") weigh little; a word
   the review never uses ("climate") weighs double: a concept must explain it or not answer.
4. **Scoring a concept.** Recall: how completely its best term is in the question. Precision: how
   much of the question's weight its terms explain between them. The score (0–100) is their
   F-measure, plus up to `FTS_WEIGHT` points when the question's words occur in the review's
   claims about the concept (a tie-breaker, never an answer alone; evidence.answer.fulltext).
5. **Choosing.** `choose` (evidence.answer.choose) keeps the best concept if it scores `ANSWER_MIN` or more, and a second
   only when it matches almost as well: a near tie, or a term wholly in the question that explains
   a good share of what the best leaves unexplained and is not its broader or narrower concept.

`ConceptIndex.resolve` returns every touched concept with its score and a readable `matched`.

Speed: everything that depends on the thesaurus alone is worked out once per build (evidence.answer.ask
caches the index per database file): the distinct words and how to find them (evidence.answer.words),
each term's word positions and weight, which terms use each word, which claims contain each stem,
and how each word of the Bilag 2 findings meets the thesaurus. A question then costs its own
words' lookups, and only the terms that share a word with it are scored.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict

from rapidfuzz import fuzz, process

from evidence.answer.fulltext import Boost, FullText
from evidence.answer.matches import Match, Term, explain
from evidence.answer.stopwords import NEGATIONS, STOPWORDS
from evidence.answer.words import (
    FUZZY_MIN,
    Token,
    WordIndex,
    all_words,
    make_token,
    similarity,
    tokens,
)

# Weighing words
STOP_WEIGHT = 0.4  # a stopword inside a term
UNKNOWN_SHARE = 0.4  # a word the review uses but the thesaurus does not: this share of the median
OFF_TOPIC = 2.0  # a word the review never uses: this many median words
NEGATION = 1.5  # "ikke", "not", "uden": this many times their usual weight
GENERIC_FROM, GENERIC_FULL = 0.08, 0.25  # share of claims with the word: topical → common ground
GENERIC_ONLY = 0.5  # a question of nothing but common ground scores at most half
# Scoring and choosing
PRESENT_MIN = 0.5  # a term is present in the question from this recall
PRESENT_SLACK = 1e-9  # rounding room when picking the terms that may be present (`_candidates`)
EXPLAINS = 0.75  # a question word a term meets this well (stem or typo) is explained by it
FTS_WEIGHT = 5.0  # points the full-text signal can add
ANSWER_MIN = 55.0  # below this the best concept is a suggestion, not an answer

LONG_STOPWORDS = sorted(w for w in STOPWORDS if len(w) >= 4)
FIELDS = ("label_da", "label_en", "synonyms_da", "synonyms_en")
UNMET = (None, 0.0, "")


class ConceptIndex:
    """The thesaurus, tokenised and weighted, ready to score questions against."""

    def __init__(
        self,
        concepts: list[dict],
        claims: list[dict] | None = None,
        links: list[dict] | None = None,
        texts: list[str] | None = None,
    ):
        self.concepts = {c["id"]: c for c in concepts}
        self.broader = {k: c.get("broader") for k, c in self.concepts.items()}
        self.narrower: dict[str, list[str]] = defaultdict(list)  # in the thesaurus's order
        for k, parent in self.broader.items():
            if parent is not None:
                self.narrower[parent].append(k)
        self.terms = [t for c in concepts for t in self._terms(c)]
        stems_of: dict[str, set[str]] = defaultdict(set)  # concept → the stems of its terms
        for t in self.terms:
            stems_of[t.concept_id].update(s for tok in t.tokens if not tok.stop for s in tok.stems)
        df = Counter(s for stems in stems_of.values() for s in stems)
        self.idf = {s: math.log(1 + (len(concepts) or 1) / d) for s, d in df.items()}
        self.median_weight = sorted(self.idf.values())[len(self.idf) // 2] if self.idf else 1.0
        self.fts = FullText(claims or [], links or [])
        # the words of the findings (and other texts), each text's once, in order
        self.text_words = {text: tuple(dict.fromkeys(tokens(text))) for text in texts or []}
        definitions = [
            c.get("definition_da", "") + " " + c.get("definition_en", "") for c in concepts
        ]
        words = {w for text in definitions for w in tokens(text)}
        words |= {w for ws in self.text_words.values() for w in ws}
        self.vocabulary = set(self.fts.df) | {s for w in words for s in make_token(w).stems}
        self.known = self.vocabulary | set(self.idf)
        for t in self.terms:
            t.weights = [self.weight(tok) for tok in t.tokens]
        self._index_words()

    def _index_words(self) -> None:
        """Every distinct term word once (evidence.answer.words.WordIndex), each term's words by their
        position there, the terms that use each word, and each concept's terms."""
        self.words = WordIndex(tok for t in self.terms for tok in t.tokens)
        self.word_weight = [self.weight(tok) for tok in self.words.words]
        self.terms_using = [array("l") for _ in self.words.words]
        self.terms_of: dict[str, list[int]] = defaultdict(list)
        for k, t in enumerate(self.terms):
            t.positions = tuple(self.words.position[tok] for tok in t.tokens)
            for i in t.positions:
                self.terms_using[i].append(k)
            self.terms_of[t.concept_id].append(k)
        self.term_weight = [sum(t.weights) for t in self.terms]

    @staticmethod
    def _terms(concept: dict) -> list[Term]:
        out = []
        for fld in FIELDS:
            values = concept.get(fld) or []
            lang = fld[-2:]
            for text in [values] if isinstance(values, str) else values:
                variants = {text, text.replace("-", "")} if "-" in text else {text}
                for v in variants:
                    toks = [make_token(w, (lang,)) for w in all_words(v)]
                    if toks:
                        out.append(
                            Term(concept["id"], fld.replace("synonyms", "synonym"), text, toks)
                        )
        return out

    def weight(self, tok: Token) -> float:
        if tok.stop:
            return STOP_WEIGHT
        known = [self.idf[s] for s in tok.stems if s in self.idf]
        if tok.raw in NEGATIONS:  # turns the question around: missing it costs more than a word
            return NEGATION * max([*known, self.median_weight])
        if known:
            return max(known)
        # Not in the thesaurus: filler when the review uses the word ("people", "sker"); the very
        # topic when the review never does ("climate"), so that a concept must explain it.
        return (
            UNKNOWN_SHARE * self.median_weight
            if tok.stems & self.vocabulary
            else OFF_TOPIC * self.median_weight
        )

    def term_pairs(self, term: Term, query: list[Token], sim=similarity) -> tuple[float, list]:
        """(recall, pairs): the share of the term's weight the question covers, and for each term
        token the question token that meets it best as (question token, term token, 0–1, how)."""
        pairs = []
        for t in term.tokens:
            best = max(
                ((q, *sim(q, t)) for q in query), key=lambda x: x[1], default=(None, 0.0, "")
            )
            pairs.append((best[0], t, best[1], best[2]))
        wt = [self.weight(t) for t in term.tokens]
        return sum(w * p[2] for w, p in zip(wt, pairs, strict=True)) / sum(wt), pairs

    def generic(self, word: str) -> float:
        """0–1: how much a word is the review's common ground ("tværfagligt", "citizen") rather than
        a topic — from the share of claims that contain it (8 % → 0, 25 % or more → 1)."""
        share = max((self.fts.share(s) for s in make_token(word).stems), default=0.0)
        return min(1.0, max(0.0, (share - GENERIC_FROM) / (GENERIC_FULL - GENERIC_FROM)))

    def mistyped_stopword(self, word: str) -> bool:
        """'whcih', 'studeis': a word the review never uses, within typing distance of a stopword."""
        if len(word) < 4 or make_token(word).stems & self.known:
            return False
        return (
            process.extractOne(word, LONG_STOPWORDS, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN)
            is not None
        )

    def content_weights(self, question: str) -> tuple[dict[str, float], bool]:
        """The words a concept must explain, each weighted by rarity and how topical it is, and
        whether any is topical at all ("tværfagligt samarbejde" alone asks about everything)."""
        words = [w for w in tokens(question, keep_soft=False) if not self.mistyped_stopword(w)]
        weights = {w: self.weight(make_token(w)) * (1 - self.generic(w)) for w in words}
        if (
            sum(weights.values()) < 1e-9
        ):  # nothing but common ground: weigh it plainly, answer nothing
            return {w: self.weight(make_token(w)) for w in words}, False
        return weights, True

    def resolve(self, question: str, min_score: float = 0.0) -> list[Match]:
        """Every concept the question touches, best first (see the module's docstring); only those
        scoring `min_score` or more when it is given. A concept none of whose terms is in the
        question scores `FTS_WEIGHT` at most, so above that only concepts with a term present are
        scored at all."""
        words = tokens(question)
        query = [make_token(w) for w in all_words(question)]
        query += [make_token(a + b, parts=(a, b)) for a, b in zip(words, words[1:], strict=False)]
        content, topical = self.content_weights(question)
        present = {cid: _Present(terms) for cid, terms in self.present_terms(query).items()}
        boost = Boost(self.fts, [make_token(w) for w in content])
        out = self._matches(present, content, boost, min_score)
        negations = [w for w in content if w in NEGATIONS]
        if negations and not any(
            w in m.explained for m in out if m.score >= ANSWER_MIN for w in negations
        ):
            # no concept speaks of the negation ("no effect on employment"): weigh the rest only
            rest = {w: v for w, v in content.items() if w not in NEGATIONS}
            out = self._matches(present, rest, boost, min_score)
        if not topical:
            for m in out:
                m.score = round(m.score * GENERIC_ONLY, 1)
        kept = [m for m in out if m.score >= min_score]
        for m in kept:
            m.matched = explain(*m.why) + ("" if topical else "; only common ground")
        return sorted(kept, key=lambda m: (-m.score, m.concept_id))

    def meets(
        self, query: list[Token], positions: set[int] | None = None
    ) -> dict[int, tuple[Token, float, str]]:
        """Term word (position) → the question token that meets it best, how well, and how (of
        every term word, or of `positions` only): `similarity` over every pair, by the lookups of
        evidence.answer.words.WordIndex. Of equally good tokens the first in the question counts."""
        best: dict[int, tuple[Token, float, str]] = {}
        for q in query:
            for i, s, how in self.words.offers(q):
                if s > best.get(i, UNMET)[1] and (positions is None or i in positions):
                    best[i] = (q, s, how)
        return best

    def present_terms(
        self, query: list[Token], concept_ids=None
    ) -> dict[str, list[tuple[float, Term, list]]]:
        """Concept → its terms present in the question (or text), as (recall, term, pairs)."""
        if concept_ids is None:
            best = self.meets(query)
            candidates = self._candidates(best)
        else:
            candidates = sorted({k for c in concept_ids for k in self.terms_of.get(c, ())})
            best = self.meets(query, {i for k in candidates for i in self.terms[k].positions})
        found: dict[str, list[tuple[float, Term, list]]] = defaultdict(list)
        for k in candidates:
            term = self.terms[k]
            met = [best.get(i, UNMET) for i in term.positions]
            recall = sum(w * m[1] for w, m in zip(term.weights, met, strict=True)) / sum(
                term.weights
            )
            if recall >= PRESENT_MIN:
                pairs = [(m[0], tok, m[1], m[2]) for tok, m in zip(term.tokens, met, strict=True)]
                found[term.concept_id].append((recall, term, pairs))
        return found

    def _candidates(self, best: dict[int, tuple]) -> list[int]:
        """The terms that may be present, in the thesaurus's order: those whose words met carry
        about `PRESENT_MIN` of their weight or more. Summed here word by word, in another order than
        `present_terms` sums, hence the slack: `present_terms` decides exactly."""
        got: dict[int, float] = defaultdict(float)
        for i, (_, s, _) in best.items():
            w = self.word_weight[i] * s
            for k in self.terms_using[i]:
                got[k] += w
        need = PRESENT_MIN - PRESENT_SLACK
        return sorted(k for k, g in got.items() if g >= need * self.term_weight[k])

    def _matches(
        self, present: dict, content: dict[str, float], boost: Boost, min_score: float
    ) -> list[Match]:
        """The concepts with a term present, scored; those that cannot reach `min_score` even with
        the whole full-text signal are left out before it is computed. With no floor above what
        that signal alone gives, every concept the full text touches is scored too."""
        total = sum(content.values())
        fits = {cid: p.fit(content, total) for cid, p in present.items()}
        if min_score > FTS_WEIGHT:
            fits = {cid: fit for cid, fit in fits.items() if _score(fit[0], 1.0) >= min_score}
            fts = boost.of(set(fits))
        else:
            fts = boost.of(None)
            fits |= {cid: _Present([]).fit(content, total) for cid in fts if cid not in fits}
        return [
            self._match(cid, present.get(cid) or _Present([]), fit, content, fts.get(cid, 0.0))
            for cid, fit in fits.items()
        ]

    @staticmethod
    def _match(
        cid: str, present: _Present, fit: tuple, content: dict[str, float], fts: float
    ) -> Match:
        """The concept's score; `matched` is left to `explain`, for the matches that are kept."""
        f, explained, total = fit
        shares = {w: content[w] / total for w, s in explained.items() if s >= EXPLAINS and total}
        recall, term, pairs = present.best
        return Match(cid, _score(f, fts), "", shares, recall, (term, pairs, fts))


def _score(f: float, fts: float) -> float:
    """0–100: the F-measure of recall and precision, and up to `FTS_WEIGHT` for the full text."""
    return round(min(100.0, 100 * f * (1 - FTS_WEIGHT / 100) + FTS_WEIGHT * fts), 1)


class _Present:
    """A concept's terms present in a question, summed up once for however many weighings: how
    well each question word is met by any of them, and the best term (recall, then length)."""

    def __init__(self, terms: list[tuple[float, Term, list]]):
        self.met: dict[str, float] = {}
        for _, _, pairs in terms:
            for q, _, s, _ in pairs:
                if q is not None:
                    for word in q.words:
                        if s > self.met.get(word, 0.0):
                            self.met[word] = s
        self.best: tuple = max(
            terms, key=lambda p: (p[0], len(p[1].tokens)), default=(0.0, None, [])
        )

    def fit(self, content: dict[str, float], total: float) -> tuple[float, dict, float]:
        """(F-measure of the best term's recall and the share of the question's weight explained,
        how well each content word is explained, the question's weight)."""
        explained = {word: self.met.get(word, 0.0) for word in content}
        precision = (
            sum(w * explained[word] for word, w in content.items()) / total if total else 0.0
        )
        recall = self.best[0]
        f = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
        return f, explained, total
