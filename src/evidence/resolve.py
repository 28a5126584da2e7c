"""Resolve a free-text question (Danish or English, typos tolerated) to concepts of the thesaurus.

1. **Words.** Question and thesaurus terms (every label and synonym of data/concepts.csv) are cut
   into words the same way. Stopwords and the review's framing ("which studies", "hvilke studier",
   "handler om") carry no topic; inside a term they still count a little, so "møder med borgeren"
   and "møder uden borgeren" stay apart. Negations ("ikke", "not") are topic (evidence.stopwords).
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
   claims about the concept (a tie-breaker, never an answer alone).
5. **Choosing.** `choose` keeps the best concept if it scores `ANSWER_MIN` or more, and a second
   only when it matches almost as well: a near tie, or a term wholly in the question that explains
   a good share of what the best leaves unexplained and is not its broader or narrower concept.

`ConceptIndex.resolve` returns every touched concept with its score and a readable `matched`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from .search_text import stem_da, stem_en
from .stopwords import NEGATIONS, SOFT_WORDS, STOPWORDS

# Meeting words
FUZZY_MIN = 80  # rapidfuzz ratio for a typo
FUZZY_MIN_LEN = 5  # shorter words must share a stem: "lov" is not "lo"
COMPOUND_MIN_LEN = 5
# Weighing words
STOP_WEIGHT = 0.4  # a stopword inside a term
UNKNOWN_SHARE = 0.4  # a word the review uses but the thesaurus does not: this share of the median
OFF_TOPIC = 2.0  # a word the review never uses: this many median words
NEGATION = 1.5  # "ikke", "not", "uden": this many times their usual weight
GENERIC_FROM, GENERIC_FULL = 0.08, 0.25  # share of claims with the word: topical → common ground
GENERIC_ONLY = 0.5  # a question of nothing but common ground scores at most half
# Scoring and choosing
PRESENT_MIN = 0.5  # a term is present in the question from this recall
EXPLAINS = 0.75  # a question word a term meets this well (stem or typo) is explained by it
FTS_WEIGHT = 5.0  # points the full-text signal can add
ANSWER_MIN = 55.0  # below this the best concept is a suggestion, not an answer
SECOND_RATIO = 0.8  # a second concept must score this share of the best, and
NEAR_TIE = 0.99  # either tie with it,
SECOND_RECALL = 0.9  # or have a term wholly in the question
SECOND_GAIN = 0.25  # that explains this share of the question the chosen ones do not

LONG_STOPWORDS = sorted(w for w in STOPWORDS if len(w) >= 4)
FIELDS = ("label_da", "label_en", "synonyms_da", "synonyms_en")


@lru_cache(maxsize=50_000)
def stem(word: str, lang: str) -> str:
    """The Snowball stem of one word (the stemmers the site's full-text search uses)."""
    return (stem_da if lang == "da" else stem_en)(word) or word


def normalise(text: str) -> str:
    """Lower case, quotes and punctuation to spaces; æ, ø, å kept; other accents dropped (é → e)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(
        c
        for c in unicodedata.normalize("NFD", text)
        if unicodedata.category(c) != "Mn" or c == "\u030a"
    )
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[^\wæøå]+", " ", text.replace("'s ", " ").replace("’s ", " ")).strip()


def tokens(text: str, keep_soft: bool = True) -> list[str]:
    """Content words; all words when nothing else is left ("os og dem")."""
    words = [w for w in normalise(text).split() if not w.isdigit()]
    content = [w for w in words if w not in STOPWORDS and (keep_soft or w not in SOFT_WORDS)]
    return content or (
        [w for w in words if keep_soft or w not in SOFT_WORDS] if len(words) <= 4 else []
    )


@dataclass(frozen=True)
class Token:
    """A word with its stems. `parts`: the two words a joined token was made of ("contact person").
    `stop`: a stopword, which matters inside a term ("møder med/uden borgeren") but weighs little."""

    raw: str
    stems: frozenset[str]
    parts: tuple[str, ...] = ()
    stop: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        return self.parts or (self.raw,)


def make_token(word: str, langs=("da", "en"), parts: tuple[str, ...] = ()) -> Token:
    if word in STOPWORDS:
        return Token(word, frozenset({word}), parts, stop=True)
    return Token(word, frozenset({word} | {stem(word, lang) for lang in langs}), parts)


def all_words(text: str) -> list[str]:
    return [w for w in normalise(text).split() if not w.isdigit()]


@dataclass
class Term:
    concept_id: str
    field: str
    text: str
    tokens: list[Token]
    weights: list[float] = field(default_factory=list)  # of its tokens, set by ConceptIndex


@dataclass
class Match:
    """A concept a question touches. `explained`: question word → its share of the question's
    weight, for the words the concept's terms meet; `recall`: how wholly its best term is there."""

    concept_id: str
    score: float
    matched: str
    explained: dict[str, float] = field(default_factory=dict)
    recall: float = 0.0


def similarity(q: Token, t: Token) -> tuple[float, str]:
    """How well a question token meets a term token (0–1), and how."""
    if q.stems & t.stems:
        return 1.0, "stem"
    if q.stop or t.stop:
        return 0.0, ""
    a, b = q.raw, t.raw
    found = [(0.0, "")]
    if min(len(a), len(b)) >= FUZZY_MIN_LEN:
        r = fuzz.ratio(a, b)
        if r >= FUZZY_MIN:
            found.append(((r - 60) / 40, f"typo {r:.0f}"))
    short, long_ = sorted((a, b), key=len)
    if (
        len(short) >= COMPOUND_MIN_LEN
        and short != long_
        and (long_.startswith(short) or long_.endswith(short))
    ):
        # the question's word holds the term's ("netværksmøder" ⊃ "møder"): the term is there;
        # the term's word holds the question's ("møder" ⊂ "formøder"): a narrower thing, less so
        base = 0.5 if long_ == a else 0.3
        found.append((min(0.85, base + 0.4 * len(short) / len(long_)), "compound"))
    return max(found)


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
        self.terms = [t for c in concepts for t in self._terms(c)]
        stems_of: dict[str, set[str]] = defaultdict(set)  # concept → the stems of its terms
        for t in self.terms:
            stems_of[t.concept_id].update(s for tok in t.tokens if not tok.stop for s in tok.stems)
        df = Counter(s for stems in stems_of.values() for s in stems)
        self.idf = {s: math.log(1 + (len(concepts) or 1) / d) for s, d in df.items()}
        self.median_weight = sorted(self.idf.values())[len(self.idf) // 2] if self.idf else 1.0
        self.fts = FullText(claims or [], links or [])
        corpus = [
            c.get("definition_da", "") + " " + c.get("definition_en", "") for c in concepts
        ] + list(texts or [])
        self.vocabulary = set(self.fts.df) | {
            s for text in corpus for w in tokens(text) for s in make_token(w).stems
        }
        self.known = self.vocabulary | set(self.idf)
        for t in self.terms:
            t.weights = [self.weight(tok) for tok in t.tokens]
        self._index_words()

    def _index_words(self) -> None:
        """Every distinct term word once, found by stem, for `meets`."""
        self.words = list(dict.fromkeys(tok for t in self.terms for tok in t.tokens))
        self.position = {tok: i for i, tok in enumerate(self.words)}
        self.by_stem: dict[str, list[int]] = defaultdict(list)
        for i, tok in enumerate(self.words):
            for s in tok.stems:
                self.by_stem[s].append(i)
        self.content_positions = [i for i, tok in enumerate(self.words) if not tok.stop]
        self.content_raws = [self.words[i].raw for i in self.content_positions]
        self.positions_of: dict[str, list[int]] = defaultdict(list)  # concept → its content words
        for t in self.terms:
            self.positions_of[t.concept_id] += [
                self.position[tok] for tok in t.tokens if not tok.stop
            ]

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

    def resolve(self, question: str) -> list[Match]:
        """Every concept the question touches, best first (see the module's docstring)."""
        words = tokens(question)
        query = [make_token(w) for w in all_words(question)]
        query += [make_token(a + b, parts=(a, b)) for a, b in zip(words, words[1:], strict=False)]
        content, topical = self.content_weights(question)
        present = self.present_terms(query)
        boost = self.fts.concept_scores([make_token(w) for w in content])
        out = self._matches(present, content, boost)
        negations = [w for w in content if w in NEGATIONS]
        if negations and not any(
            w in m.explained for m in out if m.score >= ANSWER_MIN for w in negations
        ):
            # no concept speaks of the negation ("no effect on employment"): weigh the rest only
            out = self._matches(
                present, {w: v for w, v in content.items() if w not in NEGATIONS}, boost
            )
        if not topical:
            for m in out:
                m.score, m.matched = (
                    round(m.score * GENERIC_ONLY, 1),
                    m.matched + "; only common ground",
                )
        return sorted(out, key=lambda m: (-m.score, m.concept_id))

    def meets(self, query: list[Token], concept_ids=None) -> dict[int, tuple[Token, float, str]]:
        """Term word (position) → the question token that meets it best, how well, and how
        (of every term word, or of the concepts' only).

        The same as `similarity` over every pair, but by stem lookup and rapidfuzz's C loop."""
        best: dict[int, tuple[Token, float, str]] = {}
        positions, raws = self.content_positions, self.content_raws
        if concept_ids is not None:
            positions = sorted({i for c in concept_ids for i in self.positions_of.get(c, ())})
            raws = [self.words[i].raw for i in positions]

        def offer(i: int, q: Token, s: float, how: str) -> None:
            if s > best.get(i, (q, 0.0, ""))[1]:
                best[i] = (q, s, how)

        for q in query:
            for st in q.stems:
                for i in self.by_stem.get(st, ()):
                    offer(i, q, 1.0, "stem")
            if q.stop or len(q.raw) < COMPOUND_MIN_LEN:
                continue
            if len(q.raw) >= FUZZY_MIN_LEN:
                hits = process.extract(
                    q.raw, raws, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=None
                )
                for raw, r, j in hits:
                    if len(raw) >= FUZZY_MIN_LEN:
                        offer(positions[j], q, (r - 60) / 40, f"typo {r:.0f}")
            for j, raw in enumerate(raws):
                if raw != q.raw and (raw in q.raw or q.raw in raw):
                    s, how = similarity(q, self.words[positions[j]])
                    offer(positions[j], q, s, how)
        return best

    def present_terms(
        self, query: list[Token], concept_ids=None
    ) -> dict[str, list[tuple[float, Term, list]]]:
        """Concept → its terms present in the question (or text), as (recall, term, pairs)."""
        best = self.meets(query, concept_ids)
        none = (None, 0.0, "")
        found: dict[str, list[tuple[float, Term, list]]] = defaultdict(list)
        for term in (
            self.terms
            if concept_ids is None
            else (t for t in self.terms if t.concept_id in concept_ids)
        ):
            pairs = [
                (m[0], tok, m[1], m[2])
                for tok in term.tokens
                for m in [best.get(self.position[tok], none)]
            ]
            recall = sum(w * p[2] for w, p in zip(term.weights, pairs, strict=True)) / sum(
                term.weights
            )
            if recall >= PRESENT_MIN:
                found[term.concept_id].append((recall, term, pairs))
        return found

    def _matches(
        self, present: dict, content: dict[str, float], boost: dict[str, float]
    ) -> list[Match]:
        return [
            self._match(cid, present.get(cid, []), content, boost.get(cid, 0.0))
            for cid in set(present) | set(boost)
        ]

    def _match(self, cid: str, present: list, content: dict[str, float], fts: float) -> Match:
        explained = dict.fromkeys(content, 0.0)
        for _, _, pairs in present:
            for q, _, s, _ in pairs:
                for word in q.words if q is not None else ():
                    if word in explained:
                        explained[word] = max(explained[word], s)
        total = sum(content.values())
        precision = (
            sum(w * explained[word] for word, w in content.items()) / total if total else 0.0
        )
        recall, term, pairs = max(
            present, key=lambda p: (p[0], len(p[1].tokens)), default=(0.0, None, [])
        )
        f = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
        score = min(100.0, 100 * f * (1 - FTS_WEIGHT / 100) + FTS_WEIGHT * fts)
        shares = {w: content[w] / total for w, s in explained.items() if s >= EXPLAINS and total}
        return Match(cid, round(score, 1), _explain(term, pairs, fts), shares, recall)


def _explain(term: Term | None, pairs: list, fts: float) -> str:
    parts = []
    if term is not None:
        how = [
            f"{p[0].raw!r}~{p[1].raw!r} ({p[3]})"
            if p[3] != "stem" or p[0].raw != p[1].raw
            else repr(p[0].raw)
            for p in pairs
            if p[0] is not None and p[2] > 0
        ]
        parts.append(f"{term.field} {term.text!r}: " + ", ".join(how))
    if fts:
        parts.append(f"full text of claims {fts:.2f}")
    return "; ".join(parts)


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
        self.concepts = defaultdict(set)
        for link in links:
            self.concepts[link["claim_id"]].add(link["concept_id"])
        self.df = Counter(s for d in self.docs.values() for s in d)
        self.idf = {s: math.log(1 + len(self.docs) / n) for s, n in self.df.items()}

    def share(self, stem_: str) -> float:
        """Share of the claims that contain a stem."""
        return self.df.get(stem_, 0) / len(self.docs) if self.docs else 0.0

    def concept_scores(self, content: list[Token]) -> dict[str, float]:
        """Concept → 0–1: the share of the question's weight that its best claim contains."""
        if not content or not self.docs:
            return {}
        weights = [max((self.idf.get(s, 0.0) for s in q.stems), default=0.0) for q in content]
        total = sum(weights) or 1.0
        out: dict[str, float] = {}
        for cid, stems in self.docs.items():
            got = sum(w for w, q in zip(weights, content, strict=True) if q.stems & stems) / total
            for concept in self.concepts.get(cid, ()):
                out[concept] = max(out.get(concept, 0.0), got)
        return {k: v for k, v in out.items() if v > 0}


def choose(matches: list[Match], broader: dict[str, str | None] | None = None) -> list[Match]:
    """The best concept, plus any that match (almost) as well and explain more of the question.

    A question about two things ("kontaktperson og samlokalisering") gets both. Of a concept and its
    narrower one, only one answers: the narrower when it qualifies as a second concept ("leisure
    jobs for young people" is about leisure jobs, not children's wellbeing at large).
    """
    if not matches or matches[0].score < ANSWER_MIN:
        return []
    broader = broader or {}
    chosen: list[Match] = []
    for m in matches:
        if chosen and m.score < SECOND_RATIO * chosen[0].score:
            break
        if not chosen or m.score >= NEAR_TIE * chosen[0].score:
            chosen.append(m)
            continue
        covered = set().union(*(c.explained for c in chosen))
        gain = sum(share for w, share in m.explained.items() if w not in covered)
        if m.recall < SECOND_RECALL or gain < SECOND_GAIN:
            continue
        wider = [c for c in chosen if broader.get(m.concept_id) == c.concept_id]
        if wider:  # the narrower concept answers instead of its broader one
            chosen = [m if c is wider[0] else c for c in chosen]
        elif not any(broader.get(c.concept_id) == m.concept_id for c in chosen):
            chosen.append(m)
    return chosen
