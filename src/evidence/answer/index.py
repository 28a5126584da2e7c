"""The passage index of one build, and a question's words as it reads them (retrieval's step 2).

Each content word of a question with its stems and compound parts (evidence.answer.analyse); a
word the passages never use is looked up as a typo of one they do (first as two neighbouring
letters swapped, "singel" → "single"; then by rapidfuzz ratio ≥ 80, five
letters or more; 90 for a real word of everyday Danish or English, so that "nurces" is "nurses"
and "bread" is not "break"; a typo keeps its length within `TYPO_LENGTH`, a known word with a
prefix, "reoffending", is no typo of it, and a typo of a function word, "acros", weighs nothing;
a word that heads a compound the passages use, "sygedagpenge", is that compound's part). Each
word weighs its idf; one held by more than `GENERIC_SHARE` of the passages ("tværfagligt",
"samarbejde", "citizen") weighs `GENERIC_WEIGHT` of that; a word no passage holds weighs by how
rare it is in everyday Danish or English (wordfreq's Zipf scale): "overvejer" (4.5) weighs
little, "løntillæg" (0) or "Icelandic" (3.3) a lot, so that a question about something the review
does not cover is not answered from its common words; but never more than the rarest word the
passages hold (the highest idf), so that one everyday word for the review's term ("hudlæger" for
"dermatologer") does not outweigh the rest of the question.

The constants were set on the development split of tests/questions_dev.yml only.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import replace

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from wordfreq import zipf_frequency

from evidence.answer import semantic
from evidence.answer.analyse import ARTICLES, RELATIONS, Analyser, is_content, words
from evidence.answer.bm25 import BM25Index, QueryWord
from evidence.answer.passages import Passage, load_passages
from evidence.answer.stopwords import FUNCTION, STOPWORDS

GENERIC_SHARE, GENERIC_WEIGHT = 0.06, 0.6
UNKNOWN = 3.0  # weight of a word no passage holds, per Zipf point below ZIPF_COMMON
ZIPF_COMMON = 5.0
UNKNOWN_MIN = 0.0  # Zipf points every unknown word weighs at least
TYPO_MIN, TYPO_MIN_LEN = 80, 5
PAST_MIN = 5  # letters: a Danish weak verb's past tense in -te is read as its infinitive
TYPO_LENGTH = 2  # a typo is at most this many letters longer or shorter than the word
# a short word no passage holds, one letter from a function word of FUNCTION_TYPO[1] letters or
# more with the same first letter ("wht", "dos", "teh"), is a typo of it and weighs nothing
FUNCTION_TYPO = (3, 3)
TYPO_MIN_WORD = 90  # a real word ("bread": wordfreq Zipf ≥ REAL_WORD) must be closer ("break")
REAL_WORD = 3.0
ENGLISH_WORD = 3.0  # Zipf: a word this common in English is one, not a Danish compound to split
QUERY_CACHE = 50_000  # question words whose terms and weight are remembered (data only)
RELATION_WEIGHT = 0.5  # a relation term's weight in the coverage test, as a share of its idf
FRAMING_SHARE = 0.25  # a word this share of the passages hold frames the review, it is no topic


class PassageIndex:
    """Every passage of one build, analysed and indexed once (evidence.answer.ask caches it)."""

    def __init__(self, passages: list[Passage], studies: dict[int, dict]):
        self.passages = passages
        self.studies = studies  # ref → {countries, service_areas, methods, year}
        plain = Analyser()
        vocabulary = frozenset(t for p in passages for t in plain.terms(p.indexed, split=False))
        self.analyser = Analyser(vocabulary)
        counts = [Counter(self.analyser.terms(p.indexed)) for p in passages]
        self.bm25 = BM25Index(counts)
        # an unknown word weighs at most what the rarest word the passages hold weighs
        self.unknown_max = max(self.bm25.idf.values(), default=0.0)
        self.vectors = semantic.embed([p.indexed for p in passages])  # for semantic.rerank
        self.terms_of = [frozenset(c) for c in counts]
        self.typo_words = sorted(
            {w for p in passages for w in words(p.indexed) if len(w) >= TYPO_MIN_LEN}
        )
        self._typo_set = frozenset(self.typo_words)
        self._query: dict[str, QueryWord] = {}  # word → its QueryWord, as first worked out
        self.direction = np.array([p.direction for p in passages], dtype=np.int8)
        self.in_chapter = {  # the passages of the effects chapters (6: citizens, 7: staff)
            ch: np.array([p.section.startswith(f"{ch}.") for p in passages], dtype=bool)
            for ch in ("6", "7")
        }
        for lang in (
            "da",
            "en",
        ):  # wordfreq reads its word lists on first use: here, not in a request
            zipf_frequency("og", lang)
        self.claims_of: dict[str, set[int]] = defaultdict(set)  # concept → passage positions
        for i, p in enumerate(passages):
            for c in p.concepts:
                self.claims_of[c].add(i)

    def generic(self, q: QueryWord, share: float = GENERIC_SHARE) -> bool:
        """Is a question word one that more than `share` of the passages hold ("tværfagligt",
        "samarbejde")?"""
        return bool(q.terms) and max(self.bm25.share(t) for t in q.terms) > share

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> PassageIndex:
        studies = {
            r["ref"]: {k: r[k] for k in ("countries", "service_areas", "methods", "year")}
            for r in conn.execute(
                "select ref, countries, service_areas, methods, year from studies"
            )
        }
        return cls(load_passages(conn), studies)

    def query_words(self, text: str) -> list[QueryWord]:
        """The question's content words with their index terms and weights (step 2), and its
        relation terms ("møder med borgeren" → "mød+med", "med+borger") where passages hold them."""
        out: list[QueryWord] = []
        for w in dict.fromkeys(words(text)):
            if is_content(w):
                known = self._query.get(w)
                if known is None:
                    known = self._query_word(w)
                    if len(self._query) < QUERY_CACHE:
                        self._query[w] = known
                out.append(known)
        ws = [w for w in words(text) if w not in ARTICLES]
        for i, w in enumerate(ws):
            if w in RELATIONS:
                for t in self.analyser.relation_terms(ws, i):
                    if t in self.bm25.idf:
                        out.append(
                            QueryWord(t, (t,), RELATION_WEIGHT * self.bm25.idf[t], "relation")
                        )
        return out

    def _swapped(self, w: str) -> str | None:
        """A passage word that is `w` with two neighbouring letters swapped, or None."""
        return next((s for s in _swaps(w) if s != w and s in self._typo_set), None)

    def _query_word(self, w: str) -> QueryWord:
        known = self.bm25.idf
        terms = [t for t in self.analyser.word_terms(w) if t in known]
        how = ""
        english = zipf_frequency(w, "en") >= ENGLISH_WORD  # "homeless" is not home+less
        if not terms and w.endswith("te") and len(w) >= PAST_MIN and not english:
            base = w[:-2] + "e"  # "lærte" (Snowball: "lært") is read as its infinitive ("lære")
            terms = [t for t in self.analyser.word_terms(base) if t in known]
            how = f"past tense of {base}" if terms else ""
        if not terms and not english:
            parts = self.analyser.parts(w)
            terms = [t for p in parts for t in self.analyser.word_terms(p) if t in known]
            how = "compound " + "+".join(parts) if terms else ""
        if not terms and len(w) >= TYPO_MIN_LEN:
            real = max(zipf_frequency(w, "da"), zipf_frequency(w, "en")) >= REAL_WORD
            cutoff = (
                TYPO_MIN_WORD if real else TYPO_MIN
            )  # "nurces" is "nurses"; "bread" not "break"
            # two neighbouring letters swapped is a typo first: "samarbjede" is "samarbejde", not
            # "samarbejdede"; and "singel" is "single", though "singel" is a word too
            swapped = self._swapped(w)
            hit = (
                (swapped,)
                if swapped
                else process.extractOne(w, self.typo_words, scorer=fuzz.ratio, score_cutoff=cutoff)
            )
            head = hit is not None and hit[0].startswith(w)  # "sygedagpenge" in "…sager"
            if hit and not head and not _typo(w, hit[0]):
                hit = None
            if hit and hit[0] in STOPWORDS:  # "acros", "betwen": a function word, no weight
                return QueryWord(w, (), 0.0, f"typo of {hit[0]}")
            if hit:
                terms = [t for t in self.analyser.word_terms(hit[0]) if t in known]
                how = f"part of {hit[0]}" if head else f"typo of {hit[0]}"
        if not terms and FUNCTION_TYPO[0] <= len(w) < TYPO_MIN_LEN:  # "wht", "dos", "teh"
            function = _function_typo(w)
            if function:
                return QueryWord(w, (), 0.0, f"typo of {function}")
        if not terms:
            zipf = max(zipf_frequency(w, "da"), zipf_frequency(w, "en"))
            weight = min(UNKNOWN * max(UNKNOWN_MIN, ZIPF_COMMON - zipf), self.unknown_max)
            return QueryWord(w, (), weight, "unknown")
        word = QueryWord(w, tuple(dict.fromkeys(terms)), max(known[t] for t in terms), how)
        return replace(word, weight=word.weight * GENERIC_WEIGHT) if self.generic(word) else word


def _function_typo(word: str) -> str | None:
    """The function word (stopwords.FUNCTION: not the review's framing, "vise" is no typo target
    for "VIVE") `word` is a typo of: one letter added, dropped, changed or two neighbours
    swapped, the first letter kept; None when there is none."""
    near = (
        s
        for s in sorted(FUNCTION)
        if len(s) >= FUNCTION_TYPO[1]
        and s[0] == word[0]
        and (Levenshtein.distance(word, s) == 1 or s in _swaps(word))
    )
    return next(near, None)


def _swaps(word: str) -> list[str]:
    """`word` with each pair of neighbouring letters swapped ("singel" → "single", …)."""
    return [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]


def _typo(typed: str, known: str) -> bool:
    """Can `typed` be a typo of `known`? Not when their lengths differ by more than
    `TYPO_LENGTH` ("lønstigninger" is no "løsninger"), nor when it is the known word with a
    prefix or suffix of two letters or more ("reoffending" is another word than "offending")."""
    extra = len(typed) - len(known)
    affixed = extra >= 2 and (typed.startswith(known) or typed.endswith(known))
    return abs(extra) <= TYPO_LENGTH and not affixed
