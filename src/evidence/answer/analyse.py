"""Analyse text into index terms: the first stage of passage retrieval (evidence.answer.retrieve).

A word becomes its Danish and its English Snowball stem (the stemmers the site's full-text search
uses), so "kontaktpersoner" and "kontaktperson", "meetings" and "meeting" meet. A Danish compound
also gives its parts when both are words of the indexed text ("forældresamarbejde" →
"forældre" + "samarbejde", with or without the linking -s-/-e-), so an everyday compound finds
the review's separate words and the other way round. Stopwords are dropped; negations ("ikke",
"uden", "not") are content and stay (evidence.answer.stopwords).
"""

from __future__ import annotations

from evidence.answer.stopwords import NEGATIONS, OPERATORS, STOPWORDS
from evidence.answer.words import normalise, stem

MIN_PART = 4  # letters in the shortest compound part: "møde", "plan", "børn"
# Prepositions that turn a topic around ("møder med / uden / om borgeren", "meetings with /
# without / about the family"): stopwords alone, so each also makes a term with its neighbours.
RELATIONS = frozenset(["med", "uden", "om", "with", "without", "about"])
ARTICLES = frozenset(["the", "a", "an", "den", "det", "de", "en", "et"])
# Danish suffixes that are words too: "hjemløse" (homeless) is no "hjem" + "løse" (solve), as
# "homeless" is no home + less; "røgfri" no "røg" + "fri"
SUFFIX_TAILS = frozenset(["løs", "løse", "løst", "fri", "frie", "frit"])


def words(text: str) -> list[str]:
    """The words of `text`: lower case, æ/ø/å kept, other accents and punctuation dropped, no
    numbers. 'Tværfaglige møder (2022)' → ['tværfaglige', 'møder']."""
    return [w for w in normalise(text).split() if not w.isdigit()]


def is_content(word: str) -> bool:
    """Not a stopword, or a negation (which turns a question around and so is content); never a
    single letter ("e.g." and "f.eks." leave "e", "g", "f" behind)."""
    return len(word) > 1 and (word not in STOPWORDS or word in NEGATIONS)


def has_content_word(text: str) -> bool:
    """Does `text` hold a word that says what about: one that is no stopword, no negation and no
    search operator? 'AND OR NOT "" * NEAR(', "ikke", "with or without" hold none: a negation
    turns a topic around, and there is none to turn."""
    return any(is_content(w) and w not in NEGATIONS and w not in OPERATORS for w in words(text))


class Analyser:
    """Words to index terms. `vocabulary`: the terms of the indexed text, which decide what a
    compound may be split into; without one, nothing is split."""

    def __init__(self, vocabulary: frozenset[str] = frozenset()):
        self.vocabulary = vocabulary
        self._terms: dict[str, tuple[str, ...]] = {}
        self._parts: dict[str, tuple[str, ...]] = {}

    def word_terms(self, word: str) -> tuple[str, ...]:
        """The word's Danish and English stems (one when they agree)."""
        got = self._terms.get(word)
        if got is None:
            got = self._terms[word] = tuple(dict.fromkeys((stem(word, "da"), stem(word, "en"))))
        return got

    def parts(self, word: str) -> tuple[str, ...]:
        """The two parts of a compound whose stems the vocabulary knows, first split that works
        from the left: 'kontaktpersonordning' → ('kontaktperson', 'ordning'); () otherwise."""
        got = self._parts.get(word)
        if got is None:
            got = self._parts[word] = self._split(word)
        return got

    def _split(self, word: str) -> tuple[str, ...]:
        if len(word) < 2 * MIN_PART or not self.vocabulary:
            return ()
        for i in range(MIN_PART, len(word) - MIN_PART + 1):
            head, tail = word[:i], word[i:]
            if tail in SUFFIX_TAILS:
                continue
            heads = [head] + ([head[:-1]] if head[-1] in "se" and i > MIN_PART else [])
            if stem(tail, "da") not in self.vocabulary:
                continue
            for h in heads:
                if stem(h, "da") in self.vocabulary:
                    return (h, tail)
        return ()

    def terms(self, text: str, split: bool = True) -> list[str]:
        """Every index term of `text`, in order, repeats kept (BM25 counts them), and a relation
        term for each content word next to a relation word ("mød+med", "med+borger")."""
        out: list[str] = []
        ws = [w for w in words(text) if w not in ARTICLES]
        for i, w in enumerate(ws):
            if w in RELATIONS:
                out += self.relation_terms(ws, i)
            if not is_content(w):
                continue
            out += self.word_terms(w)
            if split:
                for p in self.parts(w):
                    out += self.word_terms(p)
        return out

    def relation_terms(self, ws: list[str], i: int) -> list[str]:
        """The relation terms around the relation word ws[i] (Danish stems)."""
        out = []
        if i > 0 and is_content(ws[i - 1]) and ws[i - 1] not in RELATIONS:
            out.append(f"{stem(ws[i - 1], 'da')}+{ws[i]}")
        if i + 1 < len(ws) and is_content(ws[i + 1]) and ws[i + 1] not in RELATIONS:
            out.append(f"{ws[i]}+{stem(ws[i + 1], 'da')}")
        return out
