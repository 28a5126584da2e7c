"""Answer a question from the evidence: which studies the review cites for what is asked.

`answer` resolves the question to concepts (evidence.resolve: thesaurus terms, stemming, typo
tolerance, full text), then lists every included study the review cites for the chosen
concept(s) with its stance, the review's sentences (quoted verbatim, with section) and the
study's Bilag 2 findings that speak to the concept. When nothing matches well enough the answer
is empty and `suggestions` names the nearest concepts: a guess is never presented as an answer.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from .db import Database
from .evidence import studies_for_concepts, summarise
from .queries import NotFound
from .resolve import ConceptIndex, Match, choose, make_token, tokens
from .settings import settings

SUGGEST_MIN = 20.0  # nearest concepts shown when nothing matches
SUGGEST_MAX = 5
FINDING_MIN = 0.8  # share of a term's weight a Bilag 2 finding must contain to relate to it


def concept_index(db: Database) -> ConceptIndex:
    """The thesaurus index for the database's current build (cached until it is rebuilt)."""
    return db.cached("concept_index", _load_index)


def _load_index(conn: sqlite3.Connection) -> ConceptIndex:
    return ConceptIndex(
        conn.execute("select * from concepts order by id").fetchall(),
        conn.execute("select claim_id, sentence_da, text_en from claims").fetchall(),
        conn.execute("select claim_id, concept_id from claim_concepts").fetchall(),
        [
            f"{r['text_da']} {r['text_en']}"
            for r in conn.execute("select text_da, text_en from findings")
        ],
    )


def resolve_concepts(db: Database, question: str) -> tuple[list[Match], list[Match]]:
    """(chosen concepts, every scored concept best first) for a question."""
    index = concept_index(db)
    matches = index.resolve(question)
    return choose(matches, {k: c.get("broader") for k, c in index.concepts.items()}), matches


def suggest(db: Database, text: str, limit: int = SUGGEST_MAX) -> list[dict]:
    """The concepts nearest to `text` (a question or a mistyped id), as suggestions."""
    index = concept_index(db)
    matches = index.resolve(text.replace("-", " "))
    return [_suggestion(index, m) for m in matches if m.score >= SUGGEST_MIN][:limit]


def _suggestion(index: ConceptIndex, m: Match) -> dict:
    c = index.concepts[m.concept_id]
    return {"id": c["id"], "label_da": c["label_da"], "label_en": c["label_en"], "score": m.score}


def answer(db: Database, question: str = "", concept: str | None = None, lang: str = "da") -> dict:
    """The answer to a question (or for one concept id), shaped like evidence.models.Answer."""
    index = concept_index(db)
    if concept is not None:
        if concept not in index.concepts:
            raise NotFound(
                f"no concept {concept!r}; see /api/concepts for the ids", suggest(db, concept)
            )
        chosen = [Match(concept, 100.0, "concept id given")]
        ranked = chosen
    else:
        chosen, ranked = resolve_concepts(db, question)
    result = {
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
        ids = expand_groupings(conn, index, [m.concept_id for m in chosen])
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


def expand_groupings(conn: sqlite3.Connection, index: ConceptIndex, ids: list[str]) -> list[str]:
    """A grouping concept (no claim of its own, e.g. causes-of-staff-effects) stands for its
    narrower concepts; every other concept stands for itself alone."""
    claimed = {
        r["concept_id"] for r in conn.execute("select distinct concept_id from claim_concepts")
    }
    out: list[str] = []
    for cid in ids:
        found = [cid] if cid in claimed else [d for d in _descendants(index, cid) if d in claimed]
        out += [c for c in found if c not in out]
    return out


def _descendants(index: ConceptIndex, concept_id: str) -> list[str]:
    below, todo = [], [concept_id]
    while todo:
        parent = todo.pop()
        kids = [k for k, v in index.concepts.items() if v.get("broader") == parent]
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
        titles = {
            r["section"]: r["title_en"]
            for r in conn.execute("select section, title_en from sections")
        }
        for c in cited:
            for ev in c["evidence"]:
                ev["section_title"] = titles.get(ev["section"], ev["section_title"])
    out = []
    for c in cited:
        m = meta[c["ref"]]
        related = [
            f["text_en" if lang == "en" else "text_da"]
            for f in findings.get(c["ref"], [])
            if relates(index, f, concept_ids)
        ]
        out.append(
            {
                "ref": c["ref"],
                "authors": m["authors"],
                "year": m["year"],
                "title": m["title"],
                "countries": m["countries"],
                "stance": c["stance"],
                "evidence": c["evidence"],
                "findings": related,
            }
        )
    return out


def relates(index: ConceptIndex, finding: dict, concept_ids: list[str]) -> bool:
    """True when a Bilag 2 finding (Danish or English) contains a label or synonym of a concept."""
    words = [make_token(w) for w in tokens(f"{finding['text_da']} {finding['text_en']}")]
    present = index.present_terms(words, set(concept_ids))
    return any(recall >= FINDING_MIN for terms in present.values() for recall, _, _ in terms)


def print_answer(
    question: str, db: Path | str = settings.db_path, lang: str = "en", out=sys.stdout
) -> int:
    """`evidence ask`: the answer, readably. 0 when answered, 1 when nothing matched."""
    result = answer(Database(Path(db)), question, lang=lang)
    label = "label_en" if lang == "en" else "label_da"
    if not result["concepts"]:
        print(f"No concept matches {question!r} well enough.", file=out)
        for s in result["suggestions"]:
            print(f"  did you mean: {s[label]} ({s['id']}, score {s['score']:.0f})?", file=out)
        print("Try other words, or list the concepts with `curl …/api/concepts`.", file=out)
        return 1
    for c in result["concepts"]:
        print(
            f"Concept: {c[label]} ({c['id']}, score {c['score']:.0f}) — matched {c['matched']}",
            file=out,
        )
    summary = result["summary"]
    stances = ", ".join(f"{n} {k}" for k, n in summary["by_stance"].items())
    print(f"{summary['n_studies']} studies ({stances})\n", file=out)
    print(_table(result["studies"], lang), file=out)
    return 0


def _table(studies: list[dict], lang: str) -> str:
    rows = [("ref", "authors", "year", "stance", "section", "quote")]
    for s in studies:
        for i, ev in enumerate(s["evidence"]):
            quote = ev["text_en"] if lang == "en" else ev["quote_da"]
            quote = quote if len(quote) <= 90 else quote[:87] + "..."
            first = (
                (str(s["ref"]), _cut(s["authors"], 28), str(s["year"]), s["stance"])
                if i == 0
                else ("", "", "", "")
            )
            rows.append((*first, ev["section"], quote))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return "\n".join(
        "  ".join(v.ljust(w) for v, w in zip(r[:5], widths, strict=True)) + "  " + r[5]
        for r in rows
    )


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
