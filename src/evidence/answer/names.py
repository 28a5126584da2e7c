"""Named things a question asks about that the review never names: "Housing First", "Signs of
Safety", "Open Dialogue".

A name is a run of two to four capitalised words in the question as typed ("Housing First teams",
"Signs of Safety": small linking words allowed inside); a question of more than four words typed
in title case has none. Its words may each be common and held by
passages ("housing" stems to "hous", as "household" does), so word by word the question looks
covered. When no passage holds the name's words next to each other, the name is one unknown
word of the question, weighing `NAMED_WEIGHT`, and its words leave the query: the coverage
decision (evidence.answer.coverage) then reads the question as asking about something the review
does not speak to.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from evidence.answer.analyse import is_content
from evidence.answer.bm25 import BM25Index, QueryWord
from evidence.answer.words import normalise

CAPITAL = r"[A-ZÆØÅ][\w'’-]*"
LINK = r"(?:of|for|the|af|i|på|de|del)"  # not "og", "and": they join two things
NAME = re.compile(rf"\b{CAPITAL}(?:\s+(?:{LINK}\s+)?{CAPITAL})+")
NAMED_WEIGHT = 9.0  # idf units: as heavy as an unknown word of Zipf 2 (evidence.answer.retrieve)
CANDIDATES = 200  # passages read for the name; beyond that many holding its words, it is there
NAME_WORDS = 4  # a name has two to four content words ("Maslach Burnout Inventory")
TITLE_CASE = 0.5  # a question with more than this share of capitalised words is title-cased


def absent_names(
    question: str, query: list[QueryWord], bm25: BM25Index, text_of: Callable[[int], str]
) -> list[QueryWord]:
    """`query` with each name of `question` that no passage holds (see the module) as one
    unknown QueryWord in place of its words. `text_of(i)`: passage i's indexed text. A question
    of more than `NAME_WORDS` words typed in title case ("Fælles Handleplan og Kontaktperson i
    Familieafdelingen") has no names: its capitals are its style."""
    words = re.findall(r"[^\W\d_][\w'’-]*", question)
    if len(words) > NAME_WORDS and sum(w[0].isupper() for w in words) > TITLE_CASE * len(words):
        return query  # a short query all in capitals ("Housing First") may be the name itself
    by_word = {q.word: q for q in query}
    for m in NAME.finditer(question):
        ws = normalise(m.group(0)).split()
        while ws and not is_content(ws[0]):  # "Has the Open Dialogue": the name is the last two
            ws.pop(0)
        while ws and not is_content(ws[-1]):
            ws.pop()
        phrase, content = " ".join(ws), [w for w in ws if is_content(w)]
        if not 2 <= len(content) <= NAME_WORDS or not all(w in by_word for w in content):
            continue  # "Which Danish Studies": facet and framing words, not a name
        if _held(phrase, [by_word[w] for w in content], bm25, text_of):
            continue
        query = [q for q in query if q.word not in content]
        query.append(QueryWord(phrase, (), NAMED_WEIGHT, "unknown"))
    return query


def _held(phrase: str, words: list[QueryWord], bm25: BM25Index, text_of) -> bool:
    """Does a passage hold the phrase's words next to each other?"""
    docs: set[int] | None = None
    for q in words:
        held = {i for t in q.terms for i, _ in bm25.postings.get(t, ())}
        docs = held if docs is None else docs & held
    if not docs:
        return False
    if len(docs) > CANDIDATES:
        return True
    rx = re.compile(r"\b" + r"\W+".join(map(re.escape, phrase.split())) + r"\b", re.IGNORECASE)
    return any(rx.search(text_of(i)) for i in docs)
