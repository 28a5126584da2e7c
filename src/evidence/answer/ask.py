"""Answer a question from the evidence: which studies the review cites for what is asked.

`answer` resolves the question to concepts (evidence.answer.resolve: thesaurus terms, stemming, typo
tolerance, full text), then lists every included study the review cites for the chosen
concept(s) with its stance, the review's sentences (quoted verbatim, with section) and the
study's Bilag 2 findings that speak to the concept. When nothing matches well enough the answer
is empty and `suggestions` names the nearest concepts: a guess is never presented as an answer.
"""

from __future__ import annotations

import sqlite3

from evidence.answer.choose import choose
from evidence.answer.matches import Match
from evidence.answer.resolve import ConceptIndex
from evidence.read.database import Database
from evidence.read.lists import NotFound
from evidence.read.stances import studies_for_concepts, summarise

SUGGEST_MIN = 20.0  # nearest concepts shown when nothing matches
SUGGEST_MAX = 5
FINDING_MIN = 0.8  # share of a term's weight a Bilag 2 finding must contain to relate to it


def concept_index(db: Database) -> ConceptIndex:
    """The thesaurus index for the database's current build (cached until it is rebuilt)."""
    return db.cached("concept_index", _load_index)


def _load_index(conn: sqlite3.Connection) -> ConceptIndex:
    index = ConceptIndex(
        conn.execute("select * from concepts order by id").fetchall(),
        conn.execute("select claim_id, sentence_da, text_en from claims").fetchall(),
        conn.execute("select claim_id, concept_id from claim_concepts").fetchall(),
        [
            f"{r['text_da']} {r['text_en']}"
            for r in conn.execute("select text_da, text_en from findings")
        ],
    )
    return index


def resolve_concepts(db: Database, question: str) -> tuple[list[Match], list[Match]]:
    """(chosen concepts, every concept scoring `SUGGEST_MIN` or more, best first) for a question.
    Concepts below that are neither chosen nor suggested: `choose` wants `ANSWER_MIN`."""
    index = concept_index(db)
    matches = index.resolve(question, min_score=SUGGEST_MIN)
    return choose(matches, index.broader), matches


def suggest(db: Database, text: str, limit: int = SUGGEST_MAX) -> list[dict]:
    """The concepts nearest to `text` (a question or a mistyped id), as suggestions."""
    index = concept_index(db)
    matches = index.resolve(text.replace("-", " "), min_score=SUGGEST_MIN)
    return [_suggestion(index, m) for m in matches][:limit]


def unknown_concept(db: Database, concept_id: str) -> NotFound:
    """The one answer to a concept id that does not exist: a 404 naming the nearest concepts."""
    return NotFound(
        f"no concept {concept_id!r}; the ids are listed at /api/concepts", suggest(db, concept_id)
    )


def _suggestion(index: ConceptIndex, m: Match) -> dict:
    c = index.concepts[m.concept_id]
    return {"id": c["id"], "label_da": c["label_da"], "label_en": c["label_en"], "score": m.score}


def answer(db: Database, question: str = "", concept: str | None = None, lang: str = "da") -> dict:
    """The answer to a question (or for one concept id), shaped like evidence.models.Answer."""
    index = concept_index(db)
    if concept is not None:
        if concept not in index.concepts:
            raise unknown_concept(db, concept)
        chosen = [Match(concept, 100.0, "concept id given")]
        ranked = chosen
    else:
        chosen, ranked = resolve_concepts(db, question)
    result: dict = {
        "query": question or concept,
        "concepts": [_concept_match(index, m) for m in chosen],
        "studies": [],
        "summary": {"n_studies": 0, "by_stance": {}, "by_country": {}},
        "suggestions": [],
    }
    if not chosen:
        result["suggestions"] = [_suggestion(index, m) for m in ranked if m.score >= SUGGEST_MIN][
            :SUGGEST_MAX
        ]
        return result
    with db.connection() as conn:
        ids = expand_groupings(index, [m.concept_id for m in chosen])
        result["studies"] = assemble_studies(conn, index, ids, lang)
        meta = {s["ref"]: s for s in result["studies"]}
    result["summary"] = summarise(result["studies"], meta)
    taken = {m.concept_id for m in chosen}
    near = [
        m
        for m in ranked
        if m.concept_id not in taken and m.score >= max(SUGGEST_MIN, 0.5 * chosen[0].score)
    ]
    result["suggestions"] = [_suggestion(index, m) for m in near[:3]]
    return result


