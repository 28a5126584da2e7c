"""Step 5 of answering: which of the scored concepts answer the question (evidence.answer.resolve)."""

from __future__ import annotations

from evidence.answer.matches import Match
from evidence.answer.resolve import ANSWER_MIN

SECOND_RATIO = 0.8  # a second concept must score this share of the best, and
NEAR_TIE = 0.99  # either tie with it,
SECOND_RECALL = 0.9  # or have a term wholly in the question
SECOND_GAIN = 0.25  # that explains this share of the question the chosen ones do not


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
