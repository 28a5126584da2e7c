"""Words: how questions, thesaurus terms, claims and findings are cut into words, and how two words
meet (steps 1 and 2 of evidence.answer.resolve).

A `Token` is a word with its Snowball stems (Danish and English). `similarity` says how well a
question's word meets a term's word: the same stem, within typing distance (rapidfuzz ratio ≥ 80,
five letters or more: "kontaktpersn"), or one a compound part of the other ("netværksmøder" ⊃
"møder").

`WordIndex` holds every distinct word of the thesaurus once, with what finds a word's partners
without comparing every pair: the words by stem, the typo-able vocabulary for rapidfuzz's C loop,
and the prefixes and suffixes a compound can share. `offers` gives, for one word, what
`similarity` gives against every thesaurus word that it meets at all. The thesaurus's vocabulary
stays small as the review grows (1,750 words at the real size and at 100×); what grows is how
many terms use each word.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from evidence.answer.stopwords import SOFT_WORDS, STOPWORDS
from evidence.search_text import stem_da, stem_en

FUZZY_MIN = 80  # rapidfuzz ratio for a typo
FUZZY_MIN_LEN = 5  # shorter words must share a stem: "lov" is not "lo"
COMPOUND_MIN_LEN = 5
RING = "\u030a"  # the ring of å, kept when other accents are dropped


@lru_cache(maxsize=50_000)
def stem(word: str, lang: str) -> str:
    """The Snowball stem of one word (the stemmers the site's full-text search uses)."""
    return (stem_da if lang == "da" else stem_en)(word) or word


@lru_cache(maxsize=4096)
def _is_accent(char: str) -> bool:
    return unicodedata.category(char) == "Mn" and char != RING


NOT = re.compile(r"n[’']t\b")  # "doesn't", "don't", "isn't"
CONTRACTION = re.compile(r"[’'](?:re|ve|ll|m|d)\b")  # "we're", "they've", "I'm"


def normalise(text: str) -> str:
    """Lower case, quotes and punctuation to spaces; æ, ø, å kept; other accents dropped (é → e);
    English contractions read: "doesn't" → "does not", "we're" → "we" (no "re" left to search)."""
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    text = CONTRACTION.sub(" ", NOT.sub(" not", text))
    accents = {ord(c): None for c in set(text) if _is_accent(c)}
    text = unicodedata.normalize("NFC", text.translate(accents) if accents else text)
    return re.sub(r"[^\wæøå]+", " ", text.replace("'s ", " ").replace("’s ", " ")).strip()


def tokens(text: str, keep_soft: bool = True) -> list[str]:
    """Content words; all words when nothing else is left ("os og dem")."""
    words = [w for w in normalise(text).split() if not w.isdigit()]
    content = [w for w in words if w not in STOPWORDS and (keep_soft or w not in SOFT_WORDS)]
    return content or (
        [w for w in words if keep_soft or w not in SOFT_WORDS] if len(words) <= 4 else []
    )


def all_words(text: str) -> list[str]:
    return [w for w in normalise(text).split() if not w.isdigit()]


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
    return _token(word, tuple(langs)) if not parts else _new_token(word, langs, parts)


@lru_cache(maxsize=100_000)
def _token(word: str, langs: tuple[str, ...]) -> Token:
    return _new_token(word, langs)


def _new_token(word: str, langs, parts: tuple[str, ...] = ()) -> Token:
    if word in STOPWORDS:
        return Token(word, frozenset({word}), parts, stop=True)
    return Token(word, frozenset({word} | {stem(word, lang) for lang in langs}), parts)


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


Offer = tuple[int, float, str]  # (position of a thesaurus word, 0–1, how)


class WordIndex:
    """Every distinct thesaurus word once (`words`, numbered by position), found fast."""

    def __init__(self, words):
        self.words: list[Token] = list(dict.fromkeys(words))
        self.position = {tok: i for i, tok in enumerate(self.words)}
        self.by_stem: dict[str, list[int]] = defaultdict(list)  # stopwords too: "med", "uden"
        self.by_raw: dict[str, list[int]] = defaultdict(list)  # content words only
        for i, tok in enumerate(self.words):
            for s in tok.stems:
                self.by_stem[s].append(i)
            if not tok.stop:
                self.by_raw[tok.raw].append(i)
        self.typo_raws = [r for r in self.by_raw if len(r) >= FUZZY_MIN_LEN]
        # a longer word that starts or ends with a given one: the compounds it is part of
        self.starting: dict[str, list[str]] = defaultdict(list)
        self.ending: dict[str, list[str]] = defaultdict(list)
        for r in self.by_raw:
            for k in range(COMPOUND_MIN_LEN, len(r)):
                self.starting[r[:k]].append(r)
                self.ending[r[-k:]].append(r)

    def offers(self, q: Token) -> list[Offer]:
        """What `similarity(q, word)` gives for every thesaurus word it meets at all (above 0): by
        stem, then as a typo, then as a compound, in the order a best-of fold must see them."""
        found: list[Offer] = [(i, 1.0, "stem") for s in q.stems for i in self.by_stem.get(s, ())]
        if q.stop or len(q.raw) < COMPOUND_MIN_LEN:
            return found
        if len(q.raw) >= FUZZY_MIN_LEN:
            hits = process.extract(
                q.raw, self.typo_raws, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=None
            )
            for raw, r, _ in hits:
                found += [(i, (r - 60) / 40, f"typo {r:.0f}") for i in self.by_raw[raw]]
        for raw in self.compound_partners(q.raw):
            for i in self.by_raw[raw]:
                s, how = similarity(q, self.words[i])
                if s > 0:
                    found.append((i, s, how))
        return found

    def compound_partners(self, raw: str) -> set[str]:
        """Thesaurus words that start or end `raw`, or that `raw` starts or ends (five letters or
        more in common): the only pairs `similarity` can call a compound. Any other pair where one
        word is inside the other meets by stem or as a typo, which `offers` has found already."""
        inside = {raw[:k] for k in range(COMPOUND_MIN_LEN, len(raw))}
        inside |= {raw[-k:] for k in range(COMPOUND_MIN_LEN, len(raw))}
        return {r for r in inside if r in self.by_raw} | {
            *self.starting.get(raw, ()),
            *self.ending.get(raw, ()),
        }