def expand_groupings(index: ConceptIndex, ids: list[str]) -> list[str]:
    """A grouping concept (no claim of its own, e.g. causes-of-staff-effects) stands for its
    narrower concepts; every other concept stands for itself alone."""
    claimed = index.fts.claims_of
    out: list[str] = []
    for cid in ids:
        found = [cid] if cid in claimed else [d for d in _descendants(index, cid) if d in claimed]
        out += [c for c in found if c not in out]
    return out


def _descendants(index: ConceptIndex, concept_id: str) -> list[str]:
    below, todo = [], [concept_id]
    while todo:
        parent = todo.pop()
        kids = index.narrower.get(parent, [])
        below += kids
        todo += kids
    return below


def _concept_match(index: ConceptIndex, m: Match) -> dict:
    c = index.concepts[m.concept_id]
    return {
        "id": c["id"],
        "label_da": c["label_da"],
        "label_en": c["label_en"],
        "score": m.score,
        "matched": m.matched,
    }


def assemble_studies(
    conn: sqlite3.Connection, index: ConceptIndex, concept_ids: list[str], lang: str = "da"
) -> list[dict]:
    """Every included study cited for the concepts: metadata, stance, evidence, related findings."""
    cited = studies_for_concepts(conn, concept_ids)
    if not cited:
        return []
    refs = [c["ref"] for c in cited]
    marks = ", ".join("?" for _ in refs)
    meta = {
        r["ref"]: r
        for r in conn.execute(
            f"select ref, authors, year, title, countries from studies where ref in ({marks})", refs
        )
    }
    findings: dict[int, list[dict]] = {}
    for f in conn.execute(f"select * from findings where ref in ({marks}) order by ref, seq", refs):
        findings.setdefault(f["ref"], []).append(f)
    if lang == "en":
        translate_section_titles(conn, [ev for c in cited for ev in c["evidence"]])
    every = [f for c in cited for f in findings.get(c["ref"], [])]
    related = {
        f["finding_id"]
        for f, yes in zip(every, relates(index, every, concept_ids), strict=True)
        if yes
    }
    out = []
    for c in cited:
        m = meta[c["ref"]]
        out.append(
            {
                "ref": c["ref"],
                "authors": m["authors"],
                "year": m["year"],
                "title": m["title"],
                "countries": m["countries"],
                "stance": c["stance"],
                "evidence": c["evidence"],
                "findings": [
                    f["text_en" if lang == "en" else "text_da"]
                    for f in findings.get(c["ref"], [])
                    if f["finding_id"] in related
                ],
            }
        )
    return out


def translate_section_titles(conn: sqlite3.Connection, evidence: list[dict]) -> None:
    """The English titles of the evidence's sections, in place."""
    sections = sorted({ev["section"] for ev in evidence})
    marks = ", ".join("?" for _ in sections)
    titles = {
        r["section"]: r["title_en"]
        for r in conn.execute(
            f"select section, title_en from sections where section in ({marks})", sections
        )
    }
    for ev in evidence:
        ev["section_title"] = titles.get(ev["section"], ev["section_title"])


def relates(index: ConceptIndex, findings: list[dict], concept_ids: list[str]) -> list[bool]:
    """For each Bilag 2 finding: does it (Danish or English) contain a label or synonym of a
    concept, `FINDING_MIN` of the term's weight or more?"""
    texts = [f"{f['text_da']} {f['text_en']}" for f in findings]
    return index.holding(texts, concept_ids, FINDING_MIN)
