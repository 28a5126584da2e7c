"""What resolving a question yields: the thesaurus's terms, the concepts a question matches, and
how each match is explained to a reader (`Match.matched`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from evidence.answer.words import Token


@dataclass
class Term:
    concept_id: str
    field: str
    text: str
    tokens: list[Token]
    weights: list[float] = dataclasses.field(
        default_factory=list
    )  # of its tokens, set by ConceptIndex
    positions: tuple[int, ...] = ()  # of its tokens in ConceptIndex.words, set by ConceptIndex


@dataclass
class Match:
    """A concept a question touches. `explained`: question word → its share of the question's
    weight, for the words the concept's terms meet; `recall`: how wholly its best term is there."""

    concept_id: str
    score: float
    matched: str
    explained: dict[str, float] = dataclasses.field(default_factory=dict)
    recall: float = 0.0
    why: tuple = dataclasses.field(
        default=(), repr=False, compare=False
    )  # what `matched` is written from


def explain(term: Term | None, pairs: list, fts: float) -> str:
    """`Match.matched`: the concept's best term and how its words met the question's."""
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
