"""Read Cabi's practitioner handbook (`EVIDENCE_HANDBOOK`), which data/handbook_advice.csv quotes.

The text was converted from the PDF line by line, and the typesetting's hyphenation stayed in it:
"tvær-" at a line's end, "faglig" at the next line's start. The review's paragraphs are re-joined
across page breaks ("fremhæ-" + "ver", evidence.extract.source); the handbook's lines are joined
the same way here, so a quote reads "tværfaglig", "placeres", "drøftede". A hyphen before "og",
"eller" and the like is kept: it is a Danish suspended compound ("sundheds- og socialområdet").
Nothing else is changed.
"""

from __future__ import annotations

import re
from pathlib import Path

from evidence.extract.source import normalise_space

# after a suspended compound's hyphen comes a conjunction, never the rest of a word
CONJUNCTIONS = ("og", "eller", "samt", "som", "til", "end")
LINE_BREAK_HYPHEN = re.compile(
    r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?!(?:" + "|".join(CONJUNCTIONS) + r")\b)(?=[a-zæøå])"
)
SPACED_HYPHEN = re.compile(  # the same, once whitespace is collapsed (a quote: "tvær- faglig")
    r"(?<=[^\W\d_])- (?!(?:" + "|".join(CONJUNCTIONS) + r")\b)(?=[a-zæøå])"
)


def join_hyphenated_lines(text: str) -> str:
    """`text` with each word hyphenated over a line break joined: "tvær-\\nfaglig" → "tværfaglig"."""
    return LINE_BREAK_HYPHEN.sub("", text)


def join_hyphenated_quote(quote: str) -> str:
    """A quote copied with its line breaks collapsed to spaces ("tvær- faglig"), joined the same way."""
    return SPACED_HYPHEN.sub("", quote)


def load_handbook(path: Path | str) -> str:
    """The handbook's text with its hyphenated line breaks joined and whitespace collapsed: what
    every quote of data/handbook_advice.csv is verbatim in."""
    text = Path(path).read_text(encoding="utf-8")
    return normalise_space(join_hyphenated_lines(text))
