"""Danish and English stemming for full-text search, and safe FTS5 queries from user text.

The index (built by evidence.build.search) holds each searchable cell's text as written and,
hidden behind it, its stems: Danish text stemmed with Snowball's Danish stemmer, English text
with its English one. `fts_query` turns what a person types into an FTS5 expression that
matches each word as written, or its Danish stem, or its English stem, so "kontaktpersoner"
finds "kontaktperson", "samarbejdet" finds "samarbejde" and "studies" finds "study".

Words are what SQLite's `unicode61 remove_diacritics 0` tokenizer calls words (letters and
digits; æ, ø and å are letters of their own, so "rød" never matches "rod"). Everything else a
person types is treated as text, never as FTS syntax, with two exceptions that are safe because
the query is built here: `"a phrase"` in double quotes, and a trailing `*` for a prefix
(`kontakt*`). `OR` in capitals between two terms means either; all other terms must all match.
"""

from __future__ import annotations

import re
from functools import cache

import Stemmer

TOKENIZER = "unicode61 remove_diacritics 0"
MAX_TERMS = 32

WORD = re.compile(r"[^\W_]+")
PART = re.compile(r'"([^"]*)"?|(\S+)')


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def words(text: str | None) -> list[str]:
    """The lower-cased words of `text`, split as the FTS tokenizer splits them."""
    return WORD.findall((text or "").lower())


def stem_da(text: str | None) -> str:
    """Every word of `text` reduced to its Danish stem: 'kontaktpersonerne' -> 'kontaktperson'."""
    return " ".join(_stemmer("danish").stemWords(words(text)))


def stem_en(text: str | None) -> str:
    """Every word of `text` reduced to its English stem: 'studies' -> 'studi'."""
    return " ".join(_stemmer("english").stemWords(words(text)))


def _terms(user_text: str) -> list[tuple[list[str], bool] | str]:
    """Terms (words, prefix?) and the operator 'OR', in the order typed."""
    out: list[tuple[list[str], bool] | str] = []
    for m in PART.finditer(user_text or ""):
        phrase, bare = m.group(1), m.group(2)
        if bare == "OR":
            out.append("OR")
            continue
        ws = words(phrase if phrase is not None else bare)
        if ws:
            out.append((ws, phrase is None and bare.endswith("*")))
    return out


def _phrase(ws: list[str], prefix: bool) -> str:
    return '"' + " ".join(ws) + '"' + ("*" if prefix else "")


def _alternatives(ws: list[str], prefix: bool) -> list[str]:
    """The word(s) as typed, then as Danish and as English stems (a prefix is not stemmed)."""
    if prefix:
        return [_phrase(ws, True)]
    text = " ".join(ws)
    return list(
        dict.fromkeys(
            [
                _phrase(ws, False),
                _phrase(stem_da(text).split(), False),
                _phrase(stem_en(text).split(), False),
            ]
        )
    )


def term_count(user_text: str | None) -> int:
    """How many terms (words, phrases, prefixes) `fts_query` would read from the text."""
    return sum(1 for t in _terms(user_text or "") if t != "OR")


def fts_query(user_text: str | None) -> str:
    """An FTS5 MATCH expression for what a person typed; never an SQLite syntax error.

    'kontaktpersoner' -> '("kontaktpersoner" OR "kontaktperson")'. Text with no words at all
    gives '""', which matches nothing.
    """
    clauses: list[list[str]] = []  # each clause: alternatives, any of which may match
    pending_or = False
    for term in _terms(user_text or ""):
        if term == "OR":
            pending_or = bool(clauses)
            continue
        if len(clauses) >= MAX_TERMS:
            break
        alternatives = _alternatives(*term)
        if pending_or:
            clauses[-1] += [a for a in alternatives if a not in clauses[-1]]
        else:
            clauses.append(alternatives)
        pending_or = False
    if not clauses:
        return '""'
    return " AND ".join(c[0] if len(c) == 1 else "(" + " OR ".join(c) + ")" for c in clauses)
