"""Question → studies, through the passages that answer it: analyse → index → score → select.

1. **Facets** (evidence.answer.facets): country, design and years become filters and leave the
   text; service-area and direction words stay in it.
2. **Question words** (evidence.answer.index): each content word with its stems, compound
   parts, typo or unknown weight (see there). A name the review never uses, "Housing First", is
   one unknown word (evidence.answer.names). The claims are indexed with their section's title.
3. **Score**: BM25 (evidence.answer.bm25) over every passage (evidence.answer.passages); its
   best passages re-scored by their likeness to the question as a whole (evidence.answer.semantic),
   except where every claim above `RATIO` of the best counts (below), which reads BM25's spread.
4. **Covered or not** (evidence.answer.coverage): a logistic regression, fitted on the dev split,
   on how much of the question's weight the best passage holds, how much lies on words the review
   never uses, and whether the heaviest word is in the best passages; below its threshold the
   answer is `not_covered` with no study (the nearest topics are suggested instead).
5. **Select**, among the passages that speak for a study of the countries, designs and years
   asked for (ranked within them, with the thresholds of the best passage of all): the best
   claim, and the claims scoring `RATIO` of it or more (at most `MAX_CLAIMS`), if they share a concept with the best one or score `FREE` of it; a Bilag 2
   finding adds its study when it scores as high as the best passage, and otherwise strengthens
   a study already chosen. A precise thesaurus match (evidence.answer.resolve, score ≥
   `PRECISE`) adds every study the review cites for that concept.
   A direction ("hvad fremmer …", "what hinders …") weighs the passages whose coding points the
   other way at `OPPOSED_WEIGHT`; with nothing else to say what about, every claim above `RATIO`
   of the best counts, on any concept.
6. **Filter**: service areas and a scene-setting country ("en dansk kommune"); an area only
   when the best passage does not itself use the word, and neither when it would leave nothing.
   "Både X og Y" / "both X and Y" asks for the overlap.

The constants were set on the development split of tests/questions_dev.yml only; the test split
is never used to set them (bench/quality.py reports both).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

import numpy as np

from evidence.answer import coverage, semantic
from evidence.answer.bm25 import QueryWord, best_of
from evidence.answer.directions import is_direction, is_whom
from evidence.answer.facets import Facets, is_area_compound, read_facets
from evidence.answer.index import FRAMING_SHARE, PassageIndex
from evidence.answer.names import absent_names
from evidence.answer.passages import Passage

RATIO = 0.5  # a claim within this share of the best claim's score is part of the answer
MAX_CLAIMS = 6
FREE = 0.8  # a claim on other concepts than the best one's must score this share of it
FINDING_WEIGHT = 0.8  # a Bilag 2 finding's score counts this much against the claims'
ANCHOR_TOP = 3  # the passages the question's heaviest word is looked for in (coverage)
PRECISE = 90.0
RANK_MAX = 500  # passages read in order of score (selection stops long before)
DIRECTION_WORD_WEIGHT = 0.5  # a direction word's weight as a share of its idf
OPPOSED_WEIGHT = 0.5  # a passage pointing against the question's direction, as a share
AREA_KEEP = 0.5  # an area word not asked for filters only an answer it keeps this share of
WHO_WEIGHT = 1.5  # chapter 7 (6) against chapter 6 (7) for a question about staff (citizens)
# two topics: "både X og Y", "both X and Y" ask for their overlap; "X, og om Y", "X, and what about
# Y" asks two questions at once: their union. ("How does X relate to Y" and "hvordan hænger X og Y
# sammen" read as an overlap lost F1 on the dev split, so they are read as one topic.)
BOTH = re.compile(r"\b(?:both|både)\b(.+?)\b(?:and|og)\b(.+)", re.IGNORECASE)
ALSO = re.compile(
    r"^(.{12,}?),?\s+(?:og|and)\s+((?:(?:hvad|what)\s+)?(?:om|about|hvad|what|how|hvordan)\b.{8,})$",
    re.IGNORECASE,
)


@dataclass
class Retrieval:
    """What retrieval found. `studies`: ref → score (best first); `passages`: ref → the passages
    that speak for it with their scores; `boxes`: matched "Centrale fund" bullets; `coverage`:
    "covered" | "not_covered" | "facets_only"; `cover`, `signals`, `probability`: step 4;
    `beyond`: ref → score of the studies a facets-only answer's area words find in passages whose
    Bilag 2 service area is another (kept apart: `studies` are exactly the filter's)."""

    question: str
    facets: Facets
    query: list[QueryWord] = field(default_factory=list)
    studies: dict[int, float] = field(default_factory=dict)
    passages: dict[int, list[tuple[Passage, float]]] = field(default_factory=dict)
    boxes: list[tuple[Passage, float]] = field(default_factory=list)
    coverage: str = "not_covered"
    cover: float = 0.0
    signals: dict[str, float] = field(default_factory=dict)  # evidence.answer.coverage's
    probability: float | None = None  # evidence.answer.coverage.probability of the signals
    concepts: list[str] = field(default_factory=list)  # of the chosen claims, most weight first
    beyond: dict[int, float] = field(default_factory=dict)


def retrieve(
    index: PassageIndex,
    question: str,
    precise: list[str] | None = None,
    facets: Facets | None = None,
) -> Retrieval:
    """The studies and passages that answer `question`. `precise`: concept ids the thesaurus
    resolver matched at `PRECISE` or more, whose whole evidence joins the answer; `facets`: the
    question's, when the caller has read them already (`read_facets(question)`; retrieval may
    change them). A question of two topics (BOTH, ALSO) is answered per topic, then as their
    overlap or union."""
    both, also = BOTH.search(question), ALSO.search(question)
    if also and not _has_own_topic(index, also.group(2)):
        also = None  # "…, og hvad kan vi gøre ved det?": the second asks more of the first
    if both:
        head = question[: both.start()]
        a = _retrieve_one(index, head + both.group(1), precise, broad=True)
        b = _retrieve_one(index, head + both.group(2), precise, broad=True)
        joined = [r for r in a.studies if r in b.studies]
    elif also:
        a = _retrieve_one(index, also.group(1), precise)
        b = _retrieve_one(index, also.group(2), precise)
        joined = list(dict.fromkeys([*a.studies, *b.studies]))
    if (both or also) and joined and a.coverage == b.coverage == "covered":
        a.studies = {r: a.studies.get(r, 0.0) + b.studies.get(r, 0.0) for r in joined}
        a.passages = {r: a.passages.get(r, []) + b.passages.get(r, []) for r in joined}
        a.concepts = list(dict.fromkeys([*a.concepts, *b.concepts]))
        a.question = question
        return a
    return _retrieve_one(index, question, precise, facets=facets)


def _has_own_topic(index: PassageIndex, text: str) -> bool:
    """Does the second question of "X, og om Y" say what about on its own (a topic beyond
    direction and whom, "om fælles tværfaglige møder hjælper" has none in the review's terms)?"""
    query = _question_words(index, text, read_facets(text))
    return _has_topic(index, query, lambda w: is_direction(w) or is_whom(w))


def _retrieve_one(
    index: PassageIndex,
    question: str,
    precise: list[str] | None,
    broad: bool = False,
    facets: Facets | None = None,
) -> Retrieval:
    facets = facets or read_facets(question)
    out = Retrieval(question, facets, _question_words(index, question, facets))
    rest = index.query_words(facets.topic(without_areas=True, without_direction=True))
    # nothing but facets, or facets and words of no weight ("studies published before 2013") or
    # the words most passages of the review use ("tværfagligt samarbejde i psykiatrien i Norge");
    # "virkningerne for medarbejderne" is a topic (§7), though many passages hold each word
    if facets.applied() and not _has_topic(index, rest):
        return _facets_only(index, out)
    # "what hinders collaboration for staff": a direction and nothing else to say what about asks
    # for every passage that points that way, not the few of the best one's concept
    diffuse = facets.steers is not None and not _has_topic(
        index, out.query, lambda w: is_direction(w) or is_whom(w)
    )
    return _search(index, out, precise, broad or diffuse, aligned=diffuse)


def _question_words(index: PassageIndex, question: str, facets: Facets) -> list[QueryWord]:
    """The topic's words (PassageIndex.query_words), with names the review never uses as one
    unknown word, an area word no passage holds ("adolescent") left to its facet, and, under a
    direction, direction words at `DIRECTION_WORD_WEIGHT` ("hinders" steers by stance; as a word
    it would pick its few passages)."""
    query = absent_names(
        question, index.query_words(facets.topic()), index.bm25, lambda i: index.passages[i].indexed
    )
    named = {w for ws in facets.area_words.values() for phrase in ws for w in phrase.split()}
    query = [  # an area word no passage holds is left to its facet, never read as a typo;
        q  # a compound of one ("skolefravær") is a topic of its own, and stays
        for q in query
        if not (
            q.word in named
            and (q.how == "unknown" or q.how.startswith("typo"))
            and not (q.how == "unknown" and is_area_compound(q.word))
        )
    ]
    if facets.steers:
        query = [
            replace(q, weight=q.weight * DIRECTION_WORD_WEIGHT) if is_direction(q.word) else q
            for q in query
        ]
    return query


def _has_topic(index: PassageIndex, query: list[QueryWord], ignore=lambda word: False) -> bool:
    """Does the query hold a word that says what about: one that weighs, is no relation term
    ("om samarbejde" is made of framing words), is not held by `FRAMING_SHARE` of the passages,
    and is not one `ignore` names?"""
    return any(
        q.weight
        and q.how != "relation"
        and not ignore(q.word)
        and not index.generic(q, FRAMING_SHARE)
        for q in query
    )


def _search(
    index: PassageIndex,
    out: Retrieval,
    precise: list[str] | None,
    broad: bool = False,
    aligned: bool = False,
) -> Retrieval:
    """Steps 3–6 for a question whose words and facets are read; `broad`: every claim above
    `RATIO` of the best (one topic of an overlap, "both X and Y"); `aligned`: only passages that
    point the question's way count (a direction and no topic: "what hinders … for staff")."""
    facets = out.facets
    if not out.query:  # nothing but function words ("os og dem"): a precise concept, if any
        if precise:
            out.coverage = "covered"
            chosen: dict[int, float] = {}
            _add_concepts(index, chosen, precise, 1.0)
            _collect(index, out, chosen)
        return out
    scores, per_word = index.bm25.score(out.query)
    if not scores.any():
        return out
    if not broad:  # "every claim above half the best" reads BM25's own spread
        scores = semantic.rerank(scores, index.vectors, out.question)
    _weigh_chapters(index, scores, facets.who)
    scores = _steer(index, scores, facets.steers, aligned)
    order = best_of(scores, RANK_MAX)
    ranked = list(zip(order.tolist(), scores[order].tolist(), strict=True))
    best_i, best = ranked[0]
    out.signals = coverage.signals(out.query, per_word, [i for i, _ in ranked[:ANCHOR_TOP]])
    out.cover = out.signals["cover"]
    out.probability = coverage.probability(out.signals)
    if out.probability < coverage.THRESHOLD:  # the nearest topics: the best passages' concepts
        near = [c for i, _ in ranked[:5] for c in sorted(index.passages[i].concepts)]
        out.concepts = list(dict.fromkeys(near))
        return out
    out.coverage = "covered"
    cbest = next((s for i, s in ranked if index.passages[i].kind == "claim"), best)
    ranked = _within_facets(index, facets, ranked)
    if not ranked:  # the review speaks to the topic, but for no study within the facets
        return out
    chosen = _select(index, ranked, best, cbest, broad)
    if precise:
        _add_concepts(index, chosen, precise, 0.5 * best)
    _collect(index, out, chosen)
    _filter(index, out, best_i)
    return out


def _facets_only(index: PassageIndex, out: Retrieval) -> Retrieval:
    """A question of nothing but facets ("psykiatri", "which studies are from Norway"): the
    studies with those facets, exactly as /api/studies filters them; for an area named in words
    the review uses ("school"), the passages that cite them for it, and, kept apart in `beyond`,
    the studies those passages cite whose Bilag 2 service area is another (within the other
    facets): "psykiatri" is the 15 psychiatry studies, and 712 and 907 beyond."""
    f = out.facets
    out.studies = {r: 0.0 for r, s in sorted(index.studies.items()) if f.keep(s)}
    out.coverage = "facets_only"
    if out.query:  # the area words as a topic, within the other facets
        topic = Retrieval(out.question, read_facets(out.question), out.query)
        topic.facets.area_words, topic.facets.service_areas = {}, []
        topical = _search(index, topic, None)
        for r, score in topical.studies.items():
            if _keep_but_areas(f, index.studies[r]):
                f.areas_as_topic = True
                kept = out.studies if r in out.studies else out.beyond
                kept[r] = max(kept.get(r, 0.0), score)
                out.passages[r] = topical.passages.get(r, [])
        out.concepts = topical.concepts  # what those passages' stances are on
        # the studies whose passages speak of the area's words first, then the rest by number
        out.studies = dict(sorted(out.studies.items(), key=lambda kv: (-kv[1], kv[0])))
        out.beyond = dict(sorted(out.beyond.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def _keep_but_areas(f: Facets, study: dict) -> bool:
    return replace(f, service_areas=[]).keep(study)


def _steer(index: PassageIndex, scores: np.ndarray, direction: str | None, aligned: bool):
    """A passage that finds what hinders weighs less under "hvad fremmer …"; `aligned`: only the
    passages that point the question's way count, when any does."""
    if not direction:
        return scores
    wanted = 1 if direction == "positive" else -1
    scores[index.direction == -wanted] *= OPPOSED_WEIGHT
    pointing = np.where(index.direction == wanted, scores, 0.0)
    return pointing if aligned and pointing.any() else scores


def _weigh_chapters(index: PassageIndex, scores: np.ndarray, who: str | None) -> None:
    """A question about staff only weighs chapter 7 (effects on staff) up and chapter 6 (effects
    on citizens) down, and the other way round: "medarbejdernes trivsel" is not the citizens'."""
    if who is None:
        return
    up, down = ("7", "6") if who == "staff" else ("6", "7")
    scores[index.in_chapter[up]] *= WHO_WEIGHT
    scores[index.in_chapter[down]] /= WHO_WEIGHT


def _select(
    index: PassageIndex,
    ranked: list[tuple[int, float]],
    best: float,
    cbest: float,
    broad: bool = False,
) -> dict[int, float]:
    """passage position → score, for the passages that make the answer (step 5). `best`,
    `cbest`: the scores of the best passage and the best claim before the facets applied;
    `broad`: every claim above `RATIO` of the best, on any concept."""
    chosen: dict[int, float] = {}
    claims = (pair for pair in ranked if index.passages[pair[0]].kind == "claim")  # read lazily
    first = next(claims, None)
    if first:
        top = index.passages[first[0]].concepts
        for i, s in itertools.chain([first], claims):
            if s < RATIO * cbest or (len(chosen) >= MAX_CLAIMS and not broad):
                break
            if chosen and not broad and not index.passages[i].concepts & top and s < FREE * cbest:
                continue
            chosen[i] = s
    refs = {r for i in chosen for r in index.passages[i].refs}
    for i, s in ranked:
        p = index.passages[i]
        if s * FINDING_WEIGHT < RATIO * best:
            break
        if p.kind == "box" or (p.kind == "finding" and (p.refs[0] in refs or s >= best)):
            chosen[i] = s
    return chosen


def _add_concepts(index: PassageIndex, chosen: dict, concepts: list[str], score: float) -> None:
    for c in concepts:
        for i in index.claims_of.get(c, ()):
            chosen.setdefault(i, score)


def _collect(index: PassageIndex, out: Retrieval, chosen: dict[int, float]) -> None:
    weight: dict[str, float] = defaultdict(float)
    for i, s in sorted(chosen.items(), key=lambda kv: -kv[1]):
        p = index.passages[i]
        if p.kind == "box":
            out.boxes.append((p, s))
        for ref in p.refs:
            out.studies[ref] = max(out.studies.get(ref, 0.0), s)
            out.passages.setdefault(ref, []).append((p, s))
        for c in sorted(p.concepts):  # a frozenset: its order changes with the hash seed
            weight[c] += s
    out.studies = dict(sorted(out.studies.items(), key=lambda kv: (-kv[1], kv[0])))
    out.concepts = sorted(weight, key=lambda c: (-weight[c], c))  # ties by id: every run alike


def _within_facets(
    index: PassageIndex, f: Facets, ranked: list[tuple[int, float]]
) -> list[tuple[int, float]]:
    """The ranked passages that speak for a study of the countries, designs and years the
    question asks for (and the boxes, which cite none): the answer is ranked within those
    filters, not cut by them afterwards ("norske studier … gavn"), and of the service areas
    named beside a study word ("studier fra ældreområdet"). Other areas and a scene-setting
    country ("en dansk kommune") are applied after the selection (`_filter`): they set the
    scene more often than they filter."""
    g = replace(f, service_areas=f.asked_areas)
    if f.scene_countries:
        g.countries, g.nordic = [], False
    if not g.applied():
        return ranked
    passes: dict[int, bool] = {}  # ref → within the facets, worked out once per question

    def within(i: int) -> bool:
        p = index.passages[i]
        if p.kind == "box":
            return True
        for r in p.refs:
            if r not in passes:
                passes[r] = g.keep(index.studies[r])
            if passes[r]:
                return True
        return False

    kept = [(i, s) for i, s in ranked if within(i)]
    return kept if any(index.passages[i].refs for i, _ in kept) else []


def _filter(index: PassageIndex, out: Retrieval, best_i: int) -> None:
    f, best_terms = out.facets, index.terms_of[best_i]
    f.service_areas = f.asked_areas + [
        a
        for a, ws in f.area_words.items()
        if a not in f.asked_areas and not any(set(index.analyser.terms(w)) & best_terms for w in ws)
    ]
    kept = {r: s for r, s in out.studies.items() if f.keep(index.studies[r])}
    # an area not asked for that would leave less than AREA_KEEP of the answer set the scene
    # ("our job centre caseworkers … under one roof" asks about co-location, not employment)
    if len(kept) < AREA_KEEP * len(out.studies) and f.service_areas != f.asked_areas:
        f.service_areas = list(f.asked_areas)
        kept = {r: s for r, s in out.studies.items() if f.keep(index.studies[r])}
    if not kept and f.scene_countries:  # so was "en dansk kommune", not "danske studier"
        f.countries, f.nordic = [], False
        kept = {r: s for r, s in out.studies.items() if f.keep(index.studies[r])}
    out.studies = kept
    out.passages = {r: ps for r, ps in out.passages.items() if r in kept}
